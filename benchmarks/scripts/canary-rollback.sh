#!/usr/bin/env bash
# Canary rollback time in three regions: from the failing analysis, and from the first failing
# request, to every region's HTTPRoute back at 100% stable (as each region's watch sees it), with
# one route write to all three regions as the baseline. Three fabric8 mock API servers, stable and
# canary raters, stand-in gateways and the operator run in one JVM. Needs: JDK 17, Maven.
# Usage: benchmarks/scripts/canary-rollback.sh [rounds (5)] [analysis interval seconds (5)]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
exec java -Xmx1g -DCLAWRATE_LOG_LEVEL=WARN -cp benchmarks/target/benchmarks.jar \
  dev.clawrate.benchmarks.CanaryRollbackBenchmark "${1:-5}" "${2:-5}" "$PWD/contract/src/test/wasm"
