# syntax=docker/dockerfile:1
# The operator (its jar carries no test server; the local run is local-run/). Build from the
# repository root after `mvn -DskipTests package`:
#
#   docker build -f images/operator.Dockerfile -t clawrate/operator:dev .
#
# Base: eclipse-temurin:17-jre, not distroless, for the same reason as images/rater.Dockerfile:
# the AppCDS archive must be written by the same JVM that uses it, in a training run that
# needs a shell. Without a Docker daemon: images/README.md (Jib).
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

# AppCDS training: `--help` would load a handful of classes, and the operator needs an API server,
# which its jar does not carry. So the local run (local-run/target/clawrate-local.jar, bind-mounted,
# not in the image) runs beside it, untraced, with its API server on 127.0.0.1:18443 and its rater
# on 18080; once that rater rates, the operator starts against the local run's hub, traced: the
# real reconcilers, informers, fabric8 client, JOSDK and the model validator, on the bundled
# examples (the local run's own operator works on them too; both write the same). Its /readyz
# on 18081 tells when it runs; the ratings and its /metrics and /v1/regions give it time to
# reconcile and publish.
# -Xmx512m pins the training heap under 32 GiB: on a big build host MaxRAMPercentage alone would
# turn compressed oops off, and an archive written that way is refused by every pod (CDS is
# disabled when UseCompressedOops differs between dump and run).
RUN --mount=type=bind,source=examples/requests,target=/tmp/train/requests \
    --mount=type=bind,source=local-run/target/clawrate-local.jar,target=/tmp/train/clawrate-local.jar \
    --mount=type=bind,source=images/appcds-train.sh,target=/tmp/train/appcds-train.sh \
    cd /tmp \
 && TRAIN_BESIDE="java -Xmx512m -jar /tmp/train/clawrate-local.jar --api-port 18443 --rater-port 18080" \
    HEALTH_PORT=18081 TRAIN_GETS="/metrics /healthz /v1/regions" \
    KUBERNETES_MASTER=http://127.0.0.1:18443 KUBERNETES_NAMESPACE=default \
    bash /tmp/train/appcds-train.sh /app/operator.jsa 18080 /tmp/train/requests/applicant.json -- \
      java -Xmx512m -XX:ArchiveClassesAtExit=/app/operator.jsa -jar /app/clawrate-operator.jar \
        --health-port 18081 --leader-election false \
 && chmod 0444 /app/operator.jsa \
 && rm -rf /tmp/hsperfdata_* /tmp/clawrate-local-*

ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:SharedArchiveFile=/app/operator.jsa"

USER 65532:65532
# /healthz, /readyz, /metrics
EXPOSE 8081
ENTRYPOINT ["java", "-jar", "/app/clawrate-operator.jar"]
