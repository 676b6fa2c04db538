#!/usr/bin/env bash
# Metrics series: what a rater's /metrics holds and costs with many tenants. A rater (in the
# benchmark's JVM) serves a snapshot of N tenants on the example scorecard; each tenant is rated
# once, so each has the series of a rated tenant (one outcome, one rating, one decision). Then
# /metrics is scraped S times. Prints the series in all and with a tenant label, series and bytes
# per tenant, and the scrape time (percentiles over the S scrapes, client included). Last, a
# snapshot keeping one tenant goes live and the series left are counted: the departed tenants'
# series must be gone. Needs: JDK 17, Maven (the prelude builds the jars unless REBUILD=0).
# Usage: benchmarks/scripts/metrics-series.sh [tenants (10000)] [scrapes (10)] [clients (4)]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
exec java -Xmx1g -Dclawrate.examples.dir="$PWD/examples" \
  -cp benchmarks/target/benchmarks.jar dev.clawrate.benchmarks.MetricsSeriesBenchmark \
  "${1:-10000}" "${2:-10}" "${3:-4}"
