package dev.clawrate.operator.canary;

import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.CanaryReleaseSpec;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.render.ConfigVersion;
import dev.clawrate.operator.render.Governed;
import dev.clawrate.operator.render.ResourceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which CanaryRelease governs which target, and what each pins on the tracks (pure). One release
 * governs a target: the oldest, by creation time then name; any other naming it is in conflict and
 * pins nothing.
 */
public final class ReleasePins {

  /** Phases in which the stable raters also rate with the candidate, when the spec asks for it. */
  private static final Set<String> SHADOWED =
      Set.of(ReleasePhase.SHADOWING, ReleasePhase.PROGRESSING, ReleasePhase.PAUSED);

  private static final Comparator<CanaryRelease> PRECEDENCE =
      Comparator.comparing(
              (CanaryRelease r) -> r.getMetadata().getCreationTimestamp(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(r -> r.getMetadata().getName());

  private ReleasePins() {}

  /** The target a release names, or null when its spec cannot say. */
  public static ResourceKey target(CanaryRelease release) {
    CanaryReleaseSpec spec = release.getSpec();
    if (spec == null || spec.getTargetRef() == null || spec.getTargetRef().getName() == null) {
      return null;
    }
    String namespace = release.getMetadata().getNamespace();
    String name = spec.getTargetRef().getName();
    return switch (String.valueOf(spec.getTargetRef().getKind())) {
      case "RatingModel" -> ResourceKey.model(namespace, name);
      case "TenantConfig" -> ResourceKey.tenant(namespace, name);
      default -> null;
    };
  }

  /** The release that governs each target. */
  public static Map<ResourceKey, CanaryRelease> governing(List<CanaryRelease> releases) {
    Map<ResourceKey, CanaryRelease> governing = new HashMap<>();
    releases.stream()
        .sorted(PRECEDENCE)
        .forEach(
            release -> {
              ResourceKey target = target(release);
              if (target != null) {
                governing.putIfAbsent(target, release);
              }
            });
    return governing;
  }

  /** What every governing release pins on the tracks. */
  public static List<Governed> governed(List<CanaryRelease> releases) {
    List<Governed> governed = new ArrayList<>();
    governing(releases)
        .forEach(
            (target, release) -> {
              CanaryReleaseStatus status = release.getStatus();
              if (status == null) {
                return;
              }
              boolean model = "RatingModel".equals(target.kind());
              ConfigVersion stable = ConfigVersion.fromStatus(status.getStable(), model);
              ConfigVersion canary = ConfigVersion.fromStatus(status.getCanary(), model);
              Double sampleRate =
                  canary != null
                          && status.getPhase() != null
                          && SHADOWED.contains(status.getPhase())
                      ? ReleaseSettings.of(release.getSpec()).shadowSampleRate()
                      : null;
              governed.add(new Governed(target, stable, canary, sampleRate));
            });
    return governed;
  }
}
