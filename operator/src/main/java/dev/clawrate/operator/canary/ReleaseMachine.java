package dev.clawrate.operator.canary;

import dev.clawrate.operator.api.CanaryAnalysisStatus;
import dev.clawrate.operator.api.CanaryRegionStatus;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.CanaryTransition;
import dev.clawrate.operator.api.CanaryVersionStatus;
import dev.clawrate.operator.render.ConfigVersion;
import dev.clawrate.operator.traffic.WeightSplit;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The release state machine (pure): from a release's status, its settings and what was just
 * observed, the next status and the route weights to write. No I/O and no clock of its own, so
 * every path is unit-tested; {@code CanaryReleaseReconciler} observes, runs it and carries out what
 * it returns.
 *
 * <p>Order of precedence within one step: a new version of the target (starts a release, replacing
 * any running one), a revert to stable, an abort, a failed analysis, then progress. A breach is
 * thus acted on in the tick that measures it, whatever else is pending.
 */
public final class ReleaseMachine {

  /** How many phase changes status keeps. */
  static final int HISTORY = 10;

  public static final String WAITING = "Waiting";
  public static final String SHIFTING = "Shifting";
  public static final String ANALYZING = "Analyzing";
  public static final String DONE = "Done";
  public static final String RESTORING = "Restoring";
  public static final String RESTORED = "Restored";

  /** A manual action, already matched to the release in progress. */
  public enum Manual {
    NONE,
    PROMOTE,
    ABORT
  }

  /**
   * What one region shows now.
   *
   * @param canaryLoaded every live canary rater serves the canary snapshot that holds the candidate
   *     (and there is at least one)
   * @param shadowLoaded every live stable rater serves the stable snapshot holding the candidate's
   *     shadow (true when the release has no shadow)
   * @param stableLoaded every live stable rater serves the stable snapshot holding the promoted
   *     version
   * @param route the route's weights and acceptance, or null when they could not be read
   * @param routeProblem why the route cannot take the release (missing, no backendRef), or null
   */
  public record RegionSeen(
      boolean connected,
      boolean canaryLoaded,
      boolean shadowLoaded,
      boolean stableLoaded,
      WeightSplit routeWeight,
      boolean routeAccepted,
      String routeProblem) {}

  /**
   * @param current the target as rendered now, or null when it is not published
   * @param regionOrder the regions a new release goes through, in order
   * @param analysis the analysis measured this tick, or null when none was due
   */
  public record Observation(
      Instant now,
      ConfigVersion current,
      List<String> regionOrder,
      Map<String, RegionSeen> regions,
      Analysis analysis,
      Manual manual) {}

  /** An Event to record on the release. */
  public record Notice(boolean warning, String reason, String message) {}

  /**
   * @param routeWrites region to the weights its route must get now
   * @param resetBaseline the analysis window starts now (a new phase or step)
   */
  public record Result(
      CanaryReleaseStatus status,
      Map<String, WeightSplit> routeWrites,
      List<Notice> notices,
      boolean resetBaseline) {}

  private final ReleaseSettings settings;
  private final Observation seen;
  private final CanaryReleaseStatus next;
  private final boolean modelTarget;
  private final Map<String, WeightSplit> writes = new LinkedHashMap<>();
  private final List<Notice> notices = new ArrayList<>();
  private boolean resetBaseline;

  private ReleaseMachine(
      CanaryReleaseStatus previous,
      ReleaseSettings settings,
      Observation seen,
      boolean modelTarget) {
    this.settings = settings;
    this.seen = seen;
    this.modelTarget = modelTarget;
    this.next = previous == null ? new CanaryReleaseStatus() : Serialization.clone(previous);
  }

  public static Result step(
      CanaryReleaseStatus previous,
      ReleaseSettings settings,
      Observation seen,
      boolean modelTarget) {
    ReleaseMachine machine = new ReleaseMachine(previous, settings, seen, modelTarget);
    machine.run();
    return new Result(
        machine.next,
        Map.copyOf(machine.writes),
        List.copyOf(machine.notices),
        machine.resetBaseline);
  }

