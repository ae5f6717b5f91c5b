#!/usr/bin/env bash
# `dossier report` against `dossier check` on one generated corpus (default
# 10,000 notes), timed side by side in one hyperfine run, with the report's
# peak memory and size. See bench/README.md.
#
#   bash bench/report.sh          # N = 10000
#   bash bench/report.sh 50000
#
# Environment: BENCH_RUNS (timed runs, default 5), BENCH_DIR (default
# target/bench), BENCH_BIN (this binary instead of building
# target/release/dossier).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."          # repository root
N=${1:-10000}
[[ "$N" =~ ^[0-9]+$ ]] || { echo "report.sh: not a note count: $N" >&2; exit 2; }
RUNS=${BENCH_RUNS:-5}
BENCH_DIR=${BENCH_DIR:-target/bench}
command -v hyperfine >/dev/null 2>&1 || { echo "report.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
else
    cargo build --release >&2
    BIN=${CARGO_TARGET_DIR:-target}/release/dossier
fi
CORPUS=$BENCH_DIR/corpus-$N
if [ ! -f "$CORPUS/corpus.json" ]; then
    mkdir -p "$CORPUS"
    python3 bench/gen_corpus.py "$CORPUS" --notes "$N" >&2
fi
OUT=$BENCH_DIR/report-$N

# The report must be written (exit 0) before it is timed.
"$BIN" report "$CORPUS" -o "$OUT" > /dev/null
hyperfine --warmup 1 --runs "$RUNS" -N --ignore-failure \
    --export-markdown "$BENCH_DIR/report-$N.md" \
    "$BIN check $CORPUS --format json" \
    "$BIN report $CORPUS -o $OUT" >&2
cat "$BENCH_DIR/report-$N.md"

echo
echo "| command | peak RSS MB | output MB | files |"
echo "|---|---:|---:|---:|"
corpus_mb=$(du -sb --apparent-size "$CORPUS" | cut -f1)
if [ -x /usr/bin/time ]; then
    for args in "check $CORPUS --format json" "report $CORPUS -o $OUT"; do
        # shellcheck disable=SC2086
        rss=$( { /usr/bin/time -v "$BIN" $args > "$BENCH_DIR/report.out" || true; } 2>&1 | awk '/Maximum resident set size/ {print $6}')
        if [ "${args%% *}" = report ]; then
            size=$(du -sb --apparent-size "$OUT" | cut -f1); files=$(find "$OUT" -type f | wc -l)
        else
            size=$(stat -c %s "$BENCH_DIR/report.out"); files=1
        fi
        awk -v a="${args%% *}" -v r="$rss" -v s="$size" -v f="$files" 'BEGIN { printf "| %s | %.1f | %.1f | %d |\n", a, r / 1024, s / 1e6, f }'
    done
    rm -f "$BENCH_DIR/report.out"
fi
awk -v c="$corpus_mb" 'BEGIN { printf "\ncorpus: %.1f MB\n", c / 1e6 }'
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version)"
