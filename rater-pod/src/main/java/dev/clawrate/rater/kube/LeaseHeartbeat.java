package dev.clawrate.rater.kube;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.rater.heartbeat.HeartbeatReport;
import dev.clawrate.rater.metrics.RaterMetrics;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import dev.clawrate.rater.snapshot.ReloadListener;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this rater's heartbeat Lease (see {@link dev.clawrate.contract.heartbeat.HeartbeatLayout}):
 * created at start, its heartbeat rewritten a few milliseconds after every reload, its renewTime
 * renewed every period, removed when the rater stops. Every call to the API server runs on one
 * daemon thread of its own, so neither the reloader nor a request ever waits for one; a failing API
 * server costs a warning and a retry on the next period.
 */
public final class LeaseHeartbeat implements ReloadListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseHeartbeat.class);

  /** Reloads arriving together are reported in one write. */
  static final long COALESCE_MILLIS = 5;

  /** Longest a stopping rater waits to remove its Lease; one left behind expires on its own. */
  static final Duration REMOVAL_BOUND = Duration.ofSeconds(2);

  private static final PatchContext MERGE_PATCH = PatchContext.of(PatchType.JSON_MERGE);

  private enum Outcome {
    CREATED,
    UPDATED,
    RENEWED,
    DELETED,
    FAILED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final HeartbeatLease layout;
  private final NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases;
  private final Resource<Lease> lease;
  // The Lease by name alone: patched through it, fabric8 sends the patch without reading first.
  private final Resource<Lease> patchable;
  private final Supplier<Heartbeat> report;
  private final Duration interval;
  private final RaterMetrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "clawrate-heartbeat");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean writeQueued = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  private volatile Instant acquired;
  // Read and written on the heartbeat thread only. Null until the Lease is known to exist with
  // this rater's heartbeat in it; then the next write creates (or takes over) the whole Lease.
  private Heartbeat written;
  private int failures;

  /**
   * @param client not closed here; it must stay open until {@link #close()} returns
   * @param report what to report, read on the heartbeat thread at every write
   */
  LeaseHeartbeat(
      KubernetesClient client,
      HeartbeatLease layout,
      Supplier<Heartbeat> report,
      Duration interval,
      RaterMetrics metrics,
      Clock clock) {
    this.layout = layout;
    this.leases = client.leases().inNamespace(layout.namespace());
    this.lease = leases.withName(layout.name());
    this.patchable = leases.resource(layout.named());
    this.report = report;
    this.interval = interval;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Writes the Lease at once, off the caller's thread, then renews it every interval. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    acquired = clock.instant();
    requestWrite();
    long period = interval.toMillis();
    executor.scheduleWithFixedDelay(this::write, period, period, TimeUnit.MILLISECONDS);
  }

  public String leaseName() {
    return layout.name();
  }

  @Override
  public void accepted(LoadedSnapshot snapshot) {
    requestWrite();
  }

  @Override
  public void rejected(String track, String error) {
    requestWrite();
  }

  @Override
  public void recovered(LoadedSnapshot snapshot) {
    requestWrite();
  }

  /** Asks for a write soon; requests in a burst coalesce into one. */
  void requestWrite() {
    if (started.get() && !closed && writeQueued.compareAndSet(false, true)) {
      try {
        executor.schedule(this::write, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // Closed meanwhile: there is nothing left to report.
        writeQueued.set(false);
      }
    }
  }

  private void write() {
    writeQueued.set(false);
    if (closed) {
      return;
    }
    Heartbeat heartbeat = HeartbeatReport.steady(written, report.get());
    Instant now = clock.instant();
    Outcome outcome;
    try {
      outcome = written == null ? createOrTakeOver(heartbeat, now) : patch(heartbeat, now);
    } catch (RuntimeException e) {
      failed(e);
      return;
    }
    metrics.heartbeatWrite(outcome.label());
    if (failures > 0) {
      LOG.atInfo()
          .addKeyValue("lease", layout.name())
          .addKeyValue("failedAttempts", failures)
          .log("heartbeat Lease written again");
      failures = 0;
    }
  }

  private Outcome patch(Heartbeat heartbeat, Instant now) {
    boolean changed = !heartbeat.equals(written);
    try {
      patchable.patch(
          MERGE_PATCH,
          changed ? HeartbeatLease.update(now, heartbeat) : HeartbeatLease.renewal(now));
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      // Deleted by someone else: a heartbeat must not stay missing while the rater runs.
      written = null;
      return createOrTakeOver(heartbeat, now);
    }
    written = heartbeat;
    return changed ? Outcome.UPDATED : Outcome.RENEWED;
  }

  private Outcome createOrTakeOver(Heartbeat heartbeat, Instant now) {
    Lease whole = layout.lease(acquired, now, heartbeat);
    try {
      leases.resource(whole).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // Left by an earlier container of this pod (the name is the pod's): ours to replace.
      Lease existing = lease.get();
      if (existing == null) {
        throw e;
      }
      whole.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      leases.resource(whole).update();
    }
    written = heartbeat;
    return Outcome.CREATED;
  }

  private void failed(RuntimeException e) {
    if (closed) {
      return;
    }
    failures++;
    metrics.heartbeatWrite(Outcome.FAILED.label());
    var event = failures == 1 ? LOG.atWarn() : LOG.atDebug();
    event
        .addKeyValue("lease", layout.name())
        .addKeyValue("namespace", layout.namespace())
        .addKeyValue("error", describe(e))
        .log("heartbeat Lease not written; retrying every renewal period");
  }

  /**
   * Removes the Lease, after any write in progress (one landing later would bring it back), waiting
   * at most {@link #REMOVAL_BOUND}.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    if (started.get()) {
      executor.execute(this::remove);
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(REMOVAL_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
        LOG.atWarn()
            .addKeyValue("lease", layout.name())
            .addKeyValue("waitedMillis", REMOVAL_BOUND.toMillis())
            .log("heartbeat Lease not removed in time; it expires on its own");
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void remove() {
    try {
      lease.delete();
      metrics.heartbeatWrite(Outcome.DELETED.label());
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("lease", layout.name())
          .addKeyValue("error", describe(e))
          .log("heartbeat Lease not removed; it expires on its own");
    }
  }

  /** An error as a log may show it: a status code or an exception type, never a URL. */
  static String describe(Throwable e) {
    if (e instanceof KubernetesClientException k && k.getCode() > 0) {
      return "HTTP " + k.getCode();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }
}