  private void run() {
    ConfigVersion current = seen.current();
    ConfigVersion stable = ConfigVersion.fromStatus(next.getStable(), modelTarget);
    if (stable == null) {
      if (current != null) {
        next.setStable(current.toStatus());
        enter(ReleasePhase.IDLE, "Adopted", "serving " + short12(current.digest()) + " as stable");
      }
      return;
    }
    if (next.getPhase() == null) {
      next.setPhase(ReleasePhase.IDLE);
    }
    ConfigVersion candidate = ConfigVersion.fromStatus(next.getCanary(), modelTarget);
    boolean active = ReleasePhase.active(next.getPhase()) && candidate != null;
    if (current != null
        && !current.sameConfig(next.getStable())
        && !current.sameConfig(next.getFailed())
        && (candidate == null || !current.sameConfig(next.getCanary()))
        && !ReleasePhase.PROMOTING.equals(next.getPhase())) {
      if (active) {
        notice(true, "Superseded", "a newer version of the target replaces the one under release");
      }
      start(current);
      return;
    }
    if (!active) {
      keepRestored();
      return;
    }
    if (ReleasePhase.PROMOTING.equals(next.getPhase())) {
      promote();
      return;
    }
    if (current != null && current.sameConfig(next.getStable())) {
      rollBack("Reverted", "the target went back to the stable version");
      return;
    }
    if (current == null) {
      rollBack("TargetUnpublished", "the target is no longer published");
      return;
    }
    if (seen.manual() == Manual.ABORT) {
      rollBack("Aborted", "aborted by the clawrate.dev/abort annotation");
      return;
    }
    if (judged()) {
      return;
    }
    if (seen.manual() == Manual.PROMOTE) {
      enterPromoting("Promoted", "promoted at once by the clawrate.dev/promote annotation");
      return;
    }
    pauseOrResume();
    switch (next.getPhase()) {
      case ReleasePhase.SHADOWING -> shadow();
      case ReleasePhase.PROGRESSING -> progress();
      default -> holdRegions();
    }
  }

  private void start(ConfigVersion candidate) {
    next.setCanary(candidate.toStatus());
    next.setFailures(0);
    next.setAnalysis(null);
    next.setCurrentRegion(0);
    next.setPausedPhase(null);
    next.setStepSince(null);
    List<CanaryRegionStatus> regions = new ArrayList<>();
    for (String name : seen.regionOrder()) {
      CanaryRegionStatus region = new CanaryRegionStatus();
      region.setName(name);
      region.setState(WAITING);
      region.setWeight(weightOf(name));
      regions.add(region);
      // A release that was replaced mid-way leaves no canary traffic behind it.
      restore(name);
    }
    next.setRegions(regions);
    resetBaseline = true;
    String message =
        "releasing " + short12(candidate.digest()) + " (config " + candidate.config() + ")";
    enter(
        settings.shadowSampleRate() != null ? ReleasePhase.SHADOWING : ReleasePhase.PROGRESSING,
        "Started",
        message);
  }

  /** Applies the tick's analysis; true when it ended the release. */
  private boolean judged() {
    Analysis analysis = seen.analysis();
    if (analysis == null) {
      return false;
    }
    int failures = next.getFailures() == null ? 0 : next.getFailures();
    if (analysis.verdict() == Verdict.FAIL) {
      failures++;
    }
    next.setFailures(failures);
    next.setAnalysis(record(analysis, failures, seen.now()));
    String figures = String.join("; ", analysis.reasons());
    switch (analysis.verdict()) {
      case FAIL -> {
        if (failures > settings.failureLimit()) {
          rollBack("AnalysisFailed", figures);
          return true;
        }
        notice(true, "AnalysisFailed", figures + " (" + failures + " failed so far, tolerated)");
      }
      case HOLD -> {
        notice(false, "AnalysisHeld", figures);
        if (holdingTooLong()) {
          rollBack("ProgressDeadline", "held past its progress deadline: " + figures);
          return true;
        }
      }
      case PASS -> notice(false, "AnalysisPassed", summary(analysis));
    }
    return false;
  }

