#!/usr/bin/env bash
# Two reset-eval instances on one PostgreSQL database behind HAProxy (deploy/haproxy.cfg, as
# README « Deploying » describes), and what that layout must hold, shown with curl:
#
#   1. a session opened through one instance is valid on the other (and refused without it);
#   2. a report produced through one is served by the other, byte for byte;
#   3. a job runs once: two instances polling, each `jobs` row done once, on one instance;
#   4. killing one instance (kill -9) while respondents save answer pages through the balancer
#      loses no acknowledged save: every save answered 303 is in the database afterwards, and
#      the saves go on through the other instance.
#
#   bash bench/two-instances.sh                 # builds the release binary first
#   SKIP_BUILD=1 bash bench/two-instances.sh
#
# Prints each check; exits 1 when one fails. Needs PostgreSQL (ADMIN_DATABASE_URL, a role that
# may create databases), python3, curl, openssl, psql; installs haproxy when it is missing.
# Everything listens on 127.0.0.1; the database it creates is dropped at the end
# (KEEP_WORK=1 keeps it and the logs).
set -euo pipefail

ADMIN_DATABASE_URL=${ADMIN_DATABASE_URL:-postgres://reset_eval:reset_eval@127.0.0.1:5432/postgres}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_WORK=${KEEP_WORK:-0}
# Respondents saving pages during the kill, and for how long they save.
SAVERS=${SAVERS:-8}
SAVE_SECONDS=${SAVE_SECONDS:-8}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/reset-eval/target}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=${BIN:-"$CARGO_TARGET_DIR/release/reset-eval"}
STARTED=$(date +%s)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'two-instances.sh: %s\n' "$*" >&2; exit 2; }

FAILURES=0
pass() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; FAILURES=$((FAILURES + 1)); }

if ! command -v haproxy >/dev/null; then
    say "installing haproxy (Debian package)"
    apt-get install -y haproxy >/dev/null || { apt-get update >/dev/null && apt-get install -y haproxy >/dev/null; }
fi
for tool in curl openssl psql python3; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done
if [ "$SKIP_BUILD" != 1 ]; then
    say "cargo build --release --bin reset-eval"
    (cd "$ROOT" && cargo build --release --bin reset-eval)
fi
[ -x "$BIN" ] || die "no release binary at $BIN"

WORK=$(mktemp -d /tmp/reset-eval-two.XXXXXX)
DB_NAME="reset_two_$(date +%s)_$$"
DATABASE_URL="${ADMIN_DATABASE_URL%/*}/$DB_NAME"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$KEEP_WORK" = 1 ]; then
        say "kept: $WORK and the database $DB_NAME"
    else
        psql -q "$ADMIN_DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1 || true
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT_A=$(free_port)
PORT_B=$(free_port)
PORT_LB=$(free_port)
A="http://127.0.0.1:$PORT_A"
B="http://127.0.0.1:$PORT_B"
LB="http://127.0.0.1:$PORT_LB"

psql -q "$ADMIN_DATABASE_URL" -c "CREATE DATABASE $DB_NAME" >/dev/null
sql() { psql -qtA "$DATABASE_URL" -c "$1"; }

# What every instance shares (README « Deploying »): the database, the session key, the
# public address; the instances differ only by their bind address. Their data folders are
# one here only so that the setup finds the sign-up mail in one outbox (no SMTP on this
# machine).
export DATABASE_URL APP_SESSION_KEY
APP_SESSION_KEY=$(openssl rand -hex 64)
export APP_PUBLIC_URL="$LB" APP_TRUSTED_PROXIES=127.0.0.1 APP_DATA_DIR="$WORK/data" \
    APP_QUESTIONNAIRES_DIR="$ROOT/questionnaires" APP_WORKER_POLL_SECONDS=1 APP_LOG=info APP_LANG=en

say "migrating $DB_NAME"
"$BIN" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; die "migrate failed"; }

start_instance() { # name port
    "$BIN" serve --bind "127.0.0.1:$2" >"$WORK/$1.log" 2>&1 &
    PIDS+=($!)
    eval "PID_$1=$!"
}
wait_healthy() { # url what
    for _ in $(seq 1 150); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1/health")" = 200 ] && return 0
        sleep 0.2
    done
    die "$2 did not become healthy at $1"
}
say "starting instances a ($A) and b ($B), and haproxy ($LB)"
start_instance a "$PORT_A"
start_instance b "$PORT_B"
wait_healthy "$A" "instance a"
wait_healthy "$B" "instance b"
RESET_EVAL_LISTEN="127.0.0.1:$PORT_LB" RESET_EVAL_A="127.0.0.1:$PORT_A" RESET_EVAL_B="127.0.0.1:$PORT_B" \
    haproxy -f "$ROOT/deploy/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
