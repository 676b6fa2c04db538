package dev.clawrate.operator.alert;

import dev.clawrate.operator.alert.slo.BurnRule;
import dev.clawrate.operator.alert.slo.BurnWindows;
import dev.clawrate.operator.alert.slo.SloObjective;
import dev.clawrate.operator.alert.slo.SloObjectives;
import dev.clawrate.operator.alert.slo.SloPolicy;
import dev.clawrate.operator.api.AlertLinkSpec;
import dev.clawrate.operator.api.AlertReceiverSpec;
import dev.clawrate.operator.api.AvailabilityObjectiveSpec;
import dev.clawrate.operator.api.BurnRateAlertSpec;
import dev.clawrate.operator.api.GoDuration;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.api.LatencyObjectiveSpec;
import dev.clawrate.operator.api.TenantAlertingSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.api.TenantSloSpec;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.render.SnapshotRenderer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a TenantConfig asks of alerting, read from its spec with the documented defaults: pure. A
 * spec whose SLO cannot be evaluated gets no policy and a problem; its receivers and events still
 * work.
 *
 * @param key the TenantConfig
 * @param tenant the tenant id
 * @param regions the regions it names, or null for every region
 * @param policy the SLO to evaluate; null when no objective is enabled or the spec is unusable
 * @param problem why the SLO cannot be evaluated; null when it can
 * @param receivers the receivers, by name, in the spec's order (duplicates after the first left
 *     out)
 * @param severities receiver name to the severities it takes
 * @param links sent with every notification
 * @param fallback whether fallback answers notify
 * @param regionHealth whether unhealthy regions notify
 * @param canary whether canary rollbacks notify
 * @param objectives each enabled objective in words
 */
