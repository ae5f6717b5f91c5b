#!/usr/bin/env bash
# Dossier end-to-end benchmark: `dossier check CORPUS --format json` on generated
# corpora of N notes, against a ripgrep floor. See bench/README.md.
#
#   bash bench/run.sh              # N = 1000 10000 50000
#   bash bench/run.sh 1000 10000   # only these sizes
#
# Environment: BENCH_RUNS (timed runs per measurement, default 5),
#              BENCH_NO_INSTALL=1 (never call apt-get),
#              BENCH_DIR (default target/bench),
#              BENCH_BIN (benchmark this binary instead of building target/release/dossier),
#              BENCH_TIMER=loop (time with a bash loop even when hyperfine is installed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."          # repository root
ROOT=$PWD
RUNS=${BENCH_RUNS:-5}
BENCH_DIR=${BENCH_DIR:-target/bench}
BIN=target/release/dossier
GEN=bench/gen_corpus.py

if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 10000 50000); fi
for n in "${SIZES[@]}"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "run.sh: not a note count: $n" >&2; exit 2; }
done

log() { printf '%s\n' "$*" >&2; }

# --- tools ----------------------------------------------------------------
need_pkgs=()
command -v rg >/dev/null 2>&1 || need_pkgs+=(ripgrep)
command -v hyperfine >/dev/null 2>&1 || need_pkgs+=(hyperfine)
[ -x /usr/bin/time ] || need_pkgs+=(time)
if [ "${#need_pkgs[@]}" -gt 0 ] && [ -z "${BENCH_NO_INSTALL:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "run.sh: installing ${need_pkgs[*]} with apt-get"
        apt-get update -qq >&2 || log "run.sh: apt-get update failed"
        for p in "${need_pkgs[@]}"; do
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >&2 \
                || log "run.sh: could not install $p"
        done
    else
        log "run.sh: missing ${need_pkgs[*]} (not root or no apt-get); carrying on without"
    fi
fi
HAVE_HYPERFINE=0
if [ "${BENCH_TIMER:-}" != loop ] && command -v hyperfine >/dev/null 2>&1; then HAVE_HYPERFINE=1; fi
HAVE_RG=0; command -v rg >/dev/null 2>&1 && HAVE_RG=1
HAVE_TIME=0; [ -x /usr/bin/time ] && HAVE_TIME=1
command -v python3 >/dev/null 2>&1 || { log "run.sh: python3 is required"; exit 2; }

# --- build ----------------------------------------------------------------
if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN                    # benchmark another build; no cargo build
else
    log "run.sh: cargo build --release"
    cargo build --release >&2
fi
[ -x "$BIN" ] || { log "run.sh: $BIN was not built"; exit 2; }

mkdir -p "$BENCH_DIR"
GEN_HASH=$(sha256sum "$GEN" | cut -c1-16)
STAMP_RESULTS=$(date -u +%Y%m%d-%H%M%S)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- helpers --------------------------------------------------------------

# corpus N -> prints the corpus directory, generating it when missing or stale
corpus() {
    local n=$1 dir="$BENCH_DIR/corpus-$n" stamp="$BENCH_DIR/corpus-$n.stamp"
    local want="gen=$GEN_HASH notes=$n"
    if [ -d "$dir" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        log "run.sh: re-using $dir (generator $GEN_HASH)"
    else
        rm -rf "$dir" "$stamp"
        log "run.sh: generating $dir"
        python3 "$GEN" "$dir" --notes "$n" >&2
        printf '%s\n' "$want" > "$stamp"
    fi
    printf '%s\n' "$dir"
}

# times LABEL CMD -> prints "best median" in seconds; CMD is run by bash
times_of() {
    local label=$1 cmd=$2
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        hyperfine --runs "$RUNS" --warmup 1 --ignore-failure --style none \
            --export-json "$WORK/$label.json" "$cmd" >/dev/null 2>&1 \
            || { log "run.sh: hyperfine failed for: $cmd"; return 1; }
        python3 - "$WORK/$label.json" <<'EOF'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
t = r.get("times") or [r["min"], r["median"]]
print(f"{min(t):.4f} {statistics.median(t):.4f}")
EOF
    else
        bash -c "$cmd" >/dev/null 2>&1 || true          # warm-up
        local i t0 t1 ts=()
        for ((i = 0; i < RUNS; i++)); do
            t0=$(date +%s.%N)
            bash -c "$cmd" >/dev/null 2>&1 || true
            t1=$(date +%s.%N)
            ts+=("$(python3 -c "print($t1 - $t0)")")
        done
        python3 -c 'import statistics, sys; t = [float(x) for x in sys.argv[1:]]; print(f"{min(t):.4f} {statistics.median(t):.4f}")' "${ts[@]}"
    fi
}

# findings JSON, corpus.json -> one line comparing counts with the planted ones
compare_findings() {
    python3 - "$1" "$2" <<'EOF'
import collections, json, sys
got = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))["expected_findings"]
by_rule = collections.Counter(d["rule"] for d in got)
by_sev = collections.Counter(d["severity"] for d in got)
rules = ["unknown-actor", "unknown-source", "unknown-claim", "unsourced-claim",
         "weak-sourcing"]
diffs = []
for r in sorted(set(rules) | set(by_rule)):
    e = exp.get(r, 0)
    if by_rule.get(r, 0) != e:
        diffs.append(f"{r} {by_rule.get(r, 0)} (expected {e})")
sev = ", ".join(f"{by_sev[s]} {s}" for s in ("error", "warning", "info", "hint") if by_sev[s])
if diffs:
    print(f"{len(got)} findings ({sev}); DIFFERS from the planted findings: " + "; ".join(diffs))
else:
    print(f"{len(got)} findings ({sev}); matches the planted findings")
EOF
}

