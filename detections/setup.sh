#!/usr/bin/env bash
# Makes target/detections-venv with the exact packages of detections/requirements.txt.
# Re-installs only when requirements.txt changed since the last run (a stamp in the venv).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/detections-venv
req=detections/requirements.txt
stamp=$venv/.requirements.sha256
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
python3 -m venv "$venv" || {
  echo "python3 -m venv failed: install Python 3.10+ with venv (Debian: apt-get install python3-venv)"
  exit 1
}
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$req"
"$venv/bin/python" -m pip check
echo "$want" >"$stamp"
