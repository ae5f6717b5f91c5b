#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer on the stable toolchain and prints
# the folder holding the binaries.
#
# `cargo fuzz` wants nightly only for its sanitizer flags (-Zsanitizer=…);
# the coverage instrumentation libFuzzer needs is LLVM's SanitizerCoverage,
# which stable rustc runs through the stable `-C passes` and `-C llvm-args`
# options. libfuzzer-sys compiles libFuzzer itself (C++, so a C++ compiler
# is needed) and provides `main`. `--target` keeps these flags off build
# scripts and proc macros, which must not be instrumented.
set -euo pipefail
cd "$(dirname "$0")"
host=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="--cfg fuzzing \
 -Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 ${RUSTFLAGS:-}"
cargo build --release --locked --target "$host" --bins >&2
echo "$PWD/target/$host/release"
