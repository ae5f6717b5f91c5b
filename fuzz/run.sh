#!/usr/bin/env bash
# Fuzzes one target: ./run.sh TARGET [SECONDS] [more libFuzzer options]
#
# New inputs go to corpus-work/TARGET (or $FUZZ_WORK/TARGET; not
# committed), the seeds in
# corpus/TARGET are only read, and a crashing input is written to
# artifacts/TARGET/. Exits non-zero on a crash, a timeout or running out
# of memory; libFuzzer's last lines give the reproducer and its stats.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: run.sh TARGET [SECONDS] [libFuzzer options]}
seconds=${2:-60}
shift $(($# < 2 ? $# : 2))
case $target in
  parse) max_len=8192 ;;
  edits) max_len=4096 ;;
  *) echo "unknown target $target (parse, edits)" >&2; exit 2 ;;
esac
bin=$(./build.sh)/$target
work=${FUZZ_WORK:-corpus-work}/$target
mkdir -p "$work" "artifacts/$target"
# -len_control=0: inputs may use the whole -max_len at once; the edits
# target's structured inputs need a few hundred bytes before they say much.
exec "$bin" "$work" "corpus/$target" \
  -max_total_time="$seconds" -max_len="$max_len" -len_control=0 \
  -timeout=1 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="artifacts/$target/" "$@"
