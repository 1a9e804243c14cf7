#!/usr/bin/env python3
"""Writes the Markdown summary of bench/answers.sh from its work folder and environment."""

import json
import os
import re
import subprocess
import sys

work, root = sys.argv[1], sys.argv[2]
env = os.environ.get


def kv(line):
    return dict(m.groups() for m in re.finditer(r"(\w+)=(\S+)", line))


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, cwd=root).stdout.strip()
    except OSError:
        return "?"


def busiest_threads(work, level, server_pid, seconds):
    """The server's threads over the measured window, grouped by name, busiest first (% of one core)."""
    tick = int(env("TICK") or 100)

    def snapshot(name):
        out = {}
        try:
            for line in open(os.path.join(work, f"{name}-{level}.txt")):
                parts = line.rstrip("\n").split(" ", 2)
                if len(parts) == 3:
                    out[parts[0]] = (int(parts[1]), parts[2])
        except OSError:
            pass
        return out

    before, after = snapshot("threads0"), snapshot("threads1")
    groups = {}
    for tid, (jiffies, name) in after.items():
        used = jiffies - before.get(tid, (0, name))[0]
        if tid == server_pid:
            name += " (main thread)"
        count, total = groups.get(name, (0, 0))
        groups[name] = (count + 1, total + used)
    busy = sorted(((100.0 * j / tick / seconds, n, name) for name, (n, j) in groups.items()), reverse=True)
    return "; ".join(f"{'%d × ' % n if n > 1 else ''}`{name}` {pct:.0f} %" for pct, n, name in busy if pct >= 0.5) or "none busy"


rows = [kv(line) for line in open(os.path.join(work, "levels.txt")) if line.strip()]
timings = [kv(line) for line in open(os.path.join(work, "results-timing.txt")) if line.startswith("TIMING")]
state = json.load(open(os.path.join(work, "state.json")))
cores = os.cpu_count() or 0
cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1")
mem = sh("free -g | awk '/^Mem:/ {print $2}'")
dirty = sh("git status --porcelain --untracked-files=all -- src migrations questionnaires Cargo.toml Cargo.lock")
commit = sh("git rev-parse --short HEAD") + (" plus uncommitted changes in the work tree" if dirty else "")
fs = sh("df -T /tmp | awk 'NR==2 {print $2}'")
per_step = state["questions_per_step"]
qmin, qmax = min(per_step.values()), max(per_step.values())
bmin, bmax = min(state["body_bytes_per_step"].values()), max(state["body_bytes_per_step"].values())

L = []
now = sh("date -u '+%Y-%m-%d %H:%M'")
L.append(f"# Answer pages and result page, {now} UTC")
L.append("")
L.append(
    f"`bash bench/answers.sh` with LEVELS=\"{env('LEVELS')}\", {env('DURATION')} s measured per level after "
    f"{env('WARMUP')} s of warm-up, {env('LOAD_RESPONDENTS')} started responses, {env('SUBMITTERS')} submitted "
    f"respondents, APP_LOG={env('APP_LOG')}."
)
L.append("")
L.append(
    f"- **Machine: {cores} cores** ({cpu}), {mem} GiB, Linux {sh('uname -r')}. The server *and* the load "
    f"generator (bench/load, one thread) share these {cores} cores, and other work may run on the machine at the "
    "same time: the table gives the cores the server, the load generator and everything else used during each run, "
    "and the steal (CPU time the hypervisor gave to other virtual machines). The speed of this virtual machine's "
    "cores also varies from run to run: compare runs by the server CPU time a page costs as well."
)
rustc = sh("rustc --version")
L.append(f"- Build: release, commit {commit}; {rustc}.")
# The service's default is FULL (an fsync a commit); APP_SQLITE_SYNCHRONOUS=normal measures the other choice.
sync_mode = (env("APP_SQLITE_SYNCHRONOUS") or "full").upper()
L.append(f"- Database: SQLite in WAL mode (synchronous={sync_mode}), a fresh file in a temporary folder ({fs}).")
L.append(
    f"- Setup over HTTP: {env('SETUP_S')} s. At the end: database {int(env('DB_BYTES') or 0) / 1e6:.1f} MB, "
    f"server peak RSS {int(env('SERVER_RSS_KB') or 0) / 1024:.0f} MiB, {env('LOG_LINES')} server log lines."
)
L.append("")
L.append("## 1. Answer pages saved")
L.append("")
L.append(
    f"POST /r/{{token}}/step/{{k}} with action=save, answered in full ({qmin} to {qmax} questions a page, "
    f"{bmin} to {bmax} bytes of form), each respondent with its own session cookie and CSRF token and at most one "
    "request in flight (one kept-alive connection a respondent), sending its next page as soon as the last is answered, "
    "going round its 7 pages. Latency: from writing the request to reading the whole response, every request of the "
    "measured window (no coordinated-omission correction). Only 303 counts as a success; errors are every other "
    f"status, plus socket errors and time-outs ({env('TIMEOUT')} s)."
)
L.append("")
L.append("| respondents | pages saved/s | p50 ms | p90 ms | p99 ms | max ms | successes | errors | server cores | server CPU ms a page | load gen. cores | other cores | steal |")
L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    secs = int(r["duration_us"]) / 1e6
    errors = int(r["other"]) + sum(int(r[k]) for k in ("connect_errors", "io_errors", "timeouts"))
    err_text = str(errors) + ("" if r["codes"] == "-" else f" ({r['codes']})")
    window = float(r["cpu_window_s"])
    server = float(r["server_cpu_s"]) / window
    load = float(r["load_cpu_s"]) / window
    others = max(0.0, float(r["machine_busy"]) * cores - server - load)
    L.append(
        f"| {r['C']} | **{int(r['ok']) / secs:,.0f}** | {int(r['p50_us']) / 1000:.2f} | {int(r['p90_us']) / 1000:.2f} | "
        f"**{int(r['p99_us']) / 1000:.2f}** | {int(r['max_us']) / 1000:.1f} | {int(r['ok']):,} | {err_text} | "
        f"{server:.2f} | {server / max(int(r['ok']) / secs, 1) * 1000:.2f} | {load:.2f} | {others:.2f} | {float(r.get('machine_steal', 0)) * cores:.2f} |"
    )
