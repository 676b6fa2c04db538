package dev.clawrate.operator.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.CanaryReleaseSpec;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.CanaryShadowSpec;
import dev.clawrate.operator.api.CanaryTargetRef;
import dev.clawrate.operator.render.ConfigVersion;
import dev.clawrate.operator.render.Governed;
import dev.clawrate.operator.render.ResourceKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which release governs a target and what it pins on the tracks. Pure. */
class ReleasePinsTest {

  private static final ConfigVersion A =
      ConfigVersion.of(new ModelEntry("sha256:" + "a".repeat(64), "rate", ModelLimits.DEFAULTS));
  private static final ConfigVersion B =
      ConfigVersion.of(new ModelEntry("sha256:" + "b".repeat(64), "rate", ModelLimits.DEFAULTS));

  private static CanaryRelease release(String name, String created, String kind, String phase) {
    CanaryRelease release = new CanaryRelease();
    release.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withCreationTimestamp(created)
            .build());
    CanaryReleaseSpec spec = new CanaryReleaseSpec();
    CanaryTargetRef target = new CanaryTargetRef();
    target.setKind(kind);
    target.setName("scorer");
    spec.setTargetRef(target);
    CanaryShadowSpec shadow = new CanaryShadowSpec();
    shadow.setSamplePercent(10.0);
    spec.setShadow(shadow);
    release.setSpec(spec);
    CanaryReleaseStatus status = new CanaryReleaseStatus();
    status.setPhase(phase);
    status.setStable(A.toStatus());
    status.setCanary(B.toStatus());
    release.setStatus(status);
    return release;
  }

  @Test
  void theOldestReleaseOfATargetGovernsItAndAnotherPinsNothing() {
    CanaryRelease older = release("b-first", "2025-01-01T00:00:00Z", "RatingModel", "Progressing");
    CanaryRelease younger =
        release("a-second", "2025-02-01T00:00:00Z", "RatingModel", "Progressing");
    assertEquals(
        "b-first",
        ReleasePins.governing(List.of(younger, older))
            .get(ResourceKey.model("ns", "scorer"))
            .getMetadata()
            .getName());
    List<Governed> governed = ReleasePins.governed(List.of(younger, older));
    assertEquals(1, governed.size());
    assertEquals(new Governed(ResourceKey.model("ns", "scorer"), A, B, 0.1), governed.get(0));
  }

  @Test
  void theShadowRunsOnlyWhileTheCandidateIsJudged() {
    Governed promoting =
        ReleasePins.governed(
                List.of(release("r", "2025-01-01T00:00:00Z", "RatingModel", "Promoting")))
            .get(0);
    assertNull(promoting.shadowSampleRate());
    Governed shadowing =
        ReleasePins.governed(
                List.of(release("r", "2025-01-01T00:00:00Z", "RatingModel", "Shadowing")))
            .get(0);
    assertEquals(0.1, shadowing.shadowSampleRate());
  }

  @Test
  void aReleaseOfAnUnknownKindGovernsNothing() {
    assertEquals(
        List.of(),
        ReleasePins.governed(List.of(release("r", "2025-01-01T00:00:00Z", "Deployment", null))));
  }

  @Test
  void aHandEditedVersionWhoseIdentityIsNotItsEntrysOwnPinsNothing() {
    CanaryRelease release = release("r", "2025-01-01T00:00:00Z", "RatingModel", "Progressing");
    release.getStatus().getStable().setConfig("f".repeat(16));
    assertNull(ReleasePins.governed(List.of(release)).get(0).stable());
  }
}