  private void pauseOrResume() {
    String phase = next.getPhase();
    if (settings.paused() && !ReleasePhase.PAUSED.equals(phase)) {
      next.setPausedPhase(phase);
      enter(ReleasePhase.PAUSED, "Paused", "paused by spec.paused");
    } else if (!settings.paused() && ReleasePhase.PAUSED.equals(phase)) {
      String resumed =
          next.getPausedPhase() == null ? ReleasePhase.PROGRESSING : next.getPausedPhase();
      next.setPausedPhase(null);
      enter(resumed, "Resumed", "resumed: spec.paused is false");
    }
  }

  private void shadow() {
    List<String> notReady = new ArrayList<>();
    for (CanaryRegionStatus region : regions()) {
      RegionSeen regionSeen = seen.regions().get(region.getName());
      if (regionSeen == null || !regionSeen.connected()) {
        notReady.add(region.getName() + ": not connected");
      } else if (!regionSeen.shadowLoaded() || !regionSeen.canaryLoaded()) {
        notReady.add(region.getName() + ": raters loading the candidate");
      }
      region.setMessage(null);
    }
    if (!notReady.isEmpty()) {
      next.setMessage("waiting: " + String.join(", ", notReady));
      if (past(next.getPhaseSince(), settings.progressDeadline())) {
        rollBack("ProgressDeadline", "raters did not load the candidate in time");
      }
      return;
    }
    next.setMessage("rating a sample of live requests with the candidate too");
    Analysis last = seen.analysis();
    if (last != null && last.verdict() == Verdict.PASS) {
      enter(ReleasePhase.PROGRESSING, "ShadowPassed", summary(last));
      resetBaseline = true;
      progress();
    }
  }

  private void progress() {
    List<CanaryRegionStatus> regions = regions();
    int index = next.getCurrentRegion() == null ? 0 : next.getCurrentRegion();
    if (index >= regions.size()) {
      enterPromoting("StepsDone", "every region took every step");
      return;
    }
    holdRegions();
    CanaryRegionStatus region = regions.get(index);
    RegionSeen regionSeen = seen.regions().get(region.getName());
    int stepIndex = region.getStep() == null ? 0 : region.getStep();
    ReleaseSettings.Step step =
        settings.steps().get(Math.min(stepIndex, settings.steps().size() - 1));
    region.setStep(stepIndex);
    if (regionSeen == null || !regionSeen.connected() || !regionSeen.canaryLoaded()) {
      region.setState(WAITING);
      region.setMessage(
          regionSeen == null || !regionSeen.connected()
              ? "region not connected"
              : "canary raters loading the candidate");
      next.setMessage("waiting for region " + region.getName());
      if (next.getStepSince() == null && past(next.getPhaseSince(), settings.progressDeadline())) {
        rollBack("ProgressDeadline", "region " + region.getName() + " did not get ready in time");
      }
      return;
    }
    if (regionSeen.routeProblem() != null) {
      region.setState(WAITING);
      region.setMessage(regionSeen.routeProblem());
      next.setMessage("waiting for the route in region " + region.getName());
      return;
    }
    boolean atWeight = step.weight().equals(regionSeen.routeWeight());
    if (!atWeight || !regionSeen.routeAccepted()) {
      if (!atWeight) {
        writes.put(region.getName(), step.weight());
      }
      region.setState(SHIFTING);
      region.setMessage(atWeight ? "waiting for the gateway to accept the route" : null);
      next.setStepSince(null);
      next.setMessage(
          "shifting "
              + step.weight().percent().toPlainString()
              + "% to canary in "
              + region.getName());
      return;
    }
    region.setWeight(step.weight().percent().toPlainString());
    region.setMessage(null);
    next.setWeight(region.getWeight());
    if (next.getStepSince() == null) {
      next.setStepSince(seen.now().toString());
      region.setState(ANALYZING);
      resetBaseline = true;
      next.setMessage(
          "step " + (stepIndex + 1) + "/" + settings.steps().size() + " in " + region.getName());
      return;
    }
    Analysis last = seen.analysis();
    boolean passed = last != null && last.verdict() == Verdict.PASS;
    if (!passed || !past(next.getStepSince(), step.pause())) {
      return;
    }
    notice(
        false,
        "StepPassed",
        region.getName() + " step " + (stepIndex + 1) + " at " + region.getWeight() + "%");
    next.setStepSince(null);
    next.setPhaseSince(seen.now().toString());
    resetBaseline = true;
    if (stepIndex + 1 < settings.steps().size()) {
      region.setStep(stepIndex + 1);
      progress();
      return;
    }
    region.setState(DONE);
    next.setCurrentRegion(index + 1);
    if (index + 1 >= regions.size()) {
      enterPromoting("StepsDone", "every region took every step");
    } else {
      progress();
    }
  }

