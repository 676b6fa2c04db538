package dev.clawrate.operator.alert;

import dev.clawrate.operator.Threads;
import dev.clawrate.operator.alert.slo.BurnRule;
import dev.clawrate.operator.alert.slo.SloLedger;
import dev.clawrate.operator.alert.slo.SloVerdict;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.metrics.MetricsSource;
import dev.clawrate.operator.metrics.MetricsUnavailableException;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.served.RegionHealth;
import dev.clawrate.operator.tenancy.Claims;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval: reads every region's rater metrics once, feeds each tenant's increase to its SLO
 * windows, judges its burn-rate alerts and its events (fallback answers, unhealthy regions, canary
 * rollbacks), records the alerts' changes in the {@link AlertBook}, wakes the TenantConfigs whose
 * status must show them, and hands what is owed to the {@link AlertDispatcher}.
 *
 * <p>Only the replica that publishes evaluates: two replicas would page twice. Rounds run on one
 * thread, so the ledger, the increments and the watches need no lock; region reads of a round run
 * at once on a small pool.
 */
public final class AlertEvaluator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

  /** What the evaluator reads of the rest of the operator. */
  public record World(
      Supplier<Collection<TenantConfig>> tenants,
      Supplier<Collection<CanaryRelease>> releases,
      Supplier<Claims> claims,
      Supplier<List<RegionHealth>> regions) {}

  /** A readable TenantConfig and what it asks of alerting. */
  private record Watched(TenantConfig tenant, TenantAlerting alerting) {}

  private final Duration interval;
  private final World world;
  private final MetricsSource metrics;
  private final BooleanSupplier active;
  private final AlertBook book;
  private final AlertDispatcher dispatcher;
  private final Consumer<Set<ResourceKey>> wake;
  private final Clock clock;
  private final SloLedger ledger;
  private final FallbackWatch fallbacks;
  private final Map<String, TenantIncrements> increments = new HashMap<>();
  private final Map<String, Instant> unhealthySince = new HashMap<>();
  private final Set<String> unreadable = new HashSet<>();
  private final Map<ResourceKey, SloFigures> figures = new ConcurrentHashMap<>();
  private final Timer rounds;
  private final ScheduledExecutorService ticker = Threads.single("clawrate-slo");
  private final ExecutorService readers = Threads.pool("clawrate-slo-read", 4);

  public AlertEvaluator(
      Duration interval,
      World world,
      MetricsSource metrics,
      BooleanSupplier active,
      AlertBook book,
      AlertDispatcher dispatcher,
      Consumer<Set<ResourceKey>> wake,
      Clock clock,
      MeterRegistry meters) {
    this.interval = interval;
    this.rounds =
        Timer.builder("clawrate.operator.slo.evaluation")
            .description(
                "SLO evaluation rounds and how long each took: reading every region's rater"
                    + " metrics, judging every tenant's alerts and handing notifications over")
            .register(meters);
    this.world = world;
    this.metrics = metrics;
    this.active = active;
    this.book = book;
    this.dispatcher = dispatcher;
    this.wake = wake;
    this.clock = clock;
    this.ledger = new SloLedger(interval);
    this.fallbacks = new FallbackWatch(interval);
  }

  public Duration interval() {
    return interval;
  }

  public void start() {
    ticker.scheduleWithFixedDelay(
        this::safeRound, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What the tenant's status shows of its objectives; null before its first evaluation. */
  public SloFigures figures(ResourceKey key) {
    return figures.get(key);
  }

  private void safeRound() {
    try {
      round();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("SLO evaluation round failed; the next one runs as usual");
    }
  }

  /** One round, timed; public for the benchmark, which drives rounds itself. */
  public void round() {
    if (!active.getAsBoolean()) {
      // Another replica evaluates; counters read now would be stale when this one takes over.
      increments.clear();
      return;
    }
    rounds.record(this::evaluate);
  }

  private void evaluate() {
    Instant now = clock.instant();
    List<RegionHealth> health = world.regions().get();
    Map<String, Map<String, RaterSample>> byRegion = read(health, now);
    trackHealth(health, now);
    List<Watched> tenants = new ArrayList<>();
    for (TenantConfig tenant : world.tenants().get()) {
      if (tenant.specProblem() == null) {
        tenants.add(new Watched(tenant, TenantAlerting.of(tenant, interval)));
      }
    }
    Map<String, ResourceKey> owners = owners(tenants);
    Collection<CanaryRelease> releases = world.releases().get();
    Set<ResourceKey> changed = new HashSet<>();
    Set<ResourceKey> keys = new HashSet<>();
    Map<ResourceKey, Set<String>> receivers = new HashMap<>();
    for (Watched watched : tenants) {
      TenantConfig tenant = watched.tenant();
      TenantAlerting alerting = watched.alerting();
      keys.add(alerting.key());
      receivers.put(alerting.key(), alerting.receivers().keySet());
      book.seed(alerting.key(), tenant.getStatus());
      boolean owner = alerting.key().equals(owners.get(alerting.tenant()));
      List<AlertCondition> conditions = new ArrayList<>();
      Set<String> served = servedRegions(alerting, health);
      if (owner) {
        conditions.addAll(slo(alerting, served, byRegion, now, changed));
      }
      if (alerting.regionHealth()) {
        conditions.add(
            EventAlerts.region(
                alerting.regions(), health, unhealthySince, regionHold(alerting), now));
      }
      if (alerting.canary()) {
        conditions.add(EventAlerts.canary(tenant, releases));
      }
      if (alerting.fallback() && owner) {
        conditions.add(fallback(alerting, served, byRegion, now));
      }
      if (book.apply(alerting.key(), conditions, alerting.receivers().keySet(), now)) {
        changed.add(alerting.key());
      }
      dispatcher.refresh(alerting);
    }
    ledger.retainOnly(keys);
    fallbacks.retainOnly(keys);
    book.retainOnly(keys);
    figures.keySet().retainAll(keys);
    dispatcher.retainOnly(receivers);
    if (!changed.isEmpty()) {
      wake.accept(changed);
    }
  }

  /**
   * Each region's increase per tenant id since the last round; regions that could not be read are
   * left out (their windows age as if they had no traffic, and say so by their history).
   */
  private Map<String, Map<String, RaterSample>> read(List<RegionHealth> regions, Instant now) {
    Map<String, CompletableFuture<Map<String, Map<String, RaterSample>>>> reads =
        new LinkedHashMap<>();
    for (RegionHealth region : regions) {
      reads.put(
          region.region(),
          CompletableFuture.supplyAsync(() -> readRegion(region.region()), readers));
    }
    Map<String, Map<String, RaterSample>> byRegion = new HashMap<>();
    reads.forEach(
        (region, read) -> {
          Map<String, Map<String, RaterSample>> samples = read.join();
          if (samples != null) {
            byRegion.put(
                region,
                increments.computeIfAbsent(region, r -> new TenantIncrements()).next(samples, now));
          }
        });
    increments.keySet().retainAll(reads.keySet());
    return byRegion;
  }

  private Map<String, Map<String, RaterSample>> readRegion(String region) {
    try {
      Map<String, Map<String, RaterSample>> read = metrics.readTenants(region);
      if (unreadable.remove(region)) {
        LOG.atInfo().addKeyValue("region", region).log("rater metrics readable again");
      }
      return read;
    } catch (MetricsUnavailableException | RuntimeException e) {
      if (unreadable.add(region)) {
        LOG.atWarn()
            .addKeyValue("region", region)
            .addKeyValue("problem", e.getMessage())
            .log("rater metrics cannot be read; the region's SLO windows get no data");
      }
      return null;
    }
  }

  private void trackHealth(List<RegionHealth> health, Instant now) {
    Set<String> unhealthy = new HashSet<>();
    for (RegionHealth region : health) {
      if (EventAlerts.unhealthy(region)) {
        unhealthy.add(region.region());
        unhealthySince.putIfAbsent(region.region(), now);
      }
    }
    unhealthySince.keySet().retainAll(unhealthy);
  }

  /**
   * The TenantConfig each tenant id's metrics belong to: the one in the namespace that owns the id,
   * when it is the only one there. Another namespace's TenantConfig naming the same id gets none:
   * it is not served, and must learn nothing of the owner's traffic.
   */
  private Map<String, ResourceKey> owners(List<Watched> watched) {
    Claims claims = world.claims().get();
    Map<String, ResourceKey> owners = new HashMap<>();
    Set<String> ambiguous = new HashSet<>();
    for (Watched each : watched) {
      TenantAlerting tenant = each.alerting();
      if (claims.tenantAllowed(tenant.tenant(), tenant.key().namespace())
          && owners.putIfAbsent(tenant.tenant(), tenant.key()) != null) {
        ambiguous.add(tenant.tenant());
      }
    }
    ambiguous.forEach(owners::remove);
    return owners;
  }

  private Set<String> servedRegions(TenantAlerting alerting, List<RegionHealth> health) {
    Set<String> served = new HashSet<>();
    for (RegionHealth region : health) {
      if (alerting.regions() == null || alerting.regions().contains(region.region())) {
        served.add(region.region());
      }
    }
    return served;
  }

  private List<AlertCondition> slo(
      TenantAlerting alerting,
      Set<String> served,
      Map<String, Map<String, RaterSample>> byRegion,
      Instant now,
      Set<ResourceKey> changed) {
    ResourceKey key = alerting.key();
    if (alerting.policy() == null) {
      ledger.forget(key);
      if (figures.remove(key) != null) {
        changed.add(key);
      }
      return List.of();
    }
    ledger.retainRegions(key, served);
    for (String region : served) {
      Map<String, RaterSample> read = byRegion.get(region);
      if (read != null) {
        ledger.record(
            key,
            alerting.policy(),
            region,
            read.getOrDefault(alerting.tenant(), RaterSample.EMPTY),
            now);
      }
    }
    List<AlertBook.Alert> alerts = book.view(key).alerts();
    List<SloVerdict> verdicts =
        ledger.evaluate(
            key,
            alerting.policy(),
            (kind, severity) ->
                alerts.stream()
                    .anyMatch(a -> a.firing() && a.kind() == kind && a.severity() == severity),
            now);
    SloFigures shown = SloFigures.of(verdicts, alerting.objectives());
    if (!Objects.equals(figures.put(key, shown), shown)) {
      changed.add(key);
    }
    List<AlertCondition> conditions = new ArrayList<>();
    for (SloVerdict verdict : verdicts) {
      conditions.add(
          new AlertCondition(
              verdict.kind().label() + "-" + verdict.severity().label(),
              verdict.kind(),
              verdict.severity(),
              switch (verdict.state()) {
                case FIRING -> AlertCondition.Judgement.FIRING;
                case OK -> AlertCondition.Judgement.OK;
                case UNKNOWN -> AlertCondition.Judgement.UNKNOWN;
              },
              verdict.burnRate(),
              verdict.burnThreshold(),
              verdict.regions(),
              verdict.reason()));
    }
    return conditions;
  }

  private AlertCondition fallback(
      TenantAlerting alerting,
      Set<String> served,
      Map<String, Map<String, RaterSample>> byRegion,
      Instant now) {
    Duration window = regionHold(alerting);
    fallbacks.retainRegions(alerting.key(), served);
    for (String region : served) {
      Map<String, RaterSample> read = byRegion.get(region);
      if (read != null) {
        fallbacks.record(
            alerting.key(),
            region,
            window,
            read.getOrDefault(alerting.tenant(), RaterSample.EMPTY),
            now);
      }
    }
    return fallbacks.judge(alerting.key(), window, now);
  }

  /**
   * How long a region must stay unhealthy before it pages, and the window fallbacks are counted
   * over: the page pair's short window, so the tenant's own notion of "still happening" holds.
   */
  private Duration regionHold(TenantAlerting alerting) {
    BurnRule page =
        alerting.policy() == null
            ? BurnRule.PAGE
            : alerting.policy().windows().rules().stream()
                .filter(rule -> rule.severity() == Severity.PAGE)
                .findFirst()
                .orElse(BurnRule.PAGE);
    return page.shortWindow();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    readers.shutdownNow();
  }
}
