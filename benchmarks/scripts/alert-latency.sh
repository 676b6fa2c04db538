#!/usr/bin/env bash
# Time from the start of an injected breach to the page, and from the fix to the resolve, with
# test windows: two regions (mock API servers, real raters), the operator evaluating SLOs every
# interval, a webhook receiver timing arrivals. Target: breach -> page <= short window + interval.
# Baselines in the same run: the interval, and one POST to the receiver. Needs: JDK 17, Maven.
# Usage: benchmarks/scripts/alert-latency.sh [rounds (5)] [interval ms (1000)] [short window s (5)]
#        [long window s (30)]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
exec java -Xmx1g -DCLAWRATE_LOG_LEVEL=WARN -cp benchmarks/target/benchmarks.jar \
  dev.clawrate.benchmarks.AlertLatencyBenchmark "${1:-5}" "${2:-1000}" "${3:-5}" "${4:-30}" \
  "$PWD/contract/src/test/wasm"
