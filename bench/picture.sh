#!/usr/bin/env bash
# `dossier stats` and `dossier export` against `dossier check` on one
# generated corpus (default 10,000 notes), timed side by side in one
# hyperfine run, with each command's peak memory. See bench/README.md.
#
#   bash bench/picture.sh          # N = 10000
#   bash bench/picture.sh 50000
#
# Environment: BENCH_RUNS (timed runs, default 5), BENCH_DIR (default
# target/bench), BENCH_BIN (this binary instead of building
# target/release/dossier).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."          # repository root
N=${1:-10000}
[[ "$N" =~ ^[0-9]+$ ]] || { echo "picture.sh: not a note count: $N" >&2; exit 2; }
RUNS=${BENCH_RUNS:-5}
BENCH_DIR=${BENCH_DIR:-target/bench}
command -v hyperfine >/dev/null 2>&1 || { echo "picture.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

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

# Each command must succeed (check: 0 or 1) before it is timed.
"$BIN" stats "$CORPUS" --format json > /dev/null
"$BIN" export "$CORPUS" --format csv > /dev/null
"$BIN" export "$CORPUS" --format json | python3 -c 'import json, sys; json.load(sys.stdin)'  # valid JSON
hyperfine --warmup 1 --runs "$RUNS" -N --ignore-failure \
    --export-markdown "$BENCH_DIR/picture-$N.md" \
    "$BIN check $CORPUS --format json" \
    "$BIN stats $CORPUS --format json" \
    "$BIN stats $CORPUS" \
    "$BIN export $CORPUS --format json" \
    "$BIN export $CORPUS --format csv" \
    "$BIN export $CORPUS --format dot" \
    "$BIN export $CORPUS --format mermaid" >&2
cat "$BENCH_DIR/picture-$N.md"

if [ -x /usr/bin/time ]; then
    echo
    echo "| command | peak RSS MB | output MB |"
    echo "|---|---:|---:|"
    for args in "check --format json" "stats --format json" "export --format json" "export --format csv" "export --format dot" "export --format mermaid"; do
        # shellcheck disable=SC2086
        # `check` exits 1 when it finds errors (the corpus plants some).
        rss=$( { /usr/bin/time -v "$BIN" $args "$CORPUS" > "$BENCH_DIR/picture.out" || true; } 2>&1 | awk '/Maximum resident set size/ {print $6}')
        size=$(stat -c %s "$BENCH_DIR/picture.out")
        awk -v a="$args" -v r="$rss" -v s="$size" 'BEGIN { printf "| %s | %.1f | %.1f |\n", a, r / 1024, s / 1e6 }'
    done
    rm -f "$BENCH_DIR/picture.out"
fi
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version)"
