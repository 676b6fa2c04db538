# syntax=docker/dockerfile:1
# The rating server. Build from the repository root after `mvn -DskipTests package`:
#
#   docker build -f images/rater.Dockerfile -t clawrate/rater:dev .
#
# Base: eclipse-temurin:25-jre. The jar is Java 17 bytecode (the build and CI stay on 17); the
# image runs it on Java 25 for its ahead-of-time cache (JEP 483, 514, 515): classes loaded and
# linked and method profiles from a training run, which starts the rater with less work than
# Java 17 with AppCDS (benchmarks/scripts/start-readyz.sh measures both, images/README.md has
# the figures' method). Not a distroless image, on purpose: the cache is created by a training run
# inside the build and only maps into the very JVM build that wrote it; the training needs a shell
# (start the server, rate, SIGTERM), which distroless does not have, and training in another image
# would produce a cache the distroless JVM rejects. The JRE image also keeps a shell for
# `kubectl exec`. Without a Docker daemon: images/README.md (Jib).
FROM eclipse-temurin:25-jre

# A fixed non-root uid/gid (65532, the distroless "nonroot" convention) so the manifests can
# set runAsUser/runAsNonRoot and the kubelet can verify it without a passwd lookup.
RUN groupadd --gid 65532 clawrate \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin clawrate

WORKDIR /app
# Root-owned and read-only for the runtime user: the container cannot change its own code.
COPY rater-pod/target/rater-pod.jar /app/rater-pod.jar

# Flags of the serving JVM, also used by the training run so the cache matches them.
#   MaxRAMPercentage=75   heap sized from the container's memory limit (cgroup aware)
#   UseParallelGC         measured best throughput for the rater (short-lived garbage per request)
#   ExitOnOutOfMemoryError  die and be restarted rather than limp on after an OOM
#   --sun-misc-unsafe-memory-access=allow  JBoss Threads (Undertow's) uses sun.misc.Unsafe; Java 25
#                         would print a multi-line warning to stderr, breaking the JSON log
#   CLAWRATE_LOG_FORMAT   json: one JSON object per log line
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError --sun-misc-unsafe-memory-access=allow" \
    CLAWRATE_LOG_FORMAT=json

# Ahead-of-time cache (JEP 514's one step): run the rater against the sample config, rate a few
# hundred requests, stop it with SIGTERM; at exit the JVM writes every class it loaded and linked,
# and the profiles of the methods the ratings ran, to /app/rater.aot. The examples and the script
# are bind-mounted, so they add no layer. The training log lists classes the cache skips (picocli's
# Java 5 bytecode, the models' generated classes): those load as usual at start.
# -Xmx512m pins the training heap under 32 GiB: on a big build host MaxRAMPercentage alone would
# turn compressed oops off, and a cache written that way is refused by every pod (the cache is
# not used when UseCompressedOops, or the GC, differs between training and run).
RUN --mount=type=bind,source=examples,target=/tmp/train/examples \
    --mount=type=bind,source=images/appcds-train.sh,target=/tmp/train/appcds-train.sh \
    HEALTH_PORT=18081 bash /tmp/train/appcds-train.sh /app/rater.aot 18080 /tmp/train/examples/requests/applicant.json -- \
      java -Xmx512m -XX:AOTCacheOutput=/app/rater.aot -jar /app/rater-pod.jar \
        --config-dir /tmp/train/examples/config --port 18080 --health-port 18081 --host 127.0.0.1 \
 && chmod 0444 /app/rater.aot \
 && rm -rf /tmp/hsperfdata_*

# The same flags plus the cache. If the cache cannot be used (e.g. the jar was replaced, or the
# JVM's flags differ from the training's) the JVM logs a warning and starts without it
# (-XX:AOTMode=auto).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError --sun-misc-unsafe-memory-access=allow -XX:AOTCache=/app/rater.aot"

USER 65532:65532
# 8080: the rating API (POST /v1/rate); 8081: /healthz, /readyz, /metrics, /v1/models
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/rater-pod.jar"]
# Directory mode by default (mount a config at /config); the Kubernetes manifests pass --kube.
CMD ["--config-dir", "/config"]
