#!/usr/bin/env bash
# Propagation through the closed loop, each update a scorecard module never seen before:
# RatingModel update to the rater answering with the new digest, and to Ready=True with both
# raters serving it (from their heartbeats); the snapshot ConfigMap deleted by hand to both raters
# on a higher revision; and, as a baseline in the same run, one write-to-watch hop of the API
# server. The API server (fabric8 mock in CRUD mode), the operator and the raters run in one JVM,
# as the local run (clawrate-local.jar) does. Needs: JDK 17, Maven.
# With a fourth argument G > 1, G-1 member regions (API server and raters each) are registered
# in the hub by their region Secrets, and "served" waits for every region.
# Usage: benchmarks/scripts/propagation.sh [updates (50)] [deletions (20)] [raters per region (2)] [regions (1)]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
exec java -Xmx1g -Dclawrate.examples.dir="$PWD/examples" -DCLAWRATE_LOG_LEVEL=WARN \
  -cp benchmarks/target/benchmarks.jar dev.clawrate.benchmarks.PropagationBenchmark "${1:-50}" "${2:-20}" "${3:-2}" "${4:-1}"
