#!/usr/bin/env bash
# A member region rebuilt at scale: 1,000 RatingModels (distinct small modules) and 10,000
# TenantConfigs in the hub, two member regions; the operator runs from its jar in its own JVM
# against three fabric8 mock API servers in the benchmark's JVM. One member's API server is then
# replaced by an empty one on the same address. Reports the time until that region holds
# everything again, a model update's time to the hub and the other member before and during the
# rebuild (the baseline of the same run), and the operator's heap after a full GC.
# Needs: JDK 17 (java, jcmd), Maven.
# Usage: benchmarks/scripts/regions.sh [models] [tenants]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
exec java -Xmx3g -Dclawrate.examples.dir="$PWD/examples" \
  -cp benchmarks/target/benchmarks.jar dev.clawrate.benchmarks.RegionRebuildBenchmark "${1:-1000}" "${2:-10000}"
