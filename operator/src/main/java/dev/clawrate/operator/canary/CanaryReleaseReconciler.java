package dev.clawrate.operator.canary;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.operator.api.CanaryRegionStatus;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.kube.Errors;
import dev.clawrate.operator.publish.RegionPublisher;
import dev.clawrate.operator.publish.RegionPublishers;
import dev.clawrate.operator.publish.RenderRound;
import dev.clawrate.operator.render.ConfigVersion;
import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.render.TrackSplit;
import dev.clawrate.operator.status.EventRecorder;
import dev.clawrate.operator.status.StatusWriter;
import dev.clawrate.operator.traffic.RouteException;
import dev.clawrate.operator.traffic.RouteState;
import dev.clawrate.operator.traffic.RouteWeights;
import dev.clawrate.operator.traffic.WeightSplit;
import dev.clawrate.operator.world.WorldCache;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a CanaryRelease: observes the target as rendered now, what each region's tracks serve
 * and what its route shows, measures when an interval ends, runs the {@link ReleaseMachine}, then
 * writes the route weights it asks for (all regions at once, so a rollback takes one round trip)
 * and the status, which pins what each track serves. A release in progress is looked at every tick;
 * one at rest now and then, as renders change its target's version.
 */
@ControllerConfiguration(name = CanaryReleaseReconciler.NAME)
public final class CanaryReleaseReconciler implements Reconciler<CanaryRelease> {

  public static final String NAME = "canaryrelease";
  private static final Logger LOG = LoggerFactory.getLogger(CanaryReleaseReconciler.class);

  /** How often a release in progress is looked at; bounds how late a measured breach acts. */
  private static final Duration TICK = Duration.ofMillis(500);

  /** How often a release at rest is looked at, for a new version of its target. */
  private static final Duration REST = Duration.ofSeconds(2);

  private final WorldCache world;
  private final RegionPublishers regions;
  private final Supplier<RenderRound> rounds;
  private final ReleaseAnalyzer analyzer;
  private final CanaryMetrics metrics;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final Clock clock;
  // Route reads and writes of one reconcile, one per region, side by side.
  private final ExecutorService routeCalls;

  public CanaryReleaseReconciler(
      WorldCache world,
      RegionPublishers regions,
      Supplier<RenderRound> rounds,
      ReleaseAnalyzer analyzer,
      CanaryMetrics metrics,
      StatusWriter statusWriter,
      EventRecorder events,
      ExecutorService routeCalls,
      Clock clock) {
    this.metrics = metrics;
    this.world = world;
    this.regions = regions;
    this.rounds = rounds;
    this.analyzer = analyzer;
    this.statusWriter = statusWriter;
    this.events = events;
    this.routeCalls = routeCalls;
    this.clock = clock;
  }

