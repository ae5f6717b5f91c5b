#!/usr/bin/env bash
# `dossier check --fix` against a plain `dossier check` of the same corpus:
# N notes, each ending with one claim that a safe fix corrects
# (`gen_corpus.py --fixable`). Every timed run gets a fresh copy of the
# corpus (hyperfine's --prepare), the plain check included, so that both
# read a corpus just copied. Beside them, the floor: every note replaced
# atomically by a bare Python loop (bench/replace_floor.py), what any atomic
# writer pays on this file system. See bench/README.md.
#
#   bash bench/fix_bench.sh          # N = 10000
#   bash bench/fix_bench.sh 1000
#
# Environment: BENCH_RUNS (timed runs, default 5), BENCH_DIR (default
# target/bench), BENCH_BIN (this binary instead of building target/release/dossier).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."          # repository root
N=${1:-10000}
[[ "$N" =~ ^[0-9]+$ ]] || { echo "fix_bench.sh: not a note count: $N" >&2; exit 2; }
RUNS=${BENCH_RUNS:-5}
BENCH_DIR=${BENCH_DIR:-target/bench}
command -v hyperfine >/dev/null 2>&1 || { echo "fix_bench.sh: needs hyperfine" >&2; exit 2; }

if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
else
    cargo build --release >&2
    BIN=target/release/dossier
fi
BIN=$(realpath "$BIN")

CORPUS=$BENCH_DIR/corpus-$N-fixable
WORK=$BENCH_DIR/fix-work-$N
mkdir -p "$BENCH_DIR"
python3 bench/gen_corpus.py "$CORPUS" --notes "$N" --fixable >&2

# Once, outside the timing: every planted finding is fixed, and a second
# run finds nothing to do.
rm -rf "$WORK" && cp -a "$CORPUS" "$WORK"
"$BIN" check "$WORK" --fix --format json > /dev/null 2> "$BENCH_DIR/fix-first.txt" || true
"$BIN" check "$WORK" --fix --format json > /dev/null 2> "$BENCH_DIR/fix-second.txt" || true
echo "first run:  $(cat "$BENCH_DIR/fix-first.txt")"
echo "second run: $(cat "$BENCH_DIR/fix-second.txt")"
grep -q "^$N findings fixed in $N files; " "$BENCH_DIR/fix-first.txt" \
    || { echo "fix_bench.sh: expected $N findings fixed in $N files" >&2; exit 1; }
grep -q "^0 findings fixed in 0 files; " "$BENCH_DIR/fix-second.txt" \
    || { echo "fix_bench.sh: the second run changed something" >&2; exit 1; }

hyperfine --runs "$RUNS" --warmup 1 --ignore-failure \
    --prepare "rm -rf '$WORK' && cp -a '$CORPUS' '$WORK'" \
    --export-markdown "$BENCH_DIR/fix-results.md" \
    -n "check" "'$BIN' check '$WORK' --format json > /dev/null" \
    -n "check --fix" "'$BIN' check '$WORK' --fix --format json > /dev/null 2>&1" \
    -n "check --diff" "'$BIN' check '$WORK' --diff > /dev/null 2>&1" \
    -n "replace every note (floor)" "python3 bench/replace_floor.py '$WORK' 2> /dev/null"
rm -rf "$WORK"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version)"
