#!/usr/bin/env bash
# Operator CPU of one SLO evaluation round: 10,000 tenants in three regions, two rater instances
# each, both objectives on the default rules, against making the same counters alone (the
# baseline). Scraping and parsing expositions is benchmarks/scripts/jmh.sh PrometheusTextBenchmark; the SLO
# maths alone is benchmarks/scripts/jmh.sh SloEvaluationBenchmark. Needs: JDK 17, Maven.
# Usage: benchmarks/scripts/alert-round.sh [tenants (10000)] [rounds (20)]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
exec java -Xmx2g -DCLAWRATE_LOG_LEVEL=WARN -cp benchmarks/target/benchmarks.jar \
  dev.clawrate.benchmarks.AlertRoundBenchmark "${1:-10000}" "${2:-20}"
