#!/usr/bin/env bash
# Loading a large bibliography: `dossier check` on a workspace whose
# dossier.toml names a BibTeX file and a CSL-JSON file of N entries each
# (bench/gen_bibliography.py), against the same note without them.
# See bench/README.md, "Bibliographies".
#
#   bash bench/bibliography.sh           # N = 10000
#   bash bench/bibliography.sh 50000
#
# Environment: BENCH_RUNS (timed runs, default 10), BENCH_DIR (default
# target/bench), BENCH_BIN (time this binary instead of building the release).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-10000}
[[ "$N" =~ ^[0-9]+$ ]] || { echo "bibliography.sh: not an entry count: $N" >&2; exit 2; }
RUNS=${BENCH_RUNS:-10}
DIR=${BENCH_DIR:-target/bench}/bibliography-$N
if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
else
    cargo build --release --locked >&2
    BIN=${CARGO_TARGET_DIR:-target}/release/dossier
fi

python3 bench/gen_bibliography.py "$N" "$DIR"
echo "refs.bib: $(wc -c < "$DIR/refs.bib") bytes; refs.json: $(wc -c < "$DIR/refs.json") bytes" >&2

# The check must find every entry: the note's 400 citations all resolve.
for ws in "$DIR/both" "$DIR/bib" "$DIR/json"; do
    status=0
    "$BIN" check "$ws" --format json > "$DIR/findings.json" || status=$?
    [ "$status" -le 1 ] || { echo "bibliography.sh: dossier check $ws exited $status" >&2; exit 1; }
    python3 - "$DIR/findings.json" "$ws" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))
bad = [f for f in findings if f["rule"] in ("unknown-source", "invalid-bibliography")]
if bad:
    sys.exit(f"{sys.argv[2]}: {len(bad)} unexpected findings, e.g. {bad[0]}")
PY
done

hyperfine --warmup 2 --runs "$RUNS" --ignore-failure --style basic \
    -n baseline "$BIN check $DIR/baseline --format json" \
    -n "bib ($N entries)" "$BIN check $DIR/bib --format json" \
    -n "json ($N items)" "$BIN check $DIR/json --format json" \
    -n "both" "$BIN check $DIR/both --format json"
