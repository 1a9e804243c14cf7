#!/usr/bin/env bash
# The yearly report at scale: synthetic territorial responses, then for each size
#   (a) the whole report from the database (`report --year 2026`), and the open-data export
#       (`export --year 2026`), each timed with its peak memory;
#   (b) the aggregation step alone from the exported diagnostics.parquet, by the service
#       (hidden `bench-aggregate`) and by a plain pandas script (bench/pandas_baseline.py),
#       checking that both give the same figures to 1e-9.
#
#   bash bench/report.sh                    # sizes 10000 100000 1000000
#   SIZES="10000 100000" bash bench/report.sh
#
# Writes bench/results/report-<date>.md. Databases are kept in $WORK (bench-<N>.sqlite) and
# reused by later runs (generation is timed once, when the file is made). See bench/README.md.
set -euo pipefail

SIZES=${SIZES:-"10000 100000 1000000"}
# Submitted responses per organisation, on average over its one or two diagnostics.
PER_ORGANISATION=${PER_ORGANISATION:-50}
SEED=${SEED:-1}
WORK=${WORK:-/tmp/reset-eval-bench-report}
SKIP_BUILD=${SKIP_BUILD:-0}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/reset-eval/target}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# BIN: another build to time (e.g. the previous commit's), with SKIP_BUILD=1.
BIN=${BIN:-"$CARGO_TARGET_DIR/release/reset-eval"}
DATE=$(date +%Y-%m-%d)
OUT_MD=${OUT_MD:-"$HERE/results/report-$DATE.md"}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'report.sh: %s\n' "$*" >&2; exit 1; }

[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
python3 -c 'import pandas, pyarrow' 2>/dev/null ||
    die "pandas and pyarrow are missing: pip install --break-system-packages pandas pyarrow"
if [ "$SKIP_BUILD" != 1 ]; then
    say "cargo build --release --bin reset-eval"
    (cd "$ROOT" && cargo build --release --bin reset-eval)
fi
[ -x "$BIN" ] || die "no release binary at $BIN"
mkdir -p "$WORK" "$(dirname "$OUT_MD")"

# Runs a command under /usr/bin/time -v; prints "wall_seconds peak_MiB cpu_seconds".
measure() {
    local log="$1"
    shift
    /usr/bin/time -v "$@" >"$log.out" 2>"$log.time" || {
        cat "$log.out" "$log.time" >&2
        die "failed: $*"
    }
    python3 - "$log.time" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
seconds = 0.0
for part in wall.split(":"):
    seconds = seconds * 60 + float(part)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
# CPU time too: on a shared machine, wall time says as much about the neighbours.
cpu = sum(float(re.search(rf"{k} time \(seconds\): (\S+)", text).group(1)) for k in ("User", "System"))
print(f"{seconds:.2f} {rss / 1024:.0f} {cpu:.2f}")
EOF
}

rows=()
for N in $SIZES; do
    DB="$WORK/bench-$N.sqlite"
    OUT="$WORK/out-$N"
    rm -rf "$OUT"
    mkdir -p "$OUT"
    export DATABASE_URL="sqlite://$DB" APP_LOG=warn APP_LANG=en APP_QUESTIONNAIRES_DIR="$ROOT/questionnaires"
    generation="(reused)"
    if [ ! -f "$DB" ]; then
        say "$N: generating synthetic data"
        read -r secs mib _ < <(measure "$OUT/generate" "$BIN" demo --synthetic \
            --organisations $((N / PER_ORGANISATION)) --respondents "$N" --seed "$SEED")
        generation="$secs s, $mib MiB"
        cat "$OUT/generate.out" >&2
    fi
    size=$(du -m "$DB" | cut -f1)
    in_year=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(\"SELECT COUNT(*) FROM responses WHERE submitted_at LIKE '2026-%'\").fetchone()[0])" "$DB")

    # Untimed: a build with a new migration would otherwise time it (an index on a million
    # rows). Keep one copy of the database a build: an older build refuses a database that
    # a newer one migrated.
    "$BIN" migrate >/dev/null
    say "$N: (a) report --year 2026"
    read -r r_secs r_mib r_cpu < <(measure "$OUT/report" "$BIN" report --year 2026 --out "$OUT/report")
    cat "$OUT/report.out" >&2
    say "$N: (a) export --year 2026"
    read -r e_secs e_mib e_cpu < <(measure "$OUT/export" "$BIN" export --year 2026 --out "$OUT/open-data")
    cat "$OUT/export.out" >&2
    PARQUET="$OUT/open-data/diagnostics.parquet"

    say "$N: (b) polars from $PARQUET"
    read -r p_secs p_mib _ < <(measure "$OUT/polars" "$BIN" bench-aggregate --parquet "$PARQUET" --out "$OUT/polars")
    say "$N: (b) pandas from $PARQUET"
    read -r q_secs q_mib _ < <(measure "$OUT/pandas" python3 "$HERE/pandas_baseline.py" "$PARQUET" "$OUT/pandas")
    same=$(python3 "$HERE/pandas_baseline.py" --compare "$OUT/polars" "$OUT/pandas")
    say "$same"
    # Each prints "aggregated N diagnostics in S s": the step alone, without process start-up
    # (which, for Python, includes importing pandas).
    p_in=$(sed -n 's/^aggregated .* in \([0-9.]*\) s$/\1/p' "$OUT/polars.time")
    q_in=$(sed -n 's/^aggregated .* in \([0-9.]*\) s$/\1/p' "$OUT/pandas.time")
    ratio=$(python3 -c "print(f'{$q_secs / max($p_secs, 0.01):.1f}')")
    ratio_in=$(python3 -c "print(f'{$q_in / max($p_in, 0.001):.1f}')")
    rows+=("| $N | $in_year | $size MiB | $generation | $r_secs s (CPU $r_cpu s), $r_mib MiB | $e_secs s (CPU $e_cpu s), $e_mib MiB | $p_secs s ($p_in s), $p_mib MiB | $q_secs s ($q_in s), $q_mib MiB | ${ratio}× (${ratio_in}×) | $same |")
done

{
    echo "# Report data benchmark, $DATE"
    echo
    echo "Binary: $BIN. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; SQLite; release build."
    echo "Synthetic data: \`demo --synthetic --organisations N/$PER_ORGANISATION --respondents N --seed $SEED\`"
    echo "(territorial questionnaire, 2025 and 2026; N submitted responses in all, plus one in twenty"
    echo "started and not submitted). (a) times \`report --year 2026\` (the whole report: every"
    echo "table, chart and file) and \`export --year 2026\` (the open data); (b) reads the exported"
    echo "\`diagnostics.parquet\` (the collective scores of the year's diagnostics) and computes the per-quality"
    echo "distribution and the 7 × 3 heatmap, by the service (polars) and by pandas. Wall time and"
    echo "peak resident memory from \`/usr/bin/time -v\`, whole processes (for (a) also their CPU time, user + system); in brackets, the"
    echo "aggregation step alone as each program times it (without start-up, for Python the"
    echo "import of pandas)."
    echo
    echo "| submitted responses | in 2026 | database | generation | (a) report | (a) export | (b) polars | (b) pandas | pandas / polars | same figures |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} | tee "$OUT_MD"
