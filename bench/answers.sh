#!/usr/bin/env bash
# Answer-page submissions per second and the organisation's result page, on SQLite.
#
#   bash bench/answers.sh                      # build, run, print and write the summary
#   LEVELS="16 64" DURATION=30 bash bench/answers.sh
#   APP_SQLITE_SYNCHRONOUS=normal bash bench/answers.sh   # the cost of the default FULL, by difference
#
# Starts the release binary on 127.0.0.1 with a fresh APP_DATA_DIR (SQLite), sets everything
# up over HTTP as people would (bench/lib/answers_setup.py), drives concurrent respondents
# with bench/load (a small Rust load generator), times the result page
# (bench/lib/results_timing.py),
# stops the server and writes bench/results/answers-<date>.md. Traffic goes to 127.0.0.1
# only; every loop is bounded in count and time. See bench/README.md.
set -euo pipefail

LEVELS=${LEVELS:-"1 16 64"}           # concurrent respondents, one level after the other
DURATION=${DURATION:-15}              # seconds measured per level
WARMUP=${WARMUP:-3}                   # seconds of warm-up per level, not counted
LOAD_RESPONDENTS=${LOAD_RESPONDENTS:-200}
SUBMITTERS=${SUBMITTERS:-50}
RESULT_REQUESTS=${RESULT_REQUESTS:-200}
TIMEOUT=${TIMEOUT:-5}                 # seconds before a request counts as timed out
QUIET_WAIT=${QUIET_WAIT:-120}         # before each part, wait up to this long for the machine to calm down
QUIET_CORES=${QUIET_CORES:-0.3}       # "calm": other processes use less than this many cores
PROFILE=${PROFILE:-0}                 # 1: perf profile of the server during each level (disturbs it a little)
APP_LOG=${APP_LOG:-info}              # the service's default: one log line a request
SKIP_BUILD=${SKIP_BUILD:-0}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/reset-eval/target}
BENCH_TARGET_DIR=${BENCH_TARGET_DIR:-$HOME/.cache/reset-eval/bench-target}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=${BIN:-"$CARGO_TARGET_DIR/release/reset-eval"}   # another build to compare: BIN=path SKIP_BUILD=1
LOAD="$BENCH_TARGET_DIR/release/answers-load"
DATE=$(date +%Y-%m-%d)
# A profiled run is slowed a little by perf: its figures go to a file of their own.
if [ "$PROFILE" = 1 ]; then OUT_MD=${OUT_MD:-"$HERE/results/answers-$DATE-profiled.md"}; fi
OUT_MD=${OUT_MD:-"$HERE/results/answers-$DATE.md"}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'answers.sh: %s\n' "$*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 is missing"
command -v curl >/dev/null || die "curl is missing"
for c in $LEVELS; do
  [ "$c" -le "$LOAD_RESPONDENTS" ] || die "level $c is above LOAD_RESPONDENTS=$LOAD_RESPONDENTS"
done

if [ "$SKIP_BUILD" != 1 ]; then
  say "building the release binary (cargo waits if another build holds the lock)"
  (cd "$ROOT" && cargo build --release --bin reset-eval) || die "the build failed"
  say "building the load generator (bench/load, its own Cargo project)"
  (cd "$HERE/load" && CARGO_TARGET_DIR="$BENCH_TARGET_DIR" cargo build --release --quiet) || die "bench/load did not build"
fi
[ -x "$BIN" ] || die "no binary at $BIN"
[ -x "$LOAD" ] || die "no load generator at $LOAD"

