# syntax=docker/dockerfile:1
# The operator. Build from the repository root after `mvn -DskipTests package`:
#
#   docker build -f images/operator.Dockerfile -t clawrate/operator:dev .
#
# Base: eclipse-temurin:17-jre, not distroless, for the same reason as images/rater.Dockerfile:
# the AppCDS archive must be written by the same JVM that uses it, in a training run that
# needs a shell.
FROM eclipse-temurin:17-jre

RUN groupadd --gid 65532 clawrate \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin clawrate

WORKDIR /app
COPY operator/target/clawrate-operator.jar /app/clawrate-operator.jar

# Heap from the container limit; the JVM's own GC choice (Serial below 2 CPUs / 1792 MiB,
# else G1) suits a mostly idle controller. JSON logs, exit on OOM.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    CLAWRATE_LOG_FORMAT=json

# AppCDS training: `--help` would load a handful of classes, and the in-cluster mode needs an
# API server. The operator's `local` mode is the closest runnable thing: it starts the embedded
# mock API server, the real reconcilers, informers, fabric8 client, JOSDK, the model validator
# and a rater, applies the bundled examples and publishes them. Its classes are what the
# in-cluster operator loads too (plus a few mock-server classes that are mapped but never used).
# The local rater's rating API on 127.0.0.1:18080 tells when the whole path has run (its health
# port is a free one; the in-cluster operator runs no rater, so its endpoints need no training).
# -Xmx512m pins the training heap under 32 GiB: on a big build host MaxRAMPercentage alone would
# turn compressed oops off, and an archive written that way is refused by every pod (CDS is
# disabled when UseCompressedOops differs between dump and run).
RUN --mount=type=bind,source=examples/requests,target=/tmp/train/requests \
    --mount=type=bind,source=images/appcds-train.sh,target=/tmp/train/appcds-train.sh \
    cd /tmp \
 && bash /tmp/train/appcds-train.sh /app/operator.jsa 18080 /tmp/train/requests/applicant.json -- \
      java -Xmx512m -XX:ArchiveClassesAtExit=/app/operator.jsa -jar /app/clawrate-operator.jar \
        local --rater-port 18080 \
 && chmod 0444 /app/operator.jsa \
 && rm -rf /tmp/hsperfdata_* /tmp/clawrate-local-*

ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:SharedArchiveFile=/app/operator.jsa"

USER 65532:65532
# /healthz, /readyz, /metrics
EXPOSE 8081
ENTRYPOINT ["java", "-jar", "/app/clawrate-operator.jar"]