public record TenantAlerting(
    ResourceKey key,
    String tenant,
    List<String> regions,
    SloPolicy policy,
    String problem,
    Map<String, AlertReceiverSpec> receivers,
    Map<String, Set<Severity>> severities,
    List<Notification.Link> links,
    boolean fallback,
    boolean regionHealth,
    boolean canary,
    Map<AlertKind, String> objectives) {

  public static final double DEFAULT_AVAILABILITY_PERCENT = 99.9;
  public static final double DEFAULT_LATENCY_PERCENT = 99;
  public static final Duration DEFAULT_LATENCY_THRESHOLD = Duration.ofMillis(100);

  private static final Pattern LINK_TEXT = Pattern.compile("[^\\x00-\\x1f\\x7f]{1,64}");
  private static final Pattern LINK_URL = Pattern.compile("https?://[!-~]{1,2000}");

  public TenantAlerting {
    receivers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
    severities = Map.copyOf(severities);
    links = List.copyOf(links);
    objectives = Map.copyOf(objectives);
  }

  /** Whether anything is watched for the tenant: an objective, or an event. */
  public boolean watched() {
    return policy != null || fallback || regionHealth || canary;
  }

  /**
   * @param interval how often SLOs are evaluated: windows shorter than it cannot be
   */
  public static TenantAlerting of(TenantConfig tenant, Duration interval) {
    ResourceKey key =
        ResourceKey.tenant(tenant.getMetadata().getNamespace(), tenant.getMetadata().getName());
    TenantConfigSpec spec = tenant.getSpec() == null ? new TenantConfigSpec() : tenant.getSpec();
    List<String> regions =
        spec.getRegions() != null && SnapshotRenderer.whyNotRegions(spec.getRegions()) == null
            ? List.copyOf(spec.getRegions())
            : null;
    TenantSloSpec slo = spec.getSlo() == null ? new TenantSloSpec() : spec.getSlo();
    Map<AlertKind, String> objectives = new EnumMap<>(AlertKind.class);
    SloPolicy policy = null;
    String problem;
    try {
      SloObjectives wanted = objectives(slo, objectives);
      List<BurnRule> rules =
          List.of(
              rule(Severity.PAGE, slo.getPage(), BurnRule.PAGE),
              rule(Severity.TICKET, slo.getTicket(), BurnRule.TICKET));
      long minRequests =
          slo.getMinRequests() == null || slo.getMinRequests() < 1
              ? SloPolicy.DEFAULT_MIN_REQUESTS
              : slo.getMinRequests();
      SloPolicy candidate = new SloPolicy(wanted, new BurnWindows(rules), minRequests);
      problem = wanted.enabled().isEmpty() ? null : candidate.whyNotUsable(interval);
      if (problem == null && !wanted.enabled().isEmpty()) {
        policy = candidate;
      }
    } catch (IllegalArgumentException e) {
      // Messages of the SLO types are built from numbers the spec gave, never echoed text.
      problem = e.getMessage();
      objectives.clear();
    }
    TenantAlertingSpec alerting =
        spec.getAlerting() == null ? new TenantAlertingSpec() : spec.getAlerting();
    Map<String, AlertReceiverSpec> receivers = new LinkedHashMap<>();
    Map<String, Set<Severity>> severities = new LinkedHashMap<>();
    if (alerting.getReceivers() != null) {
      for (AlertReceiverSpec receiver : alerting.getReceivers()) {
        if (receiver == null
            || receiver.getName() == null
            || KubeNames.whyNotDnsLabel(receiver.getName()) != null
            || receivers.containsKey(receiver.getName())) {
          continue;
        }
        receivers.put(receiver.getName(), receiver);
        severities.put(receiver.getName(), severities(receiver.getSeverities()));
      }
    }
    List<Notification.Link> links = new ArrayList<>();
    if (alerting.getLinks() != null) {
      for (AlertLinkSpec link : alerting.getLinks()) {
        if (link != null
            && link.getText() != null
            && link.getUrl() != null
            && LINK_TEXT.matcher(link.getText()).matches()
            && LINK_URL.matcher(link.getUrl()).matches()) {
          links.add(new Notification.Link(link.getText(), link.getUrl()));
        }
      }
    }
    var events = alerting.getEvents();
    return new TenantAlerting(
        key,
        tenant.tenantId(),
        regions,
        policy,
        problem,
        receivers,
        severities,
        links,
        events == null || !Boolean.FALSE.equals(events.getFallback()),
        events == null || !Boolean.FALSE.equals(events.getRegions()),
        events == null || !Boolean.FALSE.equals(events.getCanary()),
        policy == null ? Map.of() : objectives);
  }

  private static SloObjectives objectives(TenantSloSpec slo, Map<AlertKind, String> words) {
    AvailabilityObjectiveSpec availability = slo.getAvailability();
    SloObjective available = null;
    if (availability == null || !Boolean.TRUE.equals(availability.getDisabled())) {
      double percent =
          availability == null || availability.getObjectivePercent() == null
              ? DEFAULT_AVAILABILITY_PERCENT
              : availability.getObjectivePercent();
      available = SloObjective.availability(percent / 100);
      words.put(AlertKind.AVAILABILITY, percent(percent) + " of requests not 5xx");
    }
    LatencyObjectiveSpec latency = slo.getLatency();
    SloObjective fast = null;
    if (latency == null || !Boolean.TRUE.equals(latency.getDisabled())) {
      double percent =
          latency == null || latency.getObjectivePercent() == null
              ? DEFAULT_LATENCY_PERCENT
              : latency.getObjectivePercent();
      Duration threshold =
          GoDuration.parse(
              latency == null ? null : latency.getThreshold(), DEFAULT_LATENCY_THRESHOLD);
      fast = SloObjective.latency(percent / 100, threshold.toNanos() / 1e9);
      words.put(AlertKind.LATENCY, percent(percent) + " of requests within " + millis(threshold));
    }
    return new SloObjectives(available, fast);
  }

  private static BurnRule rule(Severity severity, BurnRateAlertSpec spec, BurnRule otherwise) {
    if (spec == null) {
      return otherwise;
    }
    return new BurnRule(
        severity,
        GoDuration.parse(spec.getLongWindow(), otherwise.longWindow()),
        GoDuration.parse(spec.getShortWindow(), otherwise.shortWindow()),
        spec.getBurnRate() == null ? otherwise.factor() : spec.getBurnRate());
  }

  private static Set<Severity> severities(List<String> labels) {
    if (labels == null || labels.isEmpty()) {
      return EnumSet.allOf(Severity.class);
    }
    Set<Severity> chosen = new HashSet<>();
    for (Severity severity : Severity.values()) {
      if (labels.contains(severity.label())) {
        chosen.add(severity);
      }
    }
    return chosen.isEmpty() ? EnumSet.allOf(Severity.class) : EnumSet.copyOf(chosen);
  }

  private static String percent(double percent) {
    return new BigDecimal(Double.toString(percent)).stripTrailingZeros().toPlainString() + "%";
  }

  static String millis(Duration duration) {
    return duration.toNanos() % 1_000_000 == 0
        ? duration.toMillis() + "ms"
        : new BigDecimal(duration.toNanos()).movePointLeft(6).stripTrailingZeros().toPlainString()
            + "ms";
  }
}
