#!/usr/bin/env bash
# The detections' tests: the venv, the release binary, the converted queries current, every
# rule fired on its attack fixture and quiet on its benign one in DuckDB, the audit queries,
# the sessions; with VECTOR_BIN, the session stitching of the Vector config in that Vector.
set -euo pipefail
cd "$(dirname "$0")/.."
bash detections/setup.sh
cargo build -q --release --locked --bin nps-enrich
py=target/detections-venv/bin/python
"$py" detections/convert.py --check
NPS_ENRICH_BIN=target/release/nps-enrich "$py" detections/test_detections.py
# The session stitching in a real Vector, when one is given (VECTOR_BIN=/path/to/vector).
if [ -n "${VECTOR_BIN:-}" ]; then
  NPS_ENRICH_BIN=target/release/nps-enrich timeout 300 "$py" detections/vector_sessions.py
fi