# --- measure --------------------------------------------------------------
ROWS=()
NOTES_OUT=()
status=0
for n in "${SIZES[@]}"; do
    dir=$(corpus "$n")
    files=$(find "$dir" -name '*.md' -type f | wc -l)
    md_bytes=$(find "$dir" -name '*.md' -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')

    # 1. one checked run: exit status and findings
    log "run.sh: N=$n: checking ($files files, $md_bytes bytes)"
    set +e
    "$BIN" check "$dir" --format json > "$WORK/findings-$n.json" 2> "$WORK/stderr-$n"
    rc=$?
    set -e
    if [ "$rc" -ge 2 ]; then
        log "run.sh: N=$n: dossier check exited $rc (1 = findings is expected; 2+ or a signal is a failure):"
        head -5 "$WORK/stderr-$n" >&2
        ROWS+=("| $n | $files | $(awk -v b="$md_bytes" 'BEGIN {printf "%.1f", b / 1e6}') | FAILED (exit $rc) | | | | | | |")
        status=1
        continue
    fi
    if out=$(compare_findings "$WORK/findings-$n.json" "$dir/corpus.json" 2>&1); then
        NOTES_OUT+=("- N=$n: exit $rc; $out")
    else
        NOTES_OUT+=("- N=$n: exit $rc; output is not the JSON array of SPEC §4: ${out##*$'\n'}")
    fi

    # 2. peak RSS
    rss_kb=""
    if [ "$HAVE_TIME" = 1 ]; then
        set +e
        /usr/bin/time -v -o "$WORK/time-$n" "$BIN" check "$dir" --format json > /dev/null 2>&1
        set -e
        rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time-$n")
    fi

    # 3. wall time
    best=""; median=""
    read -r best median < <(times_of "dossier-$n" "$BIN check $dir --format json > /dev/null") || true
    if [ -z "$best" ]; then
        ROWS+=("| $n | $files | | timing FAILED | | | | | | |"); status=1; continue
    fi
    rg_best=""
    if [ "$HAVE_RG" = 1 ]; then
        read -r rg_best _ < <(times_of "rg-$n" "rg -c -F '{' $dir > /dev/null") || true
    fi

    row=$(python3 - "$n" "$files" "$md_bytes" "$best" "$median" "${rss_kb:-}" "${rg_best:-}" <<'EOF'
import sys
n, files, md, best, median, rss_kb, rg = sys.argv[1:]
md = int(md); best = float(best); median = float(median)
mb = md / 1e6
cells = [n, files, f"{mb:.1f}", f"{best:.3f}", f"{median:.3f}", f"{mb / best:.0f}"]
if rss_kb:
    rss = int(rss_kb) * 1024
    cells += [f"{rss / 1e6:.0f}", f"{rss / md:.2f}"]
else:
    cells += ["n/a", "n/a"]
if rg:
    cells += [f"{float(rg):.3f}", f"{best / float(rg):.1f}×"]
else:
    cells += ["n/a", "n/a"]
print("| " + " | ".join(cells) + " |")
EOF
)
    ROWS+=("$row")
done

# --- report ---------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
mem=$(awk '/^MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
[ -n "$(git status --porcelain -- src Cargo.toml 2>/dev/null)" ] && rev="$rev, src modified"
timer=$([ "$HAVE_HYPERFINE" = 1 ] && hyperfine --version || echo "bash loop (date +%s.%N)")
report="$BENCH_DIR/results-$STAMP_RESULTS.md"
{
    echo "### dossier check --format json (best/median of $RUNS warm runs)"
    echo
    echo "| N | files | MB | dossier best s | median s | MB/s | peak RSS MB | RSS/corpus | rg best s | dossier/rg |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    printf '%s\n' "${NOTES_OUT[@]}"
    echo
    echo "Machine: $(nproc) CPUs, $cpu, $mem RAM; $(rustc --version); $(uname -sr)"
    echo "Dossier: $rev; generator $GEN_HASH; timer: $timer; floor: $(rg --version 2>/dev/null | head -1 || echo 'rg n/a') \`rg -c -F '{' CORPUS\`"
    echo "MB = 10^6 bytes of Markdown (*.md) in the corpus; MB/s = MB / best time; RSS/corpus = peak RSS / Markdown bytes."
} | tee "$report"
log "run.sh: report written to $report"
exit "$status"
