package dev.clawrate.operator.alert;

import dev.clawrate.operator.api.AlertDeliveryStatus;
import dev.clawrate.operator.api.AlertStatus;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.api.TenantConfigStatus;
import dev.clawrate.operator.render.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every TenantConfig's alerts: which fire, since when, and which notification of each every
 * receiver has accepted. Its state is what the TenantConfig's status records ({@code
 * status.alerts}); an operator that starts takes it back from there ({@link #seed}), so it neither
 * forgets a firing alert nor tells a receiver twice.
 *
 * <p>A notification goes out only once the status that records its alert's change is stored ({@link
 * #persisted}, {@link #due}): a restart between the two then sends it (late), never loses it; one
 * between sending and recording the delivery sends it again, which PagerDuty and Alertmanager
 * de-duplicate on the alert's key.
 *
 * <p>The evaluator thread changes alerts, okhttp's threads record deliveries and the tenant
 * reconciler reads it to write status: every method is synchronized, and none does I/O.
 */
public final class AlertBook {

  /** How long a resolved alert stays in status once every receiver has been told. */
  public static final Duration KEEP_RESOLVED = Duration.ofHours(1);

  private static final Pattern ALERT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");

  /**
   * One alert as the book holds it.
   *
   * @param sequence the number of its latest notification
   * @param firingSequence the number of the notification that started the current (or last)
   *     incident
   * @param changedAt the book version at which {@code sequence} was taken: deliverable once a
   *     status at least that new is stored
   * @param delivered receiver name to the latest sequence it accepted
   */
  public record Alert(
      String name,
      AlertKind kind,
      Severity severity,
      AlertState state,
      Instant since,
      Instant resolvedAt,
      double burnRate,
      double burnThreshold,
      List<String> regions,
      String reason,
      long sequence,
      long firingSequence,
      long changedAt,
      Map<String, Long> delivered) {

    public Alert {
      regions = List.copyOf(regions);
      delivered = Map.copyOf(delivered);
    }

    boolean firing() {
      return state == AlertState.FIRING;
    }

    long deliveredTo(String receiver) {
      return delivered.getOrDefault(receiver, 0L);
    }

    Alert withDelivered(String receiver, long sequence) {
      Map<String, Long> next = new HashMap<>(delivered);
      next.merge(receiver, sequence, Math::max);
      return new Alert(
          name,
          kind,
          severity,
          state,
          since,
          resolvedAt,
          burnRate,
          burnThreshold,
          regions,
          reason,
          this.sequence,
          firingSequence,
          changedAt,
          next);
    }
  }

  /**
   * A notification a receiver is owed: the alert as it is, and which of its notifications to send
   * (the firing that started the incident, when the receiver missed it, comes before the resolve).
   */
  public record Due(String receiver, Alert alert, long sequence, AlertState state) {}

  /** What the status of one TenantConfig should show, as of {@code version}. */
  public record View(List<Alert> alerts, long version) {}

  /** Book-keeping of one TenantConfig; changed only under the book's lock. */
  private static final class Entry {
    final Map<String, Alert> alerts = new TreeMap<>();
    long version;
    long persisted;
  }

  private final Map<ResourceKey, Entry> entries = new HashMap<>();

  /**
   * Takes a TenantConfig's alerts back from its status, the first time it is seen; later calls
   * change nothing. Entries that cannot be read are left out.
   */
  public synchronized void seed(ResourceKey key, TenantConfigStatus status) {
    if (entries.containsKey(key)) {
      return;
    }
    Entry entry = new Entry();
    if (status != null && status.getAlerts() != null) {
      for (AlertStatus stored : status.getAlerts()) {
        Alert alert = fromStatus(stored);
        if (alert != null) {
          entry.alerts.put(alert.name(), alert);
        }
      }
    }
    entries.put(key, entry);
  }

  /**
   * Applies one evaluation's conditions: an alert judged firing that is not fires (next sequence),
   * one judged OK that fires resolves, an unknown one stays. A firing alert no longer among the
   * conditions (its objective disabled, its release gone) resolves. Resolved alerts every current
   * receiver has been told of are dropped after {@link #KEEP_RESOLVED}.
   *
   * @param receivers the receivers the TenantConfig names now
   * @return whether the status must be written
   */
  public synchronized boolean apply(
      ResourceKey key,
      Collection<AlertCondition> conditions,
      Collection<String> receivers,
      Instant now) {
    Entry entry = entries.computeIfAbsent(key, k -> new Entry());
    long before = entry.version;
    Set<String> judged = new HashSet<>();
    for (AlertCondition condition : conditions) {
      judged.add(condition.name());
      Alert current = entry.alerts.get(condition.name());
      boolean firing = current != null && current.firing();
      switch (condition.judgement()) {
        case FIRING -> {
          if (!firing) {
            entry.version++;
            long sequence = current == null ? 1 : current.sequence() + 1;
            entry.alerts.put(
                condition.name(),
                new Alert(
                    condition.name(),
                    condition.kind(),
                    condition.severity(),
                    AlertState.FIRING,
                    now,
                    null,
                    condition.burnRate(),
                    condition.burnThreshold(),
                    condition.regions(),
                    condition.reason(),
                    sequence,
                    sequence,
                    entry.version,
                    current == null ? Map.of() : current.delivered()));
          } else if (!current.regions().equals(condition.regions())) {
            // The regions it concerns show in status; receivers heard of the incident already.
            entry.version++;
            entry.alerts.put(condition.name(), withRegions(current, condition.regions()));
          }
        }
        case OK -> {
          if (firing) {
            resolve(entry, current, condition.reason(), now);
          }
        }
        case UNKNOWN -> {}
      }
    }
    for (Alert alert : List.copyOf(entry.alerts.values())) {
      if (alert.firing() && !judged.contains(alert.name())) {
        resolve(entry, alert, "no longer watched", now);
      } else if (!alert.firing()
          && alert.resolvedAt() != null
          && !alert.resolvedAt().plus(KEEP_RESOLVED).isAfter(now)
          && receivers.stream().allMatch(r -> alert.deliveredTo(r) >= alert.sequence())) {
        entry.version++;
        entry.alerts.remove(alert.name());
      }
    }
    return entry.version != before || entry.version != entry.persisted;
  }

  private static void resolve(Entry entry, Alert current, String reason, Instant now) {
    entry.version++;
    entry.alerts.put(
        current.name(),
        new Alert(
            current.name(),
            current.kind(),
            current.severity(),
            AlertState.RESOLVED,
            current.since(),
            now,
            current.burnRate(),
            current.burnThreshold(),
            current.regions(),
            reason,
            current.sequence() + 1,
            current.firingSequence(),
            entry.version,
            current.delivered()));
  }

  private static Alert withRegions(Alert alert, List<String> regions) {
    return new Alert(
        alert.name(),
        alert.kind(),
        alert.severity(),
        alert.state(),
        alert.since(),
        alert.resolvedAt(),
        alert.burnRate(),
        alert.burnThreshold(),
        regions,
        alert.reason(),
        alert.sequence(),
        alert.firingSequence(),
        alert.changedAt(),
        alert.delivered());
  }

  /** The alerts to show in the TenantConfig's status. */
  public synchronized View view(ResourceKey key) {
    Entry entry = entries.get(key);
    return entry == null
        ? new View(List.of(), 0)
        : new View(List.copyOf(entry.alerts.values()), entry.version);
  }

  /** The TenantConfig's status as of {@code version} is stored: what it records may be sent. */
  public synchronized void persisted(ResourceKey key, long version) {
    Entry entry = entries.get(key);
    if (entry != null) {
      entry.persisted = Math.max(entry.persisted, Math.min(version, entry.version));
    }
  }

  /**
   * What each receiver is owed and may be sent now (its alert's change is stored): per receiver and
   * alert, the current notification when the receiver has not accepted it, preceded by the firing
   * that started the incident when the receiver missed that too.
   *
   * @param receivers receiver name to the severities it takes
   */
  public synchronized List<Due> due(ResourceKey key, Map<String, Set<Severity>> receivers) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return List.of();
    }
    List<Due> due = new ArrayList<>();
    for (Alert alert : entry.alerts.values()) {
      if (alert.changedAt() > entry.persisted) {
        continue;
      }
      receivers.forEach(
          (receiver, severities) -> {
            if (!severities.contains(alert.severity())) {
              return;
            }
            long told = alert.deliveredTo(receiver);
            if (told >= alert.sequence()) {
              return;
            }
            if (!alert.firing() && told < alert.firingSequence()) {
              due.add(new Due(receiver, alert, alert.firingSequence(), AlertState.FIRING));
            }
            due.add(new Due(receiver, alert, alert.sequence(), alert.state()));
          });
    }
    return due;
  }

  /**
   * A receiver accepted notification {@code sequence} of an alert.
   *
   * @return whether the status must be written to record it
   */
  public synchronized boolean delivered(
      ResourceKey key, String alertName, String receiver, long sequence) {
    Entry entry = entries.get(key);
    Alert alert = entry == null ? null : entry.alerts.get(alertName);
    if (alert == null || alert.deliveredTo(receiver) >= sequence) {
      return false;
    }
    entry.version++;
    entry.alerts.put(alertName, alert.withDelivered(receiver, sequence));
    return true;
  }

  /** The TenantConfig is gone: its alerts with it. */
  public synchronized void forget(ResourceKey key) {
    entries.remove(key);
  }

  /** Keeps only these TenantConfigs' alerts. */
  public synchronized void retainOnly(Set<ResourceKey> keys) {
    entries.keySet().retainAll(keys);
  }

  /** The keys the book holds alerts for. */
  public synchronized Set<ResourceKey> keys() {
    return Set.copyOf(entries.keySet());
  }

  private static Alert fromStatus(AlertStatus stored) {
    if (stored.getName() == null || !ALERT_NAME.matcher(stored.getName()).matches()) {
      return null;
    }
    AlertKind kind = byLabel(AlertKind.values(), stored.getObjective(), AlertKind::label);
    Severity severity = byLabel(Severity.values(), stored.getSeverity(), Severity::label);
    AlertState state =
        "Firing".equals(stored.getState())
            ? AlertState.FIRING
            : "Resolved".equals(stored.getState()) ? AlertState.RESOLVED : null;
    Instant since = instant(stored.getSince());
    Instant resolvedAt = instant(stored.getResolvedAt());
    long sequence = stored.getSequence() == null ? 0 : stored.getSequence();
    if (kind == null
        || severity == null
        || state == null
        || since == null
        || sequence < 1
        || (state == AlertState.RESOLVED && resolvedAt == null)) {
      return null;
    }
    Map<String, Long> delivered = new HashMap<>();
    if (stored.getDelivered() != null) {
      for (AlertDeliveryStatus told : stored.getDelivered()) {
        if (told.getReceiver() != null
            && KubeNames.whyNotDnsLabel(told.getReceiver()) == null
            && told.getSequence() != null
            && told.getSequence() > 0) {
          delivered.merge(told.getReceiver(), Math.min(told.getSequence(), sequence), Math::max);
        }
      }
    }
    List<String> regions =
        stored.getRegions() == null
            ? List.of()
            : stored.getRegions().stream()
                .filter(r -> r != null && KubeNames.whyNotDnsLabel(r) == null)
                .sorted()
                .toList();
    long firingSequence = state == AlertState.FIRING ? sequence : sequence - 1;
    return new Alert(
        stored.getName(),
        kind,
        severity,
        state,
        since,
        state == AlertState.RESOLVED ? resolvedAt : null,
        BurnFigures.parse(stored.getBurnRate()),
        Double.NaN,
        regions,
        state == AlertState.FIRING ? "firing before the operator restarted" : "resolved",
        sequence,
        Math.max(1, firingSequence),
        0,
        delivered);
  }

  private static <T> T byLabel(T[] values, String label, Function<T, String> of) {
    for (T value : values) {
      if (of.apply(value).equals(label)) {
        return value;
      }
    }
    return null;
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
