#!/usr/bin/env bash
# Canary rollback time in three regions: from the failing analysis, and from the first failing
# request, to every region's HTTPRoute back at 100% stable (as each region's watch sees it), with
# one route write to all three regions as the baseline. Three fabric8 mock API servers, stable and
# canary raters, stand-in gateways and the operator run in one JVM. Needs: JDK 17, Maven.
# Usage: bench/canary-rollback.sh [rounds (5)] [analysis interval seconds (5)]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${REBUILD:-1}" == 1 ]]; then
  mvn -q -DskipTests package
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
java -version 2>&1 | sed -n 1p
exec java -Xmx1g -DCLAWRATE_LOG_LEVEL=WARN -cp benchmarks/target/benchmarks.jar \
  dev.clawrate.benchmarks.CanaryRollbackBenchmark "${1:-5}" "${2:-5}" "$PWD/rater-pod/src/test/wasm"
