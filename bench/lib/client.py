"""A small HTTP client for the benchmarks: keep-alive, cookies, form posts, no redirects.

Standard library only. It talks to the server under test on the loopback address and
nothing else: `Client` refuses any other host.
"""

import html
import http.client
import math
import re
import time
import urllib.parse

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class HttpError(RuntimeError):
    pass


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    @property
    def location(self):
        loc = self.header("location") or ""
        # Only the path matters: the server may answer with a whole URL.
        parsed = urllib.parse.urlsplit(loc)
        return parsed.path + (("?" + parsed.query) if parsed.query else "")


class Client:
    """One browser: its own connection and its own cookies."""

    def __init__(self, base, timeout=30):
        parts = urllib.parse.urlsplit(base)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"benchmarks only talk to the loopback address, not {parts.hostname}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.timeout = timeout
        self.cookies = {}
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _remember(self, headers):
        for k, v in headers:
            if k.lower() != "set-cookie":
                continue
            first, _, attrs = v.partition(";")
            name, _, value = first.strip().partition("=")
            attrs_l = attrs.lower()
            if "max-age=0" in attrs_l.replace(" ", "") or value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def request(self, method, path, body=None, headers=None):
        hdrs = {"User-Agent": "reset-eval-bench"}
        if self.cookies:
            hdrs["Cookie"] = self.cookie_header()
        if body is not None:
            if isinstance(body, (dict, list)):
                body = urllib.parse.urlencode(body, doseq=True)
            if isinstance(body, str):
                body = body.encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        hdrs.update(headers or {})
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=hdrs)
                r = conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection: once more on a new one.
                self.close()
                if attempt == 2:
                    raise
        headers_list = r.getheaders()
        self._remember(headers_list)
        if r.will_close:
            self.close()
        return Response(r.status, headers_list, data)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, fields, **kw):
        return self.request("POST", path, body=fields, **kw)

    def timed_get(self, path, headers=None):
        """(seconds, response) for one GET, measured around the whole exchange."""
        t0 = time.perf_counter()
        r = self.request("GET", path, headers=headers)
        return time.perf_counter() - t0, r


def expect(response, status, what):
    if response.status != status:
        messages = re.findall(r'class="error-message"[^>]*>(.*?)</p>', response.text, re.S)
        snippet = "\n".join(re.sub(r"<[^>]+>", "", m) for m in messages) or response.text[:600]
        raise HttpError(f"{what}: expected {status}, got {response.status} ({response.location or ''})\n{snippet}")
    return response


_INPUT = re.compile(r"<(input|textarea|select|option)\b([^>]*)>", re.I)
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+)))?')


def attrs(tag_body):
    out = {}
    for m in _ATTR.finditer(tag_body):
        value = m.group(2) if m.group(2) is not None else (m.group(3) if m.group(3) is not None else m.group(4))
        out[m.group(1).lower()] = html.unescape(value) if value is not None else ""
    return out


def form_fields(page):
    """Every input, textarea and select of a page as (tag, attributes), in order."""
    return [(m.group(1).lower(), attrs(m.group(2))) for m in _INPUT.finditer(page)]


def csrf_of(page):
    for tag, a in form_fields(page):
        if tag == "input" and a.get("name") == "_csrf":
            return a.get("value", "")
    raise HttpError("no _csrf field in the page")


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    k = math.ceil(p / 100.0 * len(sorted_values)) - 1
    return sorted_values[max(0, min(len(sorted_values) - 1, k))]
