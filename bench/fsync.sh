#!/usr/bin/env bash
# Durability of acknowledged answer pages on SQLite: counts the fsyncs the server makes while
# it acknowledges a fixed number of saved pages, once per APP_SQLITE_SYNCHRONOUS mode.
#
#   bash bench/fsync.sh                  # BIN defaults to the release binary
#   BIN=target/debug/reset-eval SAVES=1000 bash bench/fsync.sh
#
# With synchronous=FULL every acknowledged commit is on the disk (about one fsync a save);
# with NORMAL, the WAL is synced only at checkpoints, so a power cut may lose the saves
# acknowledged since the last one. Needs strace and python3; traffic stays on 127.0.0.1.
set -euo pipefail

SAVES=${SAVES:-1000}
MODES=${MODES:-"full normal"}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/reset-eval/target}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=${BIN:-"$CARGO_TARGET_DIR/release/reset-eval"}
[ -x "$BIN" ] || { echo "fsync.sh: no binary at $BIN" >&2; exit 1; }
command -v strace >/dev/null || { echo "fsync.sh: strace is missing" >&2; exit 1; }

for mode in $MODES; do
  WORK=$(mktemp -d /tmp/reset-eval-fsync.XXXXXX)
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$PORT"
  unset DATABASE_URL
  export APP_DATA_DIR="$WORK/data" APP_QUESTIONNAIRES_DIR="$ROOT/questionnaires" APP_LOG=warn
  export APP_SESSION_KEY=$(openssl rand -hex 64) APP_SQLITE_SYNCHRONOUS=$mode
  (cd "$WORK" && exec "$BIN" serve --bind "127.0.0.1:$PORT") 2>"$WORK/server.log" >&2 &
  SERVER_PID=$!
  for i in $(seq 1 150); do
    curl -fsS -o /dev/null "$BASE/health" 2>/dev/null && break
    sleep 0.2
  done
  "$BIN" questionnaires show territoires >"$WORK/questions.txt"
  python3 "$HERE/lib/answers_setup.py" --base "$BASE" --questions "$WORK/questions.txt" \
    --questionnaires-dir "$APP_QUESTIONNAIRES_DIR" --load 20 --submitters 1 --out "$WORK" >/dev/null 2>&1
  cat >"$WORK/saves.py" <<'PY'
import http.client, sys, time
work, port, saves = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [l.rstrip("\n").split("\t") for l in open(f"{work}/respondents.tsv")]
forms = {k: open(f"{work}/step-{k}.form").read().strip() for k in range(1, 8)}
conn = http.client.HTTPConnection("127.0.0.1", port)
ok, t0 = 0, time.perf_counter()
for i in range(saves):
    token, cookie, csrf = rows[i % len(rows)]
    k = 1 + (i // len(rows)) % 7
    body = forms[k] + "&_csrf=" + csrf
    conn.request("POST", f"/r/{token}/step/{k}", body,
                 {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse(); r.read()
    ok += r.status == 303
print(ok, f"{(time.perf_counter() - t0) * 1000 / saves:.2f}")
PY
  # First pass timed, without strace (which slows every system call); second pass counted.
  read -r _ ms_per_save < <(python3 "$WORK/saves.py" "$WORK" "$PORT" "$SAVES")
  strace -f -qq -c -e trace=fsync,fdatasync -p "$SERVER_PID" -o "$WORK/strace.txt" &
  STRACE_PID=$!
  sleep 1
  read -r acknowledged _ < <(python3 "$WORK/saves.py" "$WORK" "$PORT" "$SAVES")
  sleep 1
  kill -INT "$STRACE_PID" 2>/dev/null || true
  wait "$STRACE_PID" 2>/dev/null || true
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  syncs=$(awk '$NF=="fsync"||$NF=="fdatasync"{n+=$4} END{print n+0}' "$WORK/strace.txt")
  echo "synchronous=$mode: $acknowledged acknowledged saves, $syncs fsync/fdatasync calls; one save after another: $ms_per_save ms a save"
  rm -rf "$WORK"
done
