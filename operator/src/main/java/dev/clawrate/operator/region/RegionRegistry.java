package dev.clawrate.operator.region;

import dev.clawrate.operator.Threads;
import dev.clawrate.operator.kube.Informers;
import dev.clawrate.operator.status.EventRecorder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member regions, from the Secrets labelled {@code clawrate.dev/region} in the operator's
 * namespace: a Secret added, changed or deleted connects, reconnects or disconnects its region,
 * with no restart. A Secret that cannot be used is reported (a Warning Event on it, one log line,
 * the {@code clawrate_operator_region_secrets_invalid} gauge) and otherwise ignored: a region it
 * connected before stays connected as it was, so a bad edit loses nothing. Two Secrets naming one
 * region: the older keeps it.
 */
public final class RegionRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegionRegistry.class);

  /** What the registry asks of whoever publishes. */
  public interface Connections {
    /** Connect the region, or reconnect it with a new configuration. */
    void connect(String region, Config config, String namespace);

    void disconnect(String region);
  }

  /** A connected region, and the Secret (by uid) and configuration it was connected from. */
  private record Active(String secretUid, String fingerprint) {}

  private final SharedIndexInformer<Secret> informer;
  private final String defaultNamespace;
  private final Connections connections;
  private final EventRecorder events;
  private final BooleanSupplier isLeader;
  // Touched on the registry's thread only; the gauge reads a size.
  private final Map<String, Active> active = new HashMap<>();
  private final Map<String, String> reported = new ConcurrentHashMap<>();
  // The problems this replica recorded an Event for, as leader; the registry's thread only.
  private final Map<String, String> recorded = new HashMap<>();
  // One thread: Secrets are looked at one event at a time, in order, and a slow connect (building a
  // client) never runs inside the informer's own thread.
  private final ExecutorService executor = Threads.single("clawrate-regions");

  /**
   * @param namespace the operator's namespace, where region Secrets live
   * @param defaultNamespace the rater namespace of a region whose Secret and context name none
   */
  public RegionRegistry(
      KubernetesClient client,
      String namespace,
      String defaultNamespace,
      Connections connections,
      EventRecorder events,
      BooleanSupplier isLeader,
      MeterRegistry registry) {
    this.isLeader = isLeader;
    this.defaultNamespace = defaultNamespace;
    this.connections = connections;
    this.events = events;
    this.informer =
        client.secrets().inNamespace(namespace).withLabel(RegionNames.LABEL).runnableInformer(0);
    Informers.retryForever(informer, "region Secrets", null);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Secret secret) {
            changed();
          }

          @Override
          public void onUpdate(Secret before, Secret after) {
            if (!Objects.equals(
                before.getMetadata().getResourceVersion(),
                after.getMetadata().getResourceVersion())) {
              changed();
            }
          }

          @Override
          public void onDelete(Secret secret, boolean finalStateUnknown) {
            changed();
          }
        });
    Gauge.builder("clawrate.operator.region.secrets.invalid", reported, Map::size)
        .description("Region Secrets that cannot be used (see their Events)")
        .register(registry);
  }

  public void start() {
    informer.start();
  }

  /** Whether the Secrets have been listed once. */
  public boolean synced() {
    return informer.hasSynced();
  }

  private void changed() {
    try {
      executor.execute(this::reconcile);
    } catch (RejectedExecutionException e) {
      LOG.atDebug().log("region registry closed; change ignored");
    }
  }

  /** Looks at every region Secret and brings the connections in line. */
  private void reconcile() {
    try {
      reconcileNow();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("looking at the region Secrets failed");
    }
  }

  private void reconcileNow() {
    List<Secret> secrets = new ArrayList<>(informer.getStore().list());
    // Oldest first: of two Secrets naming one region, the older keeps it.
    secrets.sort(
        Comparator.comparing(
                (Secret s) -> s.getMetadata().getCreationTimestamp(),
                Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(s -> s.getMetadata().getName()));
    Map<String, RegionSecret.Valid> wanted = new HashMap<>();
    Map<String, String> wantedBy = new HashMap<>();
    Set<String> invalidUids = new HashSet<>();
    Map<String, String> problems = new HashMap<>();
    for (Secret secret : secrets) {
      if (secret.getMetadata().getLabels() == null
          || !secret.getMetadata().getLabels().containsKey(RegionNames.LABEL)) {
        // A server that ignores the label selector lists every Secret.
        continue;
      }
      String uid = secret.getMetadata().getUid();
      RegionSecret result = RegionSecret.parse(secret, defaultNamespace);
      if (result instanceof RegionSecret.Valid valid) {
        if (wanted.containsKey(valid.region())) {
          invalidUids.add(uid);
          report(
              secret,
              "DuplicateRegion",
              "region '"
                  + valid.region()
                  + "' is already registered by an older Secret; this one is ignored",
              problems);
        } else {
          wanted.put(valid.region(), valid);
          wantedBy.put(valid.region(), uid);
          resolved(secret);
        }
      } else if (result instanceof RegionSecret.Invalid invalid) {
        invalidUids.add(uid);
        report(secret, invalid.reason(), invalid.message(), problems);
      }
    }
    reported.keySet().retainAll(problems.keySet());
    recorded.keySet().retainAll(problems.keySet());
    // Disconnect first: a region no Secret names any more, unless its Secret is merely invalid now.
    for (String region : List.copyOf(active.keySet())) {
      Active current = active.get(region);
      boolean keptByInvalid =
          !wanted.containsKey(region) && invalidUids.contains(current.secretUid());
      if (!wanted.containsKey(region) && !keptByInvalid) {
        active.remove(region);
        connections.disconnect(region);
      }
    }
    wanted.forEach(
        (region, valid) -> {
          Active current = active.get(region);
          if (current == null || !current.fingerprint().equals(valid.fingerprint())) {
            if (valid.skipsTlsVerification()) {
              LOG.atWarn()
                  .addKeyValue("region", region)
                  .log(
                      "the region's kubeconfig skips TLS verification; its API server is not"
                          + " authenticated");
            }
            active.put(region, new Active(wantedBy.get(region), valid.fingerprint()));
            connections.connect(region, valid.config(), valid.namespace());
          }
        });
  }

  /**
   * Reports a Secret that cannot be used, once per problem: a log line from every replica, an Event
   * from the leader alone (a replica that becomes leader records those not yet recorded).
   */
  private void report(Secret secret, String reason, String message, Map<String, String> problems) {
    String uid = secret.getMetadata().getUid();
    String problem = reason + ": " + message;
    problems.put(uid, problem);
    if (!problem.equals(reported.put(uid, problem))) {
      LOG.atWarn()
          .addKeyValue("secret", secret.getMetadata().getName())
          .addKeyValue("reason", reason)
          .addKeyValue("problem", message)
          .log("region Secret ignored");
    }
    if (isLeader.getAsBoolean() && !problem.equals(recorded.put(uid, problem))) {
      events.warning(secret, reason, message);
    }
  }

  private void resolved(Secret secret) {
    reported.remove(secret.getMetadata().getUid());
    recorded.remove(secret.getMetadata().getUid());
  }

  /** This replica became the leader: record the Events a standby left to the leader. */
  public void leading() {
    changed();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    informer.close();
  }
}