  @Override
  public UpdateControl<CanaryRelease> reconcile(CanaryRelease release, Context<CanaryRelease> ctx) {
    Instant now = clock.instant();
    long generation =
        release.getMetadata().getGeneration() == null ? 0 : release.getMetadata().getGeneration();
    CanaryReleaseStatus old = release.getStatus();
    ResourceKey target = ReleasePins.target(release);
    if (release.specProblem() != null || release.getSpec() == null || target == null) {
      String problem =
          release.specProblem() != null ? release.specProblem() : "spec.targetRef is missing";
      writeStatus(
          release,
          ctx,
          old,
          s ->
              s.setConditions(
                  ReleaseConditions.invalid(
                      old == null ? null : old.getConditions(),
                      generation,
                      now,
                      "InvalidSpec",
                      problem)));
      return UpdateControl.<CanaryRelease>noUpdate().rescheduleAfter(REST);
    }
    CanaryRelease governor = ReleasePins.governing(world.canaryReleases()).get(target);
    if (governor != null
        && !governor.getMetadata().getName().equals(release.getMetadata().getName())) {
      writeStatus(
          release,
          ctx,
          old,
          s ->
              s.setConditions(
                  ReleaseConditions.conflict(
                      old == null ? null : old.getConditions(),
                      generation,
                      now,
                      governor.getMetadata().getName())));
      return UpdateControl.<CanaryRelease>noUpdate().rescheduleAfter(REST);
    }
    RenderRound round = rounds.get();
    if (round == null) {
      return UpdateControl.<CanaryRelease>noUpdate().rescheduleAfter(REST);
    }
    ReleaseSettings settings = ReleaseSettings.of(release.getSpec());
    boolean modelTarget = "RatingModel".equals(target.kind());
    ConfigVersion current = TrackSplit.currentVersion(round.current(), target);
    ConfigVersion candidate =
        old == null ? null : ConfigVersion.fromStatus(old.getCanary(), modelTarget);
    List<String> order = regionOrder(settings);
    Map<String, ReleaseMachine.RegionSeen> seen = observe(order, settings, target, candidate, old);
    String uid = release.getMetadata().getUid();
    Analysis analysis = measure(uid, old, settings, target, round.snapshot(), seen);
    ReleaseMachine.Result result =
        ReleaseMachine.step(
            old,
            settings,
            new ReleaseMachine.Observation(
                now, current, order, seen, analysis, manual(release, candidate)),
            modelTarget);
    if (result.resetBaseline()) {
      analyzer.reset(uid);
    }
    Map<String, String> routeProblems = writeRoutes(result.routeWrites(), settings);
    for (ReleaseMachine.Notice notice : result.notices()) {
      if (notice.warning()) {
        events.warning(release, notice.reason(), notice.message());
      } else {
        events.normal(release, notice.reason(), notice.message());
      }
      LOG.atInfo()
          .addKeyValue(
              "release",
              release.getMetadata().getNamespace() + "/" + release.getMetadata().getName())
          .addKeyValue("reason", notice.reason())
          .addKeyValue("message", notice.message())
          .log("canary release");
    }
    CanaryReleaseStatus next = result.status();
    seen.forEach(
        (region, regionSeen) -> {
          if (regionSeen.routeProblem() != null) {
            routeProblems.putIfAbsent(region, regionSeen.routeProblem());
          }
        });
    List<String> unaccepted = new ArrayList<>();
    seen.forEach(
        (region, regionSeen) -> {
          if (regionSeen.connected()
              && regionSeen.routeProblem() == null
              && (!regionSeen.routeAccepted() || result.routeWrites().containsKey(region))) {
            unaccepted.add(region);
          }
        });
    next.setObservedGeneration(generation);
    next.setConditions(
        ReleaseConditions.of(
            next,
            old == null ? null : old.getConditions(),
            generation,
            now,
            routeProblems,
            unaccepted));
    String before = old == null ? null : old.getPhase();
    if (!Objects.equals(before, next.getPhase())) {
      LOG.atInfo()
          .addKeyValue("release", key(release))
          .addKeyValue("from", before)
          .addKeyValue("to", next.getPhase())
          .addKeyValue("resourceVersion", release.getMetadata().getResourceVersion())
          .log("release phase changed");
    }
    statusWriter.writeAndCache(release, next, copy -> copy.setStatus(next), ctx);
    metrics.record(key(release), next);
    metrics.retain(
        world.canaryReleases().stream()
            .map(CanaryReleaseReconciler::key)
            .collect(Collectors.toSet()));
    boolean busy = ReleasePhase.active(next.getPhase()) || !result.routeWrites().isEmpty();
    return UpdateControl.<CanaryRelease>noUpdate().rescheduleAfter(busy ? TICK : REST);
  }

  private void writeStatus(
      CanaryRelease release,
      Context<CanaryRelease> ctx,
      CanaryReleaseStatus old,
      Consumer<CanaryReleaseStatus> change) {
    CanaryReleaseStatus next = old == null ? new CanaryReleaseStatus() : Serialization.clone(old);
    change.accept(next);
    statusWriter.writeAndCache(release, next, copy -> copy.setStatus(next), ctx);
  }

  /** The regions a new release goes through: the spec's order, else every region, the hub first. */
  private List<String> regionOrder(ReleaseSettings settings) {
    if (settings.regions() != null) {
      return settings.regions();
    }
    List<String> names = new ArrayList<>();
    for (RegionPublisher region : regions.all()) {
      names.add(region.name());
    }
    return names;
  }

