# syntax=docker/dockerfile:1
# The rating server. Build from the repository root after `mvn -DskipTests package`:
#
#   docker build -f images/rater.Dockerfile -t clawrate/rater:dev .
#
# Base: eclipse-temurin:17-jre rather than a distroless java17 image, on purpose. The AppCDS
# archive below is created by a training run inside the build, and a dynamic archive only maps
# into the very JVM build that wrote it; the training needs a shell (start the server, rate,
# SIGTERM), which distroless does not have, and training in another image would produce an
# archive the distroless JVM rejects. The JRE image also keeps a shell for `kubectl exec`.
# Without a Docker daemon: images/README.md (Jib).
# The archive cuts JVM start to /readyz by roughly a quarter to a third (benchmarks/scripts/startup.sh
# measures it), which matters for rollouts and scale-ups.
FROM eclipse-temurin:17-jre

# A fixed non-root uid/gid (65532, the distroless "nonroot" convention) so the manifests can
# set runAsUser/runAsNonRoot and the kubelet can verify it without a passwd lookup.
RUN groupadd --gid 65532 clawrate \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin clawrate

WORKDIR /app
# Root-owned and read-only for the runtime user: the container cannot change its own code.
COPY rater-pod/target/rater-pod.jar /app/rater-pod.jar

# Flags of the serving JVM, also used by the training run so the archive matches them.
#   MaxRAMPercentage=75   heap sized from the container's memory limit (cgroup aware)
#   UseParallelGC         measured best throughput for the rater (short-lived garbage per request)
#   ExitOnOutOfMemoryError  die and be restarted rather than limp on after an OOM
#   CLAWRATE_LOG_FORMAT   json: one JSON object per log line
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError" \
    CLAWRATE_LOG_FORMAT=json

# AppCDS (JDK 17 dynamic archive): run the rater against the sample config for a few seconds,
# rate a few hundred requests, stop it with SIGTERM; the JVM writes every class it loaded to
# /app/rater.jsa at exit. The examples and the script are bind-mounted, so they add no layer.
# -Xmx512m pins the training heap under 32 GiB: on a big build host MaxRAMPercentage alone would
# turn compressed oops off, and an archive written that way is refused by every pod (CDS is
# disabled when UseCompressedOops differs between dump and run).
RUN --mount=type=bind,source=examples,target=/tmp/train/examples \
    --mount=type=bind,source=images/appcds-train.sh,target=/tmp/train/appcds-train.sh \
    HEALTH_PORT=18081 bash /tmp/train/appcds-train.sh /app/rater.jsa 18080 /tmp/train/examples/requests/applicant.json -- \
      java -Xmx512m -XX:ArchiveClassesAtExit=/app/rater.jsa -jar /app/rater-pod.jar \
        --config-dir /tmp/train/examples/config --port 18080 --health-port 18081 --host 127.0.0.1 \
 && chmod 0444 /app/rater.jsa \
 && rm -rf /tmp/hsperfdata_*

# The same flags plus the archive. If the archive cannot be used (e.g. the jar was replaced)
# the JVM logs a warning and starts without it (-Xshare:auto).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -XX:SharedArchiveFile=/app/rater.jsa"

USER 65532:65532
# 8080: the rating API (POST /v1/rate); 8081: /healthz, /readyz, /metrics, /v1/models
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/rater-pod.jar"]
# Directory mode by default (mount a config at /config); the Kubernetes manifests pass --kube.
CMD ["--config-dir", "/config"]
