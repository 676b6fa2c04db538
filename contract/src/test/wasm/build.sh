#!/usr/bin/env bash
# Rebuilds the test fixture modules from their .wat sources with wabt's wat2wasm (Debian
# package wabt). The built .wasm files are committed so the build needs no Wasm toolchain.
set -euo pipefail
cd "$(dirname "$0")"
command -v wat2wasm >/dev/null || { echo "wat2wasm not found: apt-get install wabt" >&2; exit 1; }
for wat in *.wat; do
  wat2wasm "$wat" -o "${wat%.wat}.wasm"
done
echo "built $(ls *.wasm | wc -l) fixture modules"
