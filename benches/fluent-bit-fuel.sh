#!/usr/bin/env bash
# Wasm instructions per record, the Fluent Bit module against the serde_json::Value baseline
# (benches/fluent_bit_fuel.py), on Fluent Bit records: `tail` records around generated IAS,
# ODBC and DTS lines, and the winevtlog shapes of the golden events.
#
#   benches/fluent-bit-fuel.sh [LINES]     (default 300 lines per format)
#
# Needs the wasm32-wasip1 target; installs the wasmtime Python package (pinned) in a venv
# under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300}
dir=target/fuel
mkdir -p "$dir"
cargo build -q --locked --release --example gen_corpus
cargo build -q --locked -p nps-enrich-wasm --target wasm32-wasip1 --profile wasm-fluent-bit --features fluent-bit
cargo build -q --locked -p fluent-bit-baseline --target wasm32-wasip1 --profile wasm-fluent-bit
[ -x target/pyfuel/bin/python ] || python3 -m venv target/pyfuel
target/pyfuel/bin/python -c 'import wasmtime' 2>/dev/null ||
    target/pyfuel/bin/pip install -q wasmtime==50.0.1

# Fluent Bit's tail input puts each line in `log`.
wrap='import sys, json
for l in sys.stdin:
    l = l.rstrip("\r\n")
    if l:
        print(json.dumps({"log": l}, ensure_ascii=False))'
for k in ias odbc dts; do
    target/release/examples/gen_corpus "$k" "$n" | python3 -c "$wrap" > "$dir/$k.jsonl"
done
# The winevtlog input's shapes among the golden events (named in the .shapes files).
: > "$dir/winevtlog.jsonl"
for f in tests/golden/winevent/{grant-6272-shapes,denial-6273-shapes,nap-and-account,ipsec,layouts}.in; do
    paste -d '\t' "${f%.in}.shapes" <(grep -v '^$' "$f") | awk -F'\t' '$1 ~ /^fluentbit/ { print $2 }' >> "$dir/winevtlog.jsonl"
done

wasm=target/wasm32-wasip1/wasm-fluent-bit
target/pyfuel/bin/python benches/fluent_bit_fuel.py \
    "$wasm/nps_enrich_wasm.wasm" "$wasm/fluent_bit_baseline.wasm" \
    ias="$dir/ias.jsonl" odbc="$dir/odbc.jsonl" dts="$dir/dts.jsonl" winevtlog="$dir/winevtlog.jsonl"