WORK=$(mktemp -d /tmp/reset-eval-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
LOAD_PID=""

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  if [ -n "$LOAD_PID" ]; then kill -TERM "$LOAD_PID" 2>/dev/null || true; fi
  stop_server
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work files kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The server: fresh data folder, default SQLite file in it, fixed session key.
say "starting the server on $BASE (data in $WORK/data)"
unset DATABASE_URL
export APP_DATA_DIR="$WORK/data" APP_QUESTIONNAIRES_DIR="$ROOT/questionnaires" APP_LOG
export APP_SESSION_KEY=$(openssl rand -hex 64)
(cd "$WORK" && exec "$BIN" serve --bind "127.0.0.1:$PORT") 2>"$WORK/server.log" >&2 &
SERVER_PID=$!
for i in $(seq 1 150); do
  if curl -fsS -o /dev/null "$BASE/health" 2>/dev/null; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$WORK/server.log" >&2; die "the server stopped"; }
  [ "$i" -lt 150 ] || die "the server did not answer /health within 30 s"
  sleep 0.2
done

"$BIN" questionnaires show territoires >"$WORK/questions.txt"

say "setting up over HTTP: 1 lead, 1 commune, 1 diagnostic, $LOAD_RESPONDENTS + 1 + $SUBMITTERS links"
t0=$(date +%s.%N)
python3 "$HERE/lib/answers_setup.py" --base "$BASE" --outbox "$APP_DATA_DIR/outbox" --questions "$WORK/questions.txt" \
  --questionnaires-dir "$APP_QUESTIONNAIRES_DIR" \
  --load "$LOAD_RESPONDENTS" --submitters "$SUBMITTERS" --out "$WORK"
SETUP_S=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")

TICK=$(getconf CLK_TCK)
proc_cpu() { awk -v t="$TICK" '{ sub(/.*\) /, ""); printf "%.3f", ($12 + $13) / t }' "/proc/$1/stat"; }
# Busy and total jiffies of the whole machine.
# Steal (time the hypervisor gave to other machines) is apart: it is not work done here.
machine_cpu() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8; print busy, busy + $5 + $6 + $9, $9 }' /proc/stat; }
# Every thread of the server: id, CPU jiffies so far, name.
thread_cpu() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "$t/stat" 2>/dev/null || echo 0)" "$(cat "$t/comm" 2>/dev/null)"
  done
}

# Waits (2 s samples, at most QUIET_WAIT s) until the machine's other work uses less than
# QUIET_CORES cores; prints the seconds waited.
wait_quiet() {
  local waited=0 busy b0 t0 b1 t1
  while [ "$waited" -lt "$QUIET_WAIT" ]; do
    read -r b0 t0 _ < <(machine_cpu); sleep 2; read -r b1 t1 _ < <(machine_cpu)
    busy=$(awk -v b0="$b0" -v b1="$b1" -v t0="$t0" -v t1="$t1" -v n="$(nproc)" 'BEGIN { printf "%.2f", (b1 - b0) / (t1 - t0) * n }')
    if awk -v b="$busy" -v q="$QUIET_CORES" 'BEGIN { exit !(b < q) }'; then break; fi
    [ "$waited" -gt 0 ] || printf 'waiting for the machine to calm down (other work: %s cores)…\n' "$busy" >&2
    waited=$((waited + 2))
  done
  [ "$waited" -lt "$QUIET_WAIT" ] || [ "$QUIET_WAIT" = 0 ] || printf 'still busy after %s s (%s cores): measuring anyway\n' "$QUIET_WAIT" "$busy" >&2
  echo "$waited"
}