wait_healthy "$LB" "haproxy"

csrf_of() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# --- 1. A session opened through one instance is valid on the other ---------------------------
STAFF_EMAIL=staff@example.org
STAFF_PASSWORD=$(openssl rand -hex 12)
printf '%s\n' "$STAFF_PASSWORD" | "$BIN" admin create --email "$STAFF_EMAIL" --password-stdin >"$WORK/admin.log" 2>&1 ||
    { cat "$WORK/admin.log"; die "admin create failed"; }
JAR="$WORK/staff.cookies"
token=$(curl -s -c "$JAR" -b "$JAR" "$A/signin" | csrf_of)
signed_in=$(code -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$token" --data-urlencode "email=$STAFF_EMAIL" \
    --data-urlencode "password=$STAFF_PASSWORD" --data-urlencode "next=/reports" "$A/signin")
on_b=$(code -b "$JAR" "$B/reports")
without=$(code "$B/reports")
if [ "$signed_in" = 303 ] && [ "$on_b" = 200 ] && [ "$without" != 200 ]; then
    pass "1. a session opened on a (sign-in $signed_in) is valid on b: /reports $on_b with its cookie, $without without"
else
    fail "1. session across instances: sign-in on a $signed_in, /reports on b $on_b with the cookie, $without without"
fi

# --- 2 and 3. A report produced through one is served by the other; each job runs once --------
YEAR=$(date +%Y)
token=$(curl -s -b "$JAR" "$A/reports" | csrf_of)
queued_a=$(code -b "$JAR" --data-urlencode "_csrf=$token" --data-urlencode "year=$YEAR" "$A/reports")
token=$(curl -s -b "$JAR" "$B/reports" | csrf_of)
queued_b=$(code -b "$JAR" --data-urlencode "_csrf=$token" --data-urlencode "year=$((YEAR - 1))" "$B/reports")
done_jobs=0
for _ in $(seq 1 600); do
    done_jobs=$(sql "SELECT COUNT(*) FROM jobs WHERE status <> 'queued' AND status <> 'running'")
    [ "$done_jobs" -ge 2 ] && break
    sleep 0.2
done
draft_on_b=$(curl -s -b "$JAR" -w '\n%{http_code}' "$B/reports/$YEAR")
file=$(printf '%s' "$draft_on_b" | grep -o "/reports/$YEAR/files/[^\"]*index[^\"]*\.html" | head -1 || true)
if [ "$queued_a" = 303 ] && [ -n "$file" ] && [ "$(printf '%s' "$draft_on_b" | tail -1)" = 200 ]; then
    sum_a=$(curl -s -b "$JAR" "$A$file" | sha256sum | cut -c1-16)
    sum_b=$(curl -s -b "$JAR" "$B$file" | sha256sum | cut -c1-16)
    if [ "$(code -b "$JAR" "$B$file")" = 200 ] && [ "$sum_a" = "$sum_b" ]; then
        pass "2. the $YEAR report asked for on a is served by b: $file, the same bytes on both ($sum_b)"
    else
        fail "2. the report file $file differs between a ($sum_a) and b ($sum_b)"
    fi
else
    fail "2. report asked for on a ($queued_a), draft page on b: $(printf '%s' "$draft_on_b" | tail -1), file link '${file}'"
fi
jobs=$(sql "SELECT id || ' ' || status || ' ' || attempts FROM jobs ORDER BY year")
runs_ok=1
summary=""
while read -r id status attempts; do
    [ -n "$id" ] || continue
    ran_a=$(grep -c "running a job.*$id" "$WORK/a.log" || true)
    ran_b=$(grep -c "running a job.*$id" "$WORK/b.log" || true)
    summary+=" [$status, attempts $attempts, runs on a $ran_a, on b $ran_b]"
    if [ "$status" != done ] || [ "$attempts" != 1 ] || [ $((ran_a + ran_b)) != 1 ]; then runs_ok=0; fi
done <<<"$jobs"
if [ "$queued_b" = 303 ] && [ "$(printf '%s\n' "$jobs" | grep -c .)" = 2 ] && [ "$runs_ok" = 1 ]; then
    pass "3. two jobs (queued on a and on b), two instances polling: each done once:$summary"
else
    fail "3. jobs did not run exactly once:$summary (queued on b: $queued_b)"
fi

# --- 4. kill -9 one instance while respondents save pages through the balancer ---------------
say "setting up $SAVERS respondents through the balancer"
"$BIN" questionnaires show territoires >"$WORK/questions.txt"
python3 "$HERE/lib/answers_setup.py" --base "$LB" --outbox "$WORK/data/outbox" \
    --questions "$WORK/questions.txt" --questionnaires-dir "$ROOT/questionnaires" \
    --load "$SAVERS" --submitters 0 --out "$WORK/setup" 2>"$WORK/setup.log" ||
    { cat "$WORK/setup.log"; die "setup through the balancer failed"; }
# The page with a text answer: each save writes `save-<respondent>-<n>` there, so that the
# database shows which save it holds.
TEXT='Une+courte+phrase+pour+le+banc+d%27essai.'
STEP=$(grep -l "$TEXT" "$WORK"/setup/step-*.form | head -1 | sed 's/.*step-\([0-9]*\)\.form/\1/')
[ -n "$STEP" ] || die "no page with a text answer in $WORK/setup"
FORM=$(cat "$WORK/setup/step-$STEP.form")

saver() { # index token cookie csrf
    local i=$1 n=0 status deadline=$(($(date +%s) + SAVE_SECONDS))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        n=$((n + 1))
        status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Cookie: $3" \
            --data "_csrf=$4&${FORM/$TEXT/save-$i-$n}" "$LB/r/$2/step/$STEP" || echo 000)
        echo "$n $status $EPOCHSECONDS"
    done >"$WORK/saves-$i.log"
}
say "saving for ${SAVE_SECONDS} s; kill -9 of instance a after 3 s"
i=0
SAVER_PIDS=()
while IFS=$'\t' read -r token cookie csrf; do
    saver "$i" "$token" "$cookie" "$csrf" &
    SAVER_PIDS+=($!)
    i=$((i + 1))
done <"$WORK/setup/respondents.tsv"
sleep 3
kill -9 "$PID_a"
KILLED_AT=$(date +%s)
for pid in "${SAVER_PIDS[@]}"; do wait "$pid"; done

acked=0 acked_after=0 refused=0 lost=0 checked=0
for i in $(seq 0 $((SAVERS - 1))); do
    log="$WORK/saves-$i.log"
    acked=$((acked + $(awk '$2 == 303' "$log" | wc -l)))
    refused=$((refused + $(awk '$2 != 303' "$log" | wc -l)))
    acked_after=$((acked_after + $(awk -v t="$KILLED_AT" '$2 == 303 && $3 > t' "$log" | wc -l)))
    last=$(awk '$2 == 303 { n = $1 } END { print n + 0 }' "$log")
    held=$(sql "SELECT value FROM answers WHERE value LIKE 'save-$i-%'")
    held_n=${held##*-}
    checked=$((checked + 1))
    # The database holds the last acknowledged save, or a later one that was sent (and maybe
    # applied) but not acknowledged: never an earlier one.
    if [ "$last" -gt 0 ] && { [ -z "$held" ] || [ "$held_n" -lt "$last" ]; }; then
        lost=$((lost + 1))
        echo "respondent $i: last acknowledged save $last, database holds '${held}'" >&2
    fi
done
others=$(awk '$2 != 303 { print $2 }' "$WORK"/saves-*.log | sort | uniq -c | awk '{ printf "%s%s × %s", sep, $1, $2; sep = ", " }')
served_a=$(grep -c 'instances/a ' "$WORK/haproxy.log" || true)
served_b=$(grep -c 'instances/b ' "$WORK/haproxy.log" || true)
if kill -0 "$PID_a" 2>/dev/null; then
    fail "4. instance a was not killed"
elif [ "$lost" = 0 ] && [ "$acked_after" -gt 0 ] && [ "$served_a" -gt 0 ] && [ "$served_b" -gt 0 ]; then
    pass "4. kill -9 of a during saves: $acked saves acknowledged (303; $acked_after of them after the kill), none lost: each respondent's last acknowledged save is in the database ($checked checked); $refused answered otherwise, not acknowledged (${others:-none}); haproxy sent $served_a requests to a, $served_b to b"
else
    fail "4. lost saves on $lost of $checked respondents ($acked acknowledged, $acked_after after the kill, $refused not; a served $served_a, b $served_b)"
fi
# After the kill, the balancer sends everything to b.
late=$(curl -s -o /dev/null -w '%{http_code}' "$LB/health")
if [ "$late" = 200 ]; then
    pass "5. after the kill the balancer still answers (/health $late, served by b)"
else
    fail "5. after the kill the balancer answers /health with $late"
fi

printf '%s checks failed; %s s in all\n' "$FAILURES" "$(($(date +%s) - STARTED))"
[ "$FAILURES" = 0 ]