  /** Regions already through their steps keep their last weight, as the gateway shows it. */
  private void holdRegions() {
    for (CanaryRegionStatus region : regions()) {
      RegionSeen regionSeen = seen.regions().get(region.getName());
      if (regionSeen != null && regionSeen.routeWeight() != null && regionSeen.routeAccepted()) {
        region.setWeight(regionSeen.routeWeight().percent().toPlainString());
      }
    }
  }

  private void enterPromoting(String reason, String message) {
    next.setStable(next.getCanary());
    enter(ReleasePhase.PROMOTING, reason, message);
    promote();
  }

  /** Stable now serves the candidate: once its raters load it everywhere, traffic returns. */
  private void promote() {
    List<String> loading = new ArrayList<>();
    for (CanaryRegionStatus region : regions()) {
      RegionSeen regionSeen = seen.regions().get(region.getName());
      if (regionSeen == null || !regionSeen.connected() || !regionSeen.stableLoaded()) {
        loading.add(region.getName());
      }
    }
    if (!loading.isEmpty()) {
      next.setMessage(
          "stable raters loading the promoted version in " + String.join(", ", loading));
      return;
    }
    if (restoreAll()) {
      next.setCanary(null);
      next.setWeight("0");
      next.setStepSince(null);
      enter(
          ReleasePhase.SUCCEEDED,
          "Succeeded",
          "stable serves " + short12(next.getStable().getDigest()));
    } else {
      next.setMessage("returning traffic to stable, now serving the promoted version");
    }
  }

  private void rollBack(String reason, String message) {
    CanaryVersionStatus failed = new CanaryVersionStatus();
    failed.setConfig(next.getCanary().getConfig());
    failed.setDigest(next.getCanary().getDigest());
    next.setFailed(failed);
    next.setCanary(null);
    next.setPausedPhase(null);
    next.setStepSince(null);
    next.setWeight("0");
    for (CanaryRegionStatus region : regions()) {
      restore(region.getName());
    }
    enter(ReleasePhase.ROLLED_BACK, reason, message);
    keepRestored();
  }

  /**
   * After a release, every region's route goes back to all-stable, a region unreachable then as
   * soon as it answers. Once a region is restored its route is the user's again: a weight set by
   * hand afterwards is left alone.
   */
  private void keepRestored() {
    if (ReleasePhase.ROLLED_BACK.equals(next.getPhase())
        || ReleasePhase.SUCCEEDED.equals(next.getPhase())) {
      restoreAll();
    }
  }

  /** Asks for all-stable everywhere not yet restored; true once every region's gateway took it. */
  private boolean restoreAll() {
    boolean all = true;
    for (CanaryRegionStatus region : regions()) {
      if (RESTORED.equals(region.getState())) {
        continue;
      }
      RegionSeen regionSeen = seen.regions().get(region.getName());
      boolean restored =
          regionSeen != null
              && (regionSeen.routeProblem() != null
                  || (WeightSplit.ALL_STABLE.equals(regionSeen.routeWeight())
                      && regionSeen.routeAccepted()));
      if (restored) {
        region.setState(RESTORED);
        region.setWeight("0");
        region.setMessage(null);
      } else {
        restore(region.getName());
        region.setState(RESTORING);
        all = false;
      }
    }
    return all;
  }

