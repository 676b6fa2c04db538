#!/usr/bin/env bash
# Scale: 1,000 RatingModels (distinct small modules) and 10,000 TenantConfigs applied at once.
# The operator runs from its jar in its own JVM against fabric8's mock API server; reports the
# time from first apply to a published snapshot holding all of them, the snapshot's stored
# size, and the operator's heap after a full GC. Needs: JDK 17 (java, jcmd), Maven.
# OPERATOR_HEAP sets the operator's -Xmx (default 1g); OPERATOR_HEAP=256m checks the heap target.
# Usage: [OPERATOR_HEAP=256m] benchmarks/scripts/scale.sh [models] [tenants]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
exec java -Xmx2g -Dclawrate.examples.dir="$PWD/examples" \
  -Dclawrate.scale.operator.heap="${OPERATOR_HEAP:-1g}" \
  -cp benchmarks/target/benchmarks.jar dev.clawrate.benchmarks.ScaleBenchmark "${1:-1000}" "${2:-10000}"
