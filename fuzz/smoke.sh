#!/usr/bin/env bash
# CI's fuzz smoke run: builds both targets on the stable toolchain and runs
# each for ~25 s from the seed corpus. Exits non-zero on a crash, a panic, an
# oracle mismatch, a timeout or an out-of-memory; the reproducer is left in
# fuzz/artifacts/<target>/ and libFuzzer prints it in base64 too.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-25}

# libfuzzer-sys compiles libFuzzer from its C++ sources.
if ! command -v c++ >/dev/null 2>&1; then
  echo "fuzz: no C++ compiler; installing g++" >&2
  apt-get update -qq && apt-get install -y -qq g++ >/dev/null
fi

./build.sh >/dev/null
# A fresh working corpus: the smoke run starts from the seeds alone.
export FUZZ_WORK
FUZZ_WORK=$(mktemp -d)
trap 'rm -rf "$FUZZ_WORK"' EXIT
# The edits target writes its little workspace under the temp dir: in ours.
export TMPDIR=$FUZZ_WORK
for target in parse edits; do
  echo "fuzz: $target for ${seconds}s"
  mkdir -p artifacts
  log=artifacts/smoke-$target.log
  if ! ./run.sh "$target" "$seconds" > "$log" 2>&1; then
    grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' "$log" | tail -60
    echo "fuzz: $target FAILED (reproducer in fuzz/artifacts/$target/)" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)|DONE' "$log" || true
done
echo "fuzz: smoke run clean"
