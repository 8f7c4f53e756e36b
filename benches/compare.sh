#!/usr/bin/env bash
# Whole-process comparison, in one run, each command pinned to one core: on the same file
# per format, `cat` (I/O floor), `wc -l` (line-scan floor), nps-enrich, and the plain
# Python baseline (benches/baseline.py); then peak RSS, start-up time and --threads; then the
# JS package against the CLI and the Fluent Bit module's instructions per record.
# Prints a Markdown report; with --record also writes it to benches/record/<date>.md.
#
#   benches/compare.sh [--record] [SIZE_MB]      (default 1024 MB per format)
set -euo pipefail
cd "$(dirname "$0")/.."
record=0
if [ "${1:-}" = --record ]; then record=1; shift; fi
mb=${1:-1024}
dir=target/compare
mkdir -p "$dir"
cargo build -q --release --locked --bin nps-enrich --example gen_corpus
nps=target/release/nps-enrich
gen=target/release/examples/gen_corpus
core=$(( $(nproc) - 1 ))
pin=(taskset -c "$core")

# Generated corpora, made once per size: lines per MB estimated from a sample.
make_corpus() { # kind file
    local kind=$1 file=$2
    [ -s "$file" ] && return
    local per=$("$gen" "$kind" 10000 | wc -c)
    "$gen" "$kind" $(( mb * 1048576 * 10000 / per )) > "$file"
}
for kind in ias odbc dts mixed; do make_corpus "$kind" "$dir/$kind-$mb.log"; done
ev="$dir/events-$mb.log"
if ! [ -s "$ev" ]; then
    cat tests/golden/winevent/{grant-6272,denial-6273}-shapes.in tests/golden/winevent/ipsec.in > "$dir/events-one.log"
    one=$(wc -c < "$dir/events-one.log")
    for _ in $(seq 1 $(( mb * 1048576 / one ))); do cat "$dir/events-one.log"; done > "$ev"
fi

# Elapsed seconds and peak RSS (KiB) of a command, output discarded.
measure() { /usr/bin/time -f "%e %M" "$@" > /dev/null 2> "$dir/time.txt" || true; tail -1 "$dir/time.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

report="$dir/report.md"
{
echo "# nps-enrich whole-process comparison, $(date -u +%Y-%m-%d)"
echo
echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), each command pinned to core $core;"
echo "files of $mb MB made by \`benches/compare.sh\` (gen_corpus; events: the golden shapes repeated)."
echo "nps-enrich $($nps --version | cut -d' ' -f2), the default (compact) profile, --threads 1, --timezone UTC."
echo
echo "| input | lines | cat s | wc -l s | nps-enrich s | lines/s | MB/s | peak RSS MB | Python s | × Python |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for kind in ias odbc dts events mixed; do
    f="$dir/$kind-$mb.log"
    size=$(wc -c < "$f")
    lines=$(wc -l < "$f")
    read -r t_cat _ < <(measure "${pin[@]}" cat "$f")
    read -r t_wc _ < <(measure "${pin[@]}" wc -l "$f")
    read -r t_nps rss < <(measure "${pin[@]}" "$nps" -t UTC -j1 -q "$f")
    read -r t_py _ < <(measure "${pin[@]}" python3 benches/baseline.py < "$f")
    echo "| $kind | $lines | $t_cat | $t_wc | $t_nps | $(rate "$lines" "$t_nps") | $(rate $(( size / 1048576 )) "$t_nps") | $(( rss / 1024 )) | $t_py | $(ratio "$t_py" "$t_nps") |"
done
echo
# Start-up: the mean of 200 runs on empty input.
start=$(date +%s%N)
for _ in $(seq 200); do "$nps" -t UTC < /dev/null > /dev/null; done
echo "Start-up on empty input: $(( ($(date +%s%N) - start) / 200000 )) µs (mean of 200 runs)."
read -r t1 _ < <(measure "$nps" -t UTC -j1 -q "$dir/mixed-$mb.log")
read -r t2 rss2 < <(measure "$nps" -t UTC -j"$(nproc)" -q "$dir/mixed-$mb.log")
echo "--threads $(nproc) on the mixed file: $t1 s → $t2 s ($(ratio "$t1" "$t2")×), peak RSS $(( rss2 / 1024 )) MB."
echo
echo "## WebAssembly"
echo
if [ -f wasm/npm/node/nps_enrich_wasm.js ]; then
    echo "JS package in Node against the CLI on one core (\`benches/js-vs-native.mjs 50\`):"
    echo
    "${pin[@]}" node benches/js-vs-native.mjs 50 | sed 's/^/    /'
else
    echo "(JS package not built: run wasm/build.sh for the Node comparison)"
fi
echo
echo "Fluent Bit module, wasm instructions per record (wasmtime fuel, \`benches/fluent-bit-fuel.sh\`):"
echo
bash benches/fluent-bit-fuel.sh 300
} | tee "$report"
if [ $record = 1 ]; then
    mkdir -p benches/record
    # A second run on the same day gets -2, -3, …: earlier records stay.
    rec="benches/record/$(date -u +%Y-%m-%d)"
    n=1; out="$rec.md"
    while [ -e "$out" ]; do n=$((n + 1)); out="$rec-$n.md"; done
    cp "$report" "$out"
    echo "recorded: $out"
fi
