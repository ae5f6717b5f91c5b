#!/usr/bin/env bash
# `dossier check --fix` against a plain `dossier check` of the same corpus:
# N notes, each ending with one claim that a safe fix corrects
# (`gen_corpus.py --fixable`). Every timed run gets a fresh copy of the
# corpus (hyperfine's --prepare), the plain check included, so that all
# read the same. Beside them, the floor: every note replaced
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

# A fresh copy for every run. It is left to age three seconds (not timed),
# as notes usually have by the time anyone fixes them: `--fix` trusts the
# stamp it took when it read a note only for a file not modified or
# changed in the two seconds before (docs/cli.md). One `--fix` row times a
# copy just made instead, every note then read again before it is written.
COPY="rm -rf '$WORK' && cp -a '$CORPUS' '$WORK'"
AGED="$COPY && sleep 3"
hyperfine --runs "$RUNS" --warmup 1 --ignore-failure \
    --export-markdown "$BENCH_DIR/fix-results.md" \
    --prepare "$AGED" -n "check" "'$BIN' check '$WORK' --format json > /dev/null" \
    --prepare "$AGED" -n "check --fix" "'$BIN' check '$WORK' --fix --format json > /dev/null 2>&1" \
    --prepare "$COPY" -n "check --fix, notes copied just before" "'$BIN' check '$WORK' --fix --format json > /dev/null 2>&1" \
    --prepare "$AGED" -n "check --diff" "'$BIN' check '$WORK' --diff > /dev/null 2>&1" \
    --prepare "$AGED" -n "replace every note (floor)" "python3 bench/replace_floor.py '$WORK' 2> /dev/null"
rm -rf "$WORK"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version)"