  private void restore(String region) {
    RegionSeen regionSeen = seen.regions().get(region);
    if (regionSeen != null
        && regionSeen.connected()
        && regionSeen.routeProblem() == null
        && !WeightSplit.ALL_STABLE.equals(regionSeen.routeWeight())) {
      writes.put(region, WeightSplit.ALL_STABLE);
    }
  }

  private boolean holdingTooLong() {
    String since =
        ReleasePhase.SHADOWING.equals(next.getPhase()) ? next.getPhaseSince() : next.getStepSince();
    return past(since == null ? next.getPhaseSince() : since, settings.progressDeadline());
  }

  private void enter(String phase, String reason, String message) {
    boolean warning = ReleasePhase.ROLLED_BACK.equals(phase);
    next.setPhase(phase);
    next.setPhaseSince(seen.now().toString());
    next.setMessage(message);
    CanaryTransition transition = new CanaryTransition();
    transition.setAt(seen.now().toString());
    transition.setPhase(phase);
    transition.setReason(reason);
    transition.setMessage(message);
    List<CanaryTransition> history =
        new ArrayList<>(next.getHistory() == null ? List.of() : next.getHistory());
    history.add(transition);
    next.setHistory(
        history.size() > HISTORY
            ? history.subList(history.size() - HISTORY, history.size())
            : history);
    notice(warning, reason, message);
  }

  private void notice(boolean warning, String reason, String message) {
    notices.add(new Notice(warning, reason, message));
  }

  private List<CanaryRegionStatus> regions() {
    if (next.getRegions() == null) {
      next.setRegions(new ArrayList<>());
    }
    return next.getRegions();
  }

  private String weightOf(String region) {
    RegionSeen regionSeen = seen.regions().get(region);
    return regionSeen == null || regionSeen.routeWeight() == null
        ? null
        : regionSeen.routeWeight().percent().toPlainString();
  }

  private boolean past(String since, Duration wait) {
    if (since == null) {
      return false;
    }
    try {
      return !seen.now().isBefore(Instant.parse(since).plus(wait));
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }

  private static CanaryAnalysisStatus record(Analysis analysis, int failures, Instant at) {
    Figures figures = analysis.figures();
    CanaryAnalysisStatus status = new CanaryAnalysisStatus();
    status.setAt(at.toString());
    status.setVerdict(
        analysis.verdict().name().charAt(0)
            + analysis.verdict().name().substring(1).toLowerCase(Locale.ROOT));
    status.setRequests(figures.requests());
    status.setErrorRate(percent(figures.errorRate()));
    status.setP95Millis(number(figures.p95Millis()));
    status.setP99Millis(number(figures.p99Millis()));
    status.setFlipRate(percent(figures.flipRate()));
    status.setPopulationStability(number(figures.populationStability()));
    status.setReasons(analysis.reasons().isEmpty() ? null : List.copyOf(analysis.reasons()));
    status.setFailures(failures);
    return status;
  }

  static String summary(Analysis analysis) {
    Figures f = analysis.figures();
    List<String> parts = new ArrayList<>();
    parts.add(f.requests() + " requests");
    if (f.errorRate() != null) {
      parts.add("error rate " + percent(f.errorRate()) + "%");
    }
    if (f.p99Millis() != null) {
      parts.add("p99 " + number(f.p99Millis()) + " ms");
    }
    if (f.flipRate() != null) {
      parts.add("flip rate " + percent(f.flipRate()) + "%");
    }
    if (f.populationStability() != null) {
      parts.add("PSI " + number(f.populationStability()));
    }
    return String.join(", ", parts);
  }

  private static String percent(Double share) {
    return share == null ? null : String.format(Locale.ROOT, "%.2f", share * 100);
  }

  private static String number(Double value) {
    return value == null ? null : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String short12(String digest) {
    return digest == null
        ? "?"
        : digest.substring(Math.max(0, digest.indexOf(':') + 1)).substring(0, 12);
  }
}
