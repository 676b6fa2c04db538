#!/usr/bin/env bash
# Propagation: time from updating a RatingModel to the rater answering with the new digest,
# p50/p99 over N updates (default 50), each a module never seen before. The API server (fabric8
# mock in CRUD mode), the operator and one rater run in one JVM, as `clawrate-operator.jar local`
# does. Needs: JDK 17, Maven. Usage: bench/propagation.sh [updates]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${REBUILD:-1}" == 1 ]]; then
  mvn -q -DskipTests package
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
java -version 2>&1 | sed -n 1p
exec java -Xmx1g -Dclawrate.examples.dir="$PWD/examples" -DCLAWRATE_LOG_LEVEL=WARN \
  -cp benchmarks/target/benchmarks.jar dev.clawrate.benchmarks.PropagationBenchmark "${1:-50}"