: >"$WORK/levels.txt"
for C in $LEVELS; do
  waited=$(wait_quiet)
  say "level $C: ${WARMUP} s warm-up, then ${DURATION} s measured"
  # The warm-up runs in the same process; the CPU figures cover the measured window only.
  "$LOAD" --addr "127.0.0.1:$PORT" --respondents "$WORK/respondents.tsv" --forms "$WORK" \
    --concurrency "$C" --warmup "$WARMUP" --duration "$DURATION" --timeout "$TIMEOUT" >"$WORK/load-$C.txt" &
  LOAD_PID=$!
  # CPU snapshots inside the measured window (a little after its start, a little before its
  # end, while every process is still there), turned into cores used over that time.
  sleep "$(awk -v w="$WARMUP" 'BEGIN { print w + 0.2 }')"
  w0=$(date +%s.%N); s_cpu0=$(proc_cpu "$SERVER_PID"); l_cpu0=$(proc_cpu "$LOAD_PID"); read -r m_busy0 m_total0 m_steal0 < <(machine_cpu)
  thread_cpu "$SERVER_PID" >"$WORK/threads0-$C.txt"
  if [ "$PROFILE" = 1 ]; then
    perf record -q -F 499 -g -p "$SERVER_PID" -o "$WORK/perf-$C.data" -- \
      sleep "$(awk -v d="$DURATION" 'BEGIN { print (d > 2 ? d - 1.5 : d / 2) }')" >/dev/null 2>&1 &
    PERF_PID=$!
    # SQLite's busy handler sleeps (1, 2, 5 … 100 ms) while another connection holds the write lock.
    perf stat -x, -e syscalls:sys_enter_clock_nanosleep -p "$SERVER_PID" -o "$WORK/sleeps-$C.txt" -- \
      sleep "$(awk -v d="$DURATION" 'BEGIN { print (d > 2 ? d - 1.5 : d / 2) }')" >/dev/null 2>&1 &
    STAT_PID=$!
  fi
  sleep "$(awk -v d="$DURATION" 'BEGIN { print (d > 1 ? d - 0.5 : d / 2) }')"
  w1=$(date +%s.%N); s_cpu1=$(proc_cpu "$SERVER_PID"); l_cpu1=$(proc_cpu "$LOAD_PID"); read -r m_busy1 m_total1 m_steal1 < <(machine_cpu)
  thread_cpu "$SERVER_PID" >"$WORK/threads1-$C.txt"
  wait "$LOAD_PID" || die "the load generator failed"
  LOAD_PID=""
  line=$(grep '^RESULT' "$WORK/load-$C.txt") || die "the load generator gave no result"
  if [ "$PROFILE" = 1 ]; then
    wait "$PERF_PID" 2>/dev/null || true
    wait "$STAT_PID" 2>/dev/null || true
    sleeps=$(awk -F, '/clock_nanosleep/ { print $1 }' "$WORK/sleeps-$C.txt" 2>/dev/null)
    # Self time by function, and by thread name, for bench/results/.
    { echo "# perf profile of the server, $C respondents ($(date -u '+%Y-%m-%d %H:%M') UTC)"; echo
      echo "clock_nanosleep calls by the server (SQLite's busy handler waiting for the write lock): ${sleeps:-?}" \
        "in $(awk -v d="$DURATION" 'BEGIN { print (d > 2 ? d - 1.5 : d / 2) }') s"; echo
      echo "$line"; echo
      perf report -i "$WORK/perf-$C.data" --no-children --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]'; echo
      perf report -i "$WORK/perf-$C.data" --no-children --sort dso,sym --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -60
    } >"$HERE/results/answers-$DATE-profile-$C.txt" || true
  fi
  echo "C=$C $line quiet_wait_s=$waited cpu_window_s=$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.3f", b - a }') server_cpu_s=$(awk -v a="$s_cpu0" -v b="$s_cpu1" 'BEGIN { printf "%.2f", b - a }') load_cpu_s=$(awk -v a="$l_cpu0" -v b="$l_cpu1" 'BEGIN { printf "%.2f", b - a }') machine_busy=$(awk -v b0="$m_busy0" -v b1="$m_busy1" -v t0="$m_total0" -v t1="$m_total1" 'BEGIN { printf "%.3f", (b1 - b0) / (t1 - t0) }') machine_steal=$(awk -v s0="$m_steal0" -v s1="$m_steal1" -v t0="$m_total0" -v t1="$m_total1" 'BEGIN { printf "%.3f", (s1 - s0) / (t1 - t0) }')" \
    | tee -a "$WORK/levels.txt" >&2
done

RESULTS_QUIET_WAIT=$(wait_quiet)
say "result page with $SUBMITTERS submitted respondents: $RESULT_REQUESTS sequential requests each"
t_busy0=$(machine_cpu)
python3 "$HERE/lib/results_timing.py" --base "$BASE" --state "$WORK/state.json" --requests "$RESULT_REQUESTS" \
  >"$WORK/results-timing.txt"
cat "$WORK/results-timing.txt" >&2
t_busy1=$(machine_cpu)
RESULTS_MACHINE_BUSY=$(echo "$t_busy0 $t_busy1" | awk '{ printf "%.3f", ($4 - $1) / ($5 - $2) }')

DB_BYTES=$(du -cb "$WORK"/data/*.sqlite* 2>/dev/null | tail -1 | cut -f1)
LOG_LINES=$(wc -l <"$WORK/server.log")
SERVER_RSS_KB=$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")
SERVER_PID_AT_RUN=$SERVER_PID
stop_server

# The summary, as Markdown: printed and written to bench/results/.
export LEVELS DURATION WARMUP LOAD_RESPONDENTS SUBMITTERS RESULT_REQUESTS TIMEOUT APP_LOG SETUP_S TICK \
  DB_BYTES LOG_LINES SERVER_RSS_KB SERVER_PID_AT_RUN RESULTS_QUIET_WAIT RESULTS_MACHINE_BUSY QUIET_WAIT QUIET_CORES
python3 "$HERE/lib/summary.py" "$WORK" "$ROOT" >"$OUT_MD"
cat "$OUT_MD"
say "written to ${OUT_MD#"$ROOT"/}"