L.append("")
waits = [f"{r['C']}: {r['quiet_wait_s']} s" for r in rows if r.get("quiet_wait_s", "0") != "0"]
L.append(
    f"Before each level the script waited (at most {env('QUIET_WAIT')} s) for other work to use less than "
    f"{env('QUIET_CORES')} core" + (f"; it waited {', '.join(waits)}." if waits else "; the machine was calm at once.")
)
L.append("")
L.append("The server's threads over each measured window, from /proc (in % of one core; the kernel cuts names at 15 characters; \
`actix-server wo` are the HTTP workers that run the handlers, `sqlx-sqlite-wor` the threads that run SQLite, one per pooled connection):")
L.append("")
for r in rows:
    L.append(f"- {r['C']} respondent{'' if r['C'] == '1' else 's'}: {busiest_threads(work, r['C'], env('SERVER_PID_AT_RUN', ''), float(r['cpu_window_s']))}")
L.append("")
L.append(f"## 2. The organisation's result page, {state['submitters']} submitted respondents")
L.append("")
L.append(
    f"GET /diagnostics/{{id}}/results as the lead: {env('RESULT_REQUESTS')} sequential requests on one kept-alive "
    "connection after 10 warm-up requests, timed by the client from sending the request to reading the last byte "
    f"(so they include Python's own time, a few tenths of a millisecond). The diagnostic also holds "
    f"{state['load_respondents'] + 1} responses in progress, which the page leaves out. \"browser Accept-Encoding\" "
    "sends a browser's (gzip, deflate, br, zstd; the service answers gzip); the others ask for no compression. The whole machine was "
    f"{float(env('RESULTS_MACHINE_BUSY') or 0) * cores:.2f} cores busy meanwhile (server, client and other work)."
)
L.append("")
L.append("| resource | mean ms | p50 ms | p90 ms | p99 ms | max ms | size |")
L.append("|---|---:|---:|---:|---:|---:|---:|")
for t in timings:
    L.append(
        f"| {t['name'].replace('_', ' ')} | **{float(t['mean_ms']):.2f}** | {float(t['p50_ms']):.2f} | "
        f"{float(t['p90_ms']):.2f} | {float(t['p99_ms']):.2f} | {float(t['max_ms']):.2f} | "
        f"{int(t['bytes']) / 1024:.0f} KiB ({t['encoding']}) |"
    )
L.append("")
L.append("## Against the aims (≥ 2,000 answer pages/s on 2 cores with p99 < 50 ms; result page < 10 ms)")
L.append("")
for r in rows:
    if int(r["C"]) < 16:
        continue
    secs = int(r["duration_us"]) / 1e6
    rate, p99 = int(r["ok"]) / secs, int(r["p99_us"]) / 1000
    L.append(
        f"- {r['C']} respondents: {rate:,.0f} pages/s, {'meets' if rate >= 2000 else 'misses'} the 2,000/s; "
        f"p99 {p99:.1f} ms, {'meets' if p99 < 50 else 'misses'} the 50 ms."
    )
page = next((t for t in timings if t["name"] == "results.html"), None)
if page:
    m = float(page["mean_ms"])
    L.append(f"- Result page: mean {m:.2f} ms, p99 {float(page['p99_ms']):.2f} ms: {'meets' if m < 10 else 'misses'} the 10 ms.")
print("\n".join(L))