  private Map<String, ReleaseMachine.RegionSeen> observe(
      List<String> order,
      ReleaseSettings settings,
      ResourceKey target,
      ConfigVersion candidate,
      CanaryReleaseStatus old) {
    Set<String> names = new TreeSet<>(order);
    if (old != null && old.getRegions() != null) {
      old.getRegions().forEach(r -> names.add(r.getName()));
    }
    Map<String, CompletableFuture<ReleaseMachine.RegionSeen>> pending = new LinkedHashMap<>();
    for (String name : names) {
      RegionPublisher region = regions.get(name);
      if (region == null) {
        pending.put(
            name,
            CompletableFuture.completedFuture(
                new ReleaseMachine.RegionSeen(false, false, false, false, null, false, null)));
        continue;
      }
      pending.put(
          name,
          CompletableFuture.supplyAsync(
              () -> observeRegion(region, settings, target, candidate), routeCalls));
    }
    Map<String, ReleaseMachine.RegionSeen> seen = new LinkedHashMap<>();
    pending.forEach((name, future) -> seen.put(name, future.join()));
    return seen;
  }

  private ReleaseMachine.RegionSeen observeRegion(
      RegionPublisher region,
      ReleaseSettings settings,
      ResourceKey target,
      ConfigVersion candidate) {
    RegionPublisher.TrackView canary = region.view(SnapshotCodec.TRACK_CANARY);
    RegionPublisher.TrackView stable = region.view(SnapshotCodec.TRACK_STABLE);
    boolean canaryLoaded = TrackReadiness.serves(canary, target, candidate);
    boolean stableLoaded = TrackReadiness.serves(stable, target, candidate);
    boolean shadowLoaded =
        settings.shadowSampleRate() == null
            || (stable.written() != null
                && TrackReadiness.shadows(stable, tenantsOf(target, stable.written()), candidate));
    WeightSplit weight = null;
    boolean accepted = false;
    String problem = null;
    try {
      RouteState state =
          new RouteWeights(region.target().client(), region.name())
              .observe(
                  region.target().namespace(),
                  settings.route(),
                  settings.stableService(),
                  settings.canaryService());
      weight = state.current();
      accepted = state.accepted();
      problem = state.refusal().map(p -> p.message()).orElse(null);
    } catch (RouteException e) {
      if (!e.problem().kind().passes()) {
        problem = e.problem().message();
      }
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("region", region.name())
          .addKeyValue("error", Errors.describe(e))
          .log("reading the route failed");
    }
    return new ReleaseMachine.RegionSeen(
        true, canaryLoaded, shadowLoaded, stableLoaded, weight, accepted, problem);
  }

  /** Runs the analysis when one is due; null otherwise. */
  private Analysis measure(
      String uid,
      CanaryReleaseStatus old,
      ReleaseSettings settings,
      ResourceKey target,
      RenderedSnapshot stable,
      Map<String, ReleaseMachine.RegionSeen> seen) {
    String phase = old == null ? null : old.getPhase();
    if (phase == null || !ReleasePhase.active(phase) || ReleasePhase.PROMOTING.equals(phase)) {
      analyzer.reset(uid);
      return null;
    }
    boolean shadow =
        ReleasePhase.SHADOWING.equals(phase)
            || (ReleasePhase.PAUSED.equals(phase)
                && ReleasePhase.SHADOWING.equals(old.getPausedPhase()));
    List<String> judged = new ArrayList<>();
    if (old.getRegions() != null) {
      int current = old.getCurrentRegion() == null ? 0 : old.getCurrentRegion();
      for (int i = 0; i < old.getRegions().size(); i++) {
        CanaryRegionStatus region = old.getRegions().get(i);
        ReleaseMachine.RegionSeen regionSeen = seen.get(region.getName());
        boolean connected = regionSeen != null && regionSeen.connected();
        if (connected && (shadow || (i <= current && old.getStepSince() != null) || i < current)) {
          judged.add(region.getName());
        }
      }
    }
    if (judged.isEmpty()) {
      analyzer.reset(uid);
      return null;
    }
    return analyzer.analyze(
        uid, shadow, judged, tenantsOf(target, stable), settings, clock.instant());
  }

