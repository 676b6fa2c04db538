#!/usr/bin/env bash
# JMH micro-benchmarks of the Wasm engine: one scorecard rating (compiled, interpreted, and the
# Java reference doing the same work) and the cost of getting an instance; and of the operator's
# SLO evaluation, one round for 10,000 tenants in 3 regions (SloEvaluationBenchmark, which also
# prints the heap its counters hold), and the read of a rater's /metrics for 10,000 tenants
# (PrometheusTextBenchmark).
# Needs: a JDK 17 and Maven (the build makes benchmarks/target/benchmarks.jar).
# Usage: bench/jmh.sh [JMH options...]   e.g. bench/jmh.sh ScorecardRatingBenchmark -f 1
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f benchmarks/target/benchmarks.jar || "${REBUILD:-1}" == 1 ]]; then
  mvn -q -DskipTests package
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
java -version 2>&1 | sed -n 1p
exec java -Dclawrate.examples.dir="$PWD/examples" -jar benchmarks/target/benchmarks.jar \
  -jvmArgsAppend "-Dclawrate.examples.dir=$PWD/examples" \
  "$@"
