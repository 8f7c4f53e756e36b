#!/usr/bin/env bash
# Builds both WebAssembly artefacts from the nps-enrich-wasm crate:
#   npm/node/, npm/web/          the JS package (wasm-bindgen, Node and browser builds)
#   dist/nps_enrich_fluent_bit.wasm   the Fluent Bit filter module
# Needs: rustup targets wasm32-unknown-unknown and wasm32-wasip1, and wasm-bindgen-cli of the
# exact wasm-bindgen version in Cargo.lock (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
if [ "$want" != "$have" ]; then
  echo "wasm-bindgen-cli $want is needed (found: ${have:-none}); run .ci/run or: cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi

# The Node build uses 128-bit SIMD (memchr's line and byte scans, and what LLVM vectorises):
# 4-8 % less CPU in Node (benches/record/2026-12-01-js.md), and every Node the package
# supports (>= 18) runs it. The browser build stays without, so no browser is refused, and
# so does the Fluent Bit module below (its runtime is not known to run it). The SIMD build
# has a target directory of its own, so neither build undoes the other's cache.
cargo build --locked -p nps-enrich-wasm --target wasm32-unknown-unknown --profile wasm-js --features js
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128" \
  cargo build --locked -p nps-enrich-wasm --target wasm32-unknown-unknown --profile wasm-js --features js \
  --target-dir target/wasm-js-simd128
js=target/wasm32-unknown-unknown/wasm-js/nps_enrich_wasm.wasm
js_simd=target/wasm-js-simd128/wasm32-unknown-unknown/wasm-js/nps_enrich_wasm.wasm
rm -rf wasm/npm/node wasm/npm/web
wasm-bindgen --remove-name-section --remove-producers-section --target nodejs --out-dir wasm/npm/node "$js_simd"
wasm-bindgen --remove-name-section --remove-producers-section --target web --out-dir wasm/npm/web "$js"
# The package carries the licences (npm includes LICENSE* files on its own).
cp LICENSE-MIT LICENSE-APACHE wasm/npm/

cargo build --locked -p nps-enrich-wasm --target wasm32-wasip1 --profile wasm-fluent-bit --features fluent-bit
mkdir -p wasm/dist
cp target/wasm32-wasip1/wasm-fluent-bit/nps_enrich_wasm.wasm wasm/dist/nps_enrich_fluent_bit.wasm

for f in wasm/npm/node/nps_enrich_wasm_bg.wasm wasm/npm/web/nps_enrich_wasm_bg.wasm wasm/dist/nps_enrich_fluent_bit.wasm; do
  printf '%s: %s bytes, %s gzipped\n' "$f" "$(wc -c < "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
