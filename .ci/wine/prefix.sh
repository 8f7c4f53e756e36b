#!/usr/bin/env bash
# Makes the Wine prefix the Windows tests run in (target/wine, made once) and prints the
# environment for it: `eval "$(bash .ci/wine/prefix.sh)"`. Needs wine and MinGW-w64.
set -euo pipefail
cd "$(dirname "$0")/../.."
prefix="$PWD/target/wine"
dll="$prefix/drive_c/windows/system32/bcryptprimitives.dll"
if ! [ -f "$dll" ]; then
  mkdir -p "$prefix"
  WINEPREFIX="$prefix" WINEDEBUG=-all wineboot --init >/dev/null 2>&1
  WINEPREFIX="$prefix" WINEDEBUG=-all wineserver --wait
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dll" .ci/wine/bcryptprimitives.c -lbcrypt
fi
printf 'export WINEPREFIX=%q WINEDEBUG=-all CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine\n' "$prefix"
