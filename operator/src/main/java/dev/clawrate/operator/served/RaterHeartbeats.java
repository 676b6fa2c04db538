package dev.clawrate.operator.served;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.contract.heartbeat.HeartbeatCodec;
import dev.clawrate.contract.heartbeat.HeartbeatLayout;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.operator.Threads;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.kube.Informers;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raters of one region, from their heartbeat Leases in the rater namespace. A rater is live
 * while this operator sees its Lease renewed within the Lease's duration: liveness is judged by
 * when a renewal was observed, never by comparing the rater's clock with ours (regions are other
 * clusters, with other clocks), as the node lifecycle controller does with kubelet Leases. A Lease
 * expired for long is deleted by the leader: its pod is gone.
 */
public final class RaterHeartbeats implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RaterHeartbeats.class);

  /** Leases expired this many durations ago (at least a minute) are removed. */
  private static final int REMOVE_AFTER_DURATIONS = 10;

  private static final long MAX_DURATION_SECONDS = 3600;

  /** What is known of one Lease. */
  private record Observed(
      String name,
      String track,
      Heartbeat heartbeat,
      String renewTime,
      long renewedAtNanos,
      long durationNanos,
      String problem) {

    boolean liveAt(long now) {
      return now - renewedAtNanos <= durationNanos;
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String region;
  private final BooleanSupplier isLeader;
  private final LongSupplier nanoTime;
  private final Runnable onChange;
  private final Map<String, Observed> leases = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor = Threads.single("clawrate-heartbeats");
  private final AtomicBoolean changeQueued = new AtomicBoolean();
  private volatile SharedIndexInformer<Lease> informer;
  // Executor thread only: which Leases were live at the last check, to report expiries once.
  private Map<String, Boolean> liveAtLastCheck = Map.of();

  /**
   * @param onChange told (on this component's thread) when a rater appears, expires, goes away or
   *     reports something new; renewals alone do not count
   */
  public RaterHeartbeats(
      KubernetesClient client,
      String namespace,
      String region,
      BooleanSupplier isLeader,
      LongSupplier nanoTime,
      Runnable onChange) {
    this.client = client;
    this.namespace = namespace;
    this.region = region;
    this.isLeader = isLeader;
    this.nanoTime = nanoTime;
    this.onChange = onChange;
  }

  public void start() {
    SharedIndexInformer<Lease> started =
        client
            .leases()
            .inNamespace(namespace)
            .withLabel(ClusterLayout.LABEL_COMPONENT, HeartbeatLayout.COMPONENT_HEARTBEAT)
            .runnableInformer(0);
    Informers.retryForever(started, "rater heartbeats", region);
    started.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Lease lease) {
            observe(lease);
          }

          @Override
          public void onUpdate(Lease before, Lease after) {
            observe(after);
          }

          @Override
          public void onDelete(Lease lease, boolean finalStateUnknown) {
            if (leases.remove(lease.getMetadata().getName()) != null) {
              changed();
            }
          }
        });
    informer = started;
    started.start();
    executor.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
  }

  /** Whether the first list of Leases arrived. */
  public boolean synced() {
    SharedIndexInformer<Lease> current = informer;
    return current != null && current.hasSynced();
  }

  /** The live raters of a track, ordered by Lease name. */
  public List<Rater> live(String track) {
    long now = nanoTime.getAsLong();
    List<Rater> live = new ArrayList<>();
    for (Observed observed : leases.values()) {
      if (observed.liveAt(now) && track.equals(observed.track())) {
        live.add(new Rater(observed.name(), observed.heartbeat()));
      }
    }
    live.sort(Comparator.comparing(Rater::lease));
    return live;
  }

  /**
   * The highest snapshot revision any present heartbeat of the track reports, live or rejected: a
   * new revision must be above it, or raters that saw it would refuse the new one as older.
   */
  public long highestRevision(String track) {
    long highest = -1;
    for (Observed observed : leases.values()) {
      Heartbeat heartbeat = observed.heartbeat();
      if (heartbeat == null || !track.equals(observed.track())) {
        continue;
      }
      if (heartbeat.revision() != null) {
        highest = Math.max(highest, heartbeat.revision());
      }
      if (heartbeat.rejected() != null) {
        highest = Math.max(highest, heartbeat.rejected().revision());
      }
    }
    return highest;
  }

  /** Every module digest a present heartbeat reports serving: garbage collection keeps them. */
  public java.util.Set<String> servedDigests() {
    java.util.Set<String> digests = new java.util.HashSet<>();
    leases.values().stream()
        .map(Observed::heartbeat)
        .filter(Objects::nonNull)
        .forEach(h -> digests.addAll(h.models().values()));
    return digests;
  }

  private void observe(Lease lease) {
    String name = lease.getMetadata().getName();
    if (KubeNames.whyNotDnsSubdomain(name) != null) {
      // Only a server that validates nothing stores such a name; it never goes into a path or log.
      return;
    }
    Map<String, String> labels = lease.getMetadata().getLabels();
    String track = labels == null ? null : labels.get(ClusterLayout.LABEL_TRACK);
    var spec = lease.getSpec();
    String renewTime =
        spec == null ? null : spec.getRenewTime() == null ? null : spec.getRenewTime().toString();
    long durationSeconds =
        spec == null || spec.getLeaseDurationSeconds() == null
            ? HeartbeatLayout.DEFAULT_RENEW_SECONDS * HeartbeatLayout.RENEWALS_PER_DURATION
            : Math.max(1, Math.min(MAX_DURATION_SECONDS, spec.getLeaseDurationSeconds()));
    Map<String, String> annotations = lease.getMetadata().getAnnotations();
    Heartbeat heartbeat = null;
    String problem = null;
    try {
      heartbeat =
          HeartbeatCodec.read(
              annotations == null ? null : annotations.get(HeartbeatLayout.ANNOTATION_HEARTBEAT));
      if (!heartbeat.track().equals(track)) {
        heartbeat = null;
        problem = "the heartbeat's track differs from the Lease's track label";
      }
    } catch (HeartbeatCodec.HeartbeatException e) {
      problem = e.getMessage();
    }
    Observed before = leases.get(name);
    long now = nanoTime.getAsLong();
    boolean renewed = before == null || !Objects.equals(before.renewTime(), renewTime);
    Observed after =
        new Observed(
            name,
            track,
            heartbeat,
            renewTime,
            renewed ? now : before.renewedAtNanos(),
            TimeUnit.SECONDS.toNanos(durationSeconds),
            problem);
    leases.put(name, after);
    if (problem != null && (before == null || !problem.equals(before.problem()))) {
      LOG.atWarn()
          .addKeyValue("region", region)
          .addKeyValue("lease", name)
          .addKeyValue("problem", problem)
          .log("rater heartbeat unreadable; the rater counts as serving nothing");
    }
    boolean news =
        before == null
            || !Objects.equals(before.heartbeat(), heartbeat)
            || !Objects.equals(before.track(), track)
            || !before.liveAt(now);
    if (news) {
      changed();
    }
  }

  private void changed() {
    if (changeQueued.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            changeQueued.set(false);
            liveAtLastCheck = liveness();
            onChange.run();
          });
    }
  }

  /** Reports expiries, and removes Leases whose pods are long gone. */
  private void check() {
    try {
      Map<String, Boolean> now = liveness();
      if (!now.equals(liveAtLastCheck)) {
        liveAtLastCheck = now;
        onChange.run();
      }
      if (isLeader.getAsBoolean()) {
        removeLongExpired();
      }
    } catch (RuntimeException e) {
      LOG.atWarn().addKeyValue("region", region).setCause(e).log("heartbeat check failed");
    }
  }

  private Map<String, Boolean> liveness() {
    long now = nanoTime.getAsLong();
    Map<String, Boolean> live = new java.util.HashMap<>();
    leases.forEach((name, observed) -> live.put(name, observed.liveAt(now)));
    return live;
  }

  private void removeLongExpired() {
    long now = nanoTime.getAsLong();
    for (Observed observed : leases.values()) {
      long expiredFor = now - observed.renewedAtNanos() - observed.durationNanos();
      long removeAfter =
          Math.max(
              Duration.ofMinutes(1).toNanos(), REMOVE_AFTER_DURATIONS * observed.durationNanos());
      if (expiredFor < removeAfter) {
        continue;
      }
      try {
        client.leases().inNamespace(namespace).withName(observed.name()).delete();
        LOG.atInfo()
            .addKeyValue("region", region)
            .addKeyValue("lease", observed.name())
            .log("expired rater heartbeat removed");
      } catch (KubernetesClientException e) {
        LOG.atDebug()
            .addKeyValue("region", region)
            .addKeyValue("lease", observed.name())
            .addKeyValue("code", e.getCode())
            .log("could not remove expired rater heartbeat");
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    SharedIndexInformer<Lease> current = informer;
    if (current != null) {
      current.close();
    }
  }
}
