#!/usr/bin/env bash
# Runs fuzz targets for a fixed number of executions each and prints one Markdown table
# row per target (the figures fuzz/README.md records). Exits non-zero on the first crash,
# leaving the input in fuzz/artifacts/<target>/.
#
#   fuzz/run.sh [-n RUNS] [TARGET...]     (default: 10,000,000 runs, every target)
#
# Needs the nightly toolchain and cargo-fuzz. Built without a sanitizer: the core forbids
# unsafe code, and the Fluent Bit shim's few unsafe lines are also checked under Miri.
set -euo pipefail
cd "$(dirname "$0")"
runs=10000000
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
# Built in the main target/ (cached by CI with the rest).
flags=(-s none --no-trace-compares --target-dir ../target/fuzz)
[ -d corpus ] || ./seed.sh > /dev/null
cargo +nightly fuzz build "${flags[@]}" > /dev/null 2>&1
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    log=$(mktemp)
    start=$(date +%s)
    if ! cargo +nightly fuzz run "${flags[@]}" "$t" "corpus/$t" -- \
        -runs="$runs" -dict=nps.dict -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
        -print_final_stats=1 > "$log" 2>&1; then
        grep -E "panicked at|ERROR|SUMMARY|Test unit written" -A3 "$log" | head -40 >&2
        echo "| $t | CRASH after $(grep -oP 'stat::number_of_executed_units: *\K[0-9]+' "$log" || echo '?') runs | | | |"
        rm -f "$log"
        exit 1
    fi
    secs=$(( $(date +%s) - start ))
    execs=$(grep -oP 'stat::number_of_executed_units: *\K[0-9]+' "$log")
    cov=$(grep -oP 'DONE +cov: \K[0-9]+' "$log" | tail -1)
    corp=$(ls "corpus/$t" | wc -l)
    echo "| $t | $execs | $secs s | $(( execs / (secs > 0 ? secs : 1) )) | $cov | $corp | 0 |"
    rm -f "$log"
done
