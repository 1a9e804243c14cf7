#!/usr/bin/env python3
"""Times the organisation's result page (and its CSV and JSON) as the lead sees them.

Sequential requests on one kept-alive connection, each measured around the whole exchange
(request sent to last byte read), after a few warm-up requests. Prints one line per
resource: `TIMING name=... n=... mean_ms=... p50_ms=... p99_ms=... max_ms=... bytes=...`.
"""

import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import Client, expect, percentile  # noqa: E402

BROWSER_ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--state", required=True)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=10)
    args = ap.parse_args()
    with open(args.state) as f:
        state = json.load(f)
    diag = state["diagnostic"]
    lead = Client(args.base)
    for pair in state["lead_cookie"].split("; "):
        name, _, value = pair.partition("=")
        lead.cookies[name] = value

    cases = [
        ("results.html", f"/diagnostics/{diag}/results", None),
        ("results.html (browser Accept-Encoding)", f"/diagnostics/{diag}/results", BROWSER_ENCODING),
        ("results.csv", f"/diagnostics/{diag}/results.csv", None),
        ("results.json", f"/diagnostics/{diag}/results.json", None),
    ]
    first = expect(lead.get(cases[0][1]), 200, "result page").text
    # The page must really aggregate the submitted respondents.
    if str(state["submitters"]) not in first:
        print(f"warning: the result page does not show {state['submitters']} anywhere", file=sys.stderr)
    for name, path, headers in cases:
        for _ in range(args.warmup):
            expect(lead.get(path, headers=headers), 200, name)
        times = []
        size = 0
        encoding = "identity"
        for _ in range(args.requests):
            dt, r = lead.timed_get(path, headers=headers)
            expect(r, 200, name)
            times.append(dt * 1000.0)
            size = len(r.body)
            encoding = r.header("content-encoding") or "identity"
        times.sort()
        print(
            f"TIMING name={name.replace(' ', '_')} n={len(times)} mean_ms={statistics.fmean(times):.3f} "
            f"p50_ms={percentile(times, 50):.3f} p90_ms={percentile(times, 90):.3f} p99_ms={percentile(times, 99):.3f} "
            f"max_ms={times[-1]:.3f} bytes={size} encoding={encoding}",
            flush=True,
        )
    lead.close()


if __name__ == "__main__":
    main()
