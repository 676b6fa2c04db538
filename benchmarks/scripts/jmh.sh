#!/usr/bin/env bash
# JMH micro-benchmarks of the Wasm engine: one scorecard rating (compiled, interpreted, and the
# Java reference doing the same work) and the cost of getting an instance; and of the operator's
# SLO evaluation, one round for 10,000 tenants in 3 regions (SloEvaluationBenchmark, which also
# prints the heap its counters hold), and the read of a rater's /metrics for 10,000 tenants
# (PrometheusTextBenchmark).
# Needs: a JDK 17 and Maven (the build makes benchmarks/target/benchmarks.jar).
# Usage: benchmarks/scripts/jmh.sh [JMH options...]   e.g. benchmarks/scripts/jmh.sh ScorecardRatingBenchmark -f 1
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
exec java -Dclawrate.examples.dir="$PWD/examples" -jar benchmarks/target/benchmarks.jar \
  -jvmArgsAppend "-Dclawrate.examples.dir=$PWD/examples" \
  "$@"