  /** The tenant ids a target's version rates: its own, or every tenant of the model. */
  static Set<String> tenantsOf(ResourceKey target, RenderedSnapshot stable) {
    Set<String> tenants = new TreeSet<>();
    if ("RatingModel".equals(target.kind())) {
      stable
          .document()
          .tenants()
          .forEach(
              (id, tenant) -> {
                ResourceKey owner = stable.tenantOwners().get(id);
                if (tenant.model().equals(target.name())
                    && owner != null
                    && owner.namespace().equals(target.namespace())) {
                  tenants.add(id);
                }
              });
    } else {
      String id = TrackSplit.idOf(stable.tenantOwners(), target);
      if (id != null) {
        tenants.add(id);
      }
    }
    return tenants;
  }

  /** Writes every asked weight, all regions at once; the problems of those that failed. */
  private Map<String, String> writeRoutes(
      Map<String, WeightSplit> writes, ReleaseSettings settings) {
    Map<String, CompletableFuture<String>> pending = new HashMap<>();
    writes.forEach(
        (name, split) -> {
          RegionPublisher region = regions.get(name);
          if (region == null) {
            return;
          }
          pending.put(
              name,
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      new RouteWeights(region.target().client(), name)
                          .set(
                              region.target().namespace(),
                              settings.route(),
                              settings.stableService(),
                              settings.canaryService(),
                              split);
                      return null;
                    } catch (RouteException e) {
                      return e.problem().message();
                    } catch (RuntimeException e) {
                      return "writing the route failed: " + Errors.describe(e);
                    }
                  },
                  routeCalls));
        });
    Map<String, String> problems = new HashMap<>();
    pending.forEach(
        (name, future) -> {
          String problem = future.join();
          if (problem != null) {
            problems.put(name, problem);
          }
        });
    return problems;
  }

  private static String key(CanaryRelease release) {
    return release.getMetadata().getNamespace() + "/" + release.getMetadata().getName();
  }

  /**
   * A release deleted mid-way: nothing governs its target any more, so both tracks serve the target
   * as its spec says; traffic returns to stable in every region the release had moved, so no route
   * is left pointing at a canary nothing judges.
   */
  public void deleted(CanaryRelease release) {
    analyzer.reset(release.getMetadata().getUid());
    CanaryReleaseStatus status = release.getStatus();
    if (release.getSpec() == null
        || status == null
        || status.getRegions() == null
        || !ReleasePhase.active(status.getPhase())) {
      return;
    }
    ReleaseSettings settings = ReleaseSettings.of(release.getSpec());
    Map<String, WeightSplit> writes = new LinkedHashMap<>();
    status.getRegions().forEach(region -> writes.put(region.getName(), WeightSplit.ALL_STABLE));
    routeCalls.execute(
        () -> {
          Map<String, String> problems = writeRoutes(writes, settings);
          LOG.atWarn()
              .addKeyValue("release", key(release))
              .addKeyValue("regionsNotRestored", problems.keySet())
              .log("release deleted mid-way; traffic returned to stable");
        });
  }

  /** A promote or abort annotation naming the config under release, if any. */
  private static ReleaseMachine.Manual manual(CanaryRelease release, ConfigVersion candidate) {
    Map<String, String> annotations = release.getMetadata().getAnnotations();
    if (candidate == null || annotations == null) {
      return ReleaseMachine.Manual.NONE;
    }
    if (candidate.config().equals(annotations.get(ClawrateApi.ABORT_ANNOTATION))) {
      return ReleaseMachine.Manual.ABORT;
    }
    if (candidate.config().equals(annotations.get(ClawrateApi.PROMOTE_ANNOTATION))) {
      return ReleaseMachine.Manual.PROMOTE;
    }
    return ReleaseMachine.Manual.NONE;
  }
}
