#!/usr/bin/env bash
# Rebuilds the example rating models from source and refreshes examples/config:
#
#   models/credit-scorecard/credit-scorecard.wasm   (C, clang --target=wasm32)
#   models/risk-tier/risk-tier.wasm                 (AssemblyScript, pinned in package-lock.json)
#   models/always-traps/always-traps.wasm           (WebAssembly text, wat2wasm: broken on purpose)
#   config/modules/<sha256>.wasm                    (copies named by digest; stale ones removed)
#   config/snapshot.json                            ("digest" of each model rewritten)
#
# The built .wasm files are committed, so building the Java project needs none of this.
# Needs: clang, wasm-ld (Debian: clang lld), wasm-objdump/wasm-strip/wasm-validate (wabt),
# node + npm (Debian: nodejs npm; npm fetches assemblyscript), sha256sum, sed, cmp.
# Idempotent: an unchanged source gives a byte-identical module and no changes in config/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODELS="$HERE/models"
CONFIG="$HERE/config"

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 ($2)"); }
need clang "Debian package clang"
need wasm-ld "Debian package lld"
need wasm-objdump "Debian package wabt"
need wasm-strip "Debian package wabt"
need wasm-validate "Debian package wabt"
need node "Debian package nodejs"
need npm "Debian package npm"
need sha256sum "coreutils"
need sed "sed"
need cmp "diffutils"
need wat2wasm "Debian package wabt"
if ((${#missing[@]})); then
  echo "build-models.sh: missing tools:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  echo "install them with: apt-get install -y clang lld wabt nodejs npm" >&2
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Replaces $2 with $1 only when the bytes differ (keeps the file untouched otherwise).
install_if_changed() {
  if [[ -f "$2" ]] && cmp -s "$1" "$2"; then
    echo "  unchanged: ${2#"$HERE"/}"
  else
    cp "$1" "$2"
    chmod 644 "$2"
    echo "  updated:   ${2#"$HERE"/}"
  fi
}

# Enforces the rating ABI's shape: no imports but env.abort, no start function,
# exports memory, alloc and rate.
check_abi() {
  local wasm="$1" details
  wasm-validate "$wasm"
  details="$(wasm-objdump -x "$wasm")"
  if grep -E '^ - .* <- ' <<<"$details" | grep -vE '<- env\.abort$' | grep -q .; then
    echo "build-models.sh: $wasm has imports other than env.abort:" >&2
    grep -E '<- ' <<<"$details" >&2
    exit 1
  fi
  if grep -qE '^Start:' <<<"$details"; then
    echo "build-models.sh: $wasm has a start function" >&2
    exit 1
  fi
  for export in memory alloc rate; do
    if ! grep -qE -- "-> \"$export\"$" <<<"$details"; then
      echo "build-models.sh: $wasm does not export $export" >&2
      exit 1
    fi
  done
}

echo "credit-scorecard (C):"
CS="$MODELS/credit-scorecard"
clang --target=wasm32 -nostdlib -ffreestanding -fno-builtin -O2 -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--stack-first -Wl,-z,stack-size=16384 -Wl,--initial-memory=131072 \
  -o "$TMP/credit-scorecard.wasm" "$CS/credit-scorecard.c"
wasm-strip "$TMP/credit-scorecard.wasm"
check_abi "$TMP/credit-scorecard.wasm"
install_if_changed "$TMP/credit-scorecard.wasm" "$CS/credit-scorecard.wasm"

echo "risk-tier (AssemblyScript):"
RT="$MODELS/risk-tier"
if [[ ! -x "$RT/node_modules/.bin/asc" || "$RT/package-lock.json" -nt "$RT/node_modules/.package-lock.json" ]]; then
  (cd "$RT" && npm ci --no-audit --no-fund)
fi
(cd "$RT" && ./node_modules/.bin/asc assembly/index.ts --outFile "$TMP/risk-tier.wasm" \
  --optimizeLevel 3 --shrinkLevel 0 --runtime stub --noAssert)
wasm-strip "$TMP/risk-tier.wasm"
check_abi "$TMP/risk-tier.wasm"
install_if_changed "$TMP/risk-tier.wasm" "$RT/risk-tier.wasm"

echo "always-traps (WebAssembly text):"
AT="$MODELS/always-traps"
wat2wasm "$AT/always-traps.wat" -o "$TMP/always-traps.wasm"
check_abi "$TMP/always-traps.wasm"
install_if_changed "$TMP/always-traps.wasm" "$AT/always-traps.wasm"

echo "config:"
mkdir -p "$CONFIG/modules"
CS_SHA="$(sha256sum "$CS/credit-scorecard.wasm" | cut -d' ' -f1)"
RT_SHA="$(sha256sum "$RT/risk-tier.wasm" | cut -d' ' -f1)"
for f in "$CONFIG"/modules/*.wasm; do
  [[ -e "$f" ]] || continue
  case "$(basename "$f")" in
    "$CS_SHA.wasm" | "$RT_SHA.wasm") ;;
    *) rm -f "$f"; echo "  removed:   ${f#"$HERE"/}" ;;
  esac
done
install_if_changed "$CS/credit-scorecard.wasm" "$CONFIG/modules/$CS_SHA.wasm"
install_if_changed "$RT/risk-tier.wasm" "$CONFIG/modules/$RT_SHA.wasm"

SNAPSHOT="$CONFIG/snapshot.json"
if [[ ! -f "$SNAPSHOT" ]]; then
  cat >"$SNAPSHOT" <<'EOF'
{
  "revision": 1,
  "track": "stable",
  "models": {
    "credit-scorecard": {
      "digest": "sha256:",
      "entrypoint": "rate",
      "limits": {"maxMemoryPages": 16, "timeoutMillis": 50, "maxInputBytes": 65536}
    },
    "risk-tier": {
      "digest": "sha256:",
      "entrypoint": "rate",
      "limits": {"maxMemoryPages": 8, "timeoutMillis": 50, "maxInputBytes": 16384}
    }
  },
  "tenants": {
    "acme-bank": {"model": "credit-scorecard", "threshold": 650, "parameters": {}},
    "globex-lending": {"model": "risk-tier", "threshold": 3, "parameters": {"maxLtv": 0.9, "baseRateBps": 450}}
  }
}
EOF
fi
# Each model's "digest" is the first one after its '"<name>": {' line in "models".
cp "$SNAPSHOT" "$TMP/snapshot.json"
sed -i -E \
  -e "/\"credit-scorecard\": *\{/,/\"digest\"/ s/\"sha256:[0-9a-f]*\"/\"sha256:$CS_SHA\"/" \
  -e "/\"risk-tier\": *\{/,/\"digest\"/ s/\"sha256:[0-9a-f]*\"/\"sha256:$RT_SHA\"/" \
  "$TMP/snapshot.json"
if ! grep -q "\"sha256:$CS_SHA\"" "$TMP/snapshot.json" || ! grep -q "\"sha256:$RT_SHA\"" "$TMP/snapshot.json"; then
  echo "build-models.sh: could not update the digests in $SNAPSHOT (expected a \"digest\" line under each model)" >&2
  exit 1
fi
install_if_changed "$TMP/snapshot.json" "$SNAPSHOT"

# The same models and tenants as custom resources, for `kubectl apply -f examples/resources`
# and for the operator's local run. The module travels inline, base64-encoded.
RESOURCES="$HERE/resources"
mkdir -p "$RESOURCES"
write_model() { # name wasm limits-yaml
  {
    echo "# Generated by examples/build-models.sh from $(basename "$2"); do not edit."
    echo "apiVersion: clawrate.dev/v1alpha1"
    echo "kind: RatingModel"
    echo "metadata:"
    echo "  name: $1"
    echo "spec:"
    echo "  entrypoint: rate"
    echo "  limits: $3"
    echo "  module:"
    echo "    sha256: $(sha256sum "$2" | cut -d' ' -f1)"
    echo "    inline: $(base64 -w0 "$2")"
  } >"$TMP/$1.yaml"
  install_if_changed "$TMP/$1.yaml" "$RESOURCES/model-$1.yaml"
}
write_model credit-scorecard "$CS/credit-scorecard.wasm" "{maxMemoryPages: 16, timeoutMillis: 50, maxInputBytes: 65536}"
write_model risk-tier "$RT/risk-tier.wasm" "{maxMemoryPages: 8, timeoutMillis: 50, maxInputBytes: 16384}"
write_model always-traps "$AT/always-traps.wasm" "{maxMemoryPages: 1, timeoutMillis: 50, maxInputBytes: 65536}"

echo "credit-scorecard sha256:$CS_SHA"
echo "risk-tier        sha256:$RT_SHA"
