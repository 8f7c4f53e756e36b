#!/usr/bin/env bash
# The whole test suite. Expects the tools .ci/run installs (rustup targets, wasm-bindgen-cli,
# Node with wasm/tests/node_modules, Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all --check

step "lint"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings

step "Rust tests (library, CLI, golden files, properties, events, Fluent Bit ABI)"
cargo test --workspace --all-features --locked

step "Windows: the CLI and its tests built for x86_64-pc-windows-gnu and run under Wine"
cargo clippy --locked -p nps-enrich --all-targets --target x86_64-pc-windows-gnu -- -D warnings
cargo build --locked -p nps-enrich --target x86_64-pc-windows-gnu
eval "$(bash .ci/wine/prefix.sh)"
# Every test; those that cannot run on Windows say why in the test. As a server in Tokyo
# whose ANSI code page is 932: Wine takes both from the Unix environment (tests/windows.rs
# checks that it did).
wine_start=$(date +%s)
TZ=Asia/Tokyo LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 NPS_ENRICH_TEST_WINDOWS_ZONE="Tokyo Standard Time" \
  NPS_ENRICH_TEST_WINDOWS_ACP=932 \
  cargo test --locked -p nps-enrich --target x86_64-pc-windows-gnu --lib --bins --tests \
  || { # Wine 8.0's CreateProcess sometimes fails with ERROR_INTERNAL_ERROR (1359), seen in
       # 1 of 3 runs; one retry, said out loud, so a real failure still fails.
       echo "Windows tests failed under Wine: retrying once (Wine's error 1359 is intermittent)"
       TZ=Asia/Tokyo LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 NPS_ENRICH_TEST_WINDOWS_ZONE="Tokyo Standard Time" \
         NPS_ENRICH_TEST_WINDOWS_ACP=932 \
         cargo test --locked -p nps-enrich --target x86_64-pc-windows-gnu --lib --bins --tests; }
echo "Windows tests under Wine: $(($(date +%s) - wine_start)) s"

step "crate package (cargo publish --dry-run)"
cargo publish --dry-run --locked

step "benchmark self-checks (each bench asserts its document count)"
cargo test --benches --locked

step "Miri on the Fluent Bit entry point (the only unsafe code)"
cargo +nightly miri test -p nps-enrich-wasm --features fluent-bit --lib --locked

step "fuzz targets: format, lint, and a smoke of 20,000 runs each from the seed corpora"
(cd fuzz && cargo +nightly fmt --check && cargo +nightly clippy --locked --target-dir ../target/fuzz-clippy -- -D warnings)
bash fuzz/run.sh -n 20000

step "WebAssembly artefacts"
bash wasm/build.sh

step "Fluent Bit module: wasm instructions per record against the baseline (checks every record decodes)"
bash benches/fluent-bit-fuel.sh 30

step "Node and browser tests of the WebAssembly artefacts"
(cd wasm/tests && node --test js.test.mjs fluent-bit.test.mjs browser.test.mjs package.test.mjs)

step "CLI on the bundled sample"
out=$(cargo run -q --release --locked -- --timezone Asia/Tokyo --stats samples/nps-sample.log 2>target/sample-stats.json)
cat target/sample-stats.json
docs=$(printf '%s\n' "$out" | grep -c '^{')
[ "$docs" -eq 8 ] || { echo "expected 8 documents from the sample, got $docs"; exit 1; }
echo "ok"

step "Detections: Sigma rules converted and current; each rule and audit query run in DuckDB on nps-enrich's documents"
bash detections/test.sh
