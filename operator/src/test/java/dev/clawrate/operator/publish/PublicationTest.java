package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.render.SnapshotRendererCarryOverTest;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a region carries after a publish, and since when. Pure. */
class PublicationTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final ResourceKey SCORER = ResourceKey.model("ns", "scorer");
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-01-01T00:01:00Z");
  private static final Instant T3 = Instant.parse("2026-01-01T00:02:00Z");

  private static Publication after(
      long revision,
      RenderedSnapshot written,
      Publication before,
      RenderedSnapshot was,
      Instant at) {
    return Publication.after(
        "local", revision, written, Set.of(), Map.of(SCORER, 1L), before, was, at);
  }

  @Test
  void aResourceCarriedUnchangedKeepsItsRevisionAndTime() {
    RenderedSnapshot withA = SnapshotRendererCarryOverTest.renderOneModel("scorer", A);
    RenderedSnapshot withB = SnapshotRendererCarryOverTest.renderOneModel("scorer", B);
    Publication first = after(3, withA, Publication.unknown("local"), null, T1);
    assertFalse(
        first.published().get(SCORER).exact(), "a new process cannot know earlier revisions");

    Publication unchanged = after(3, withA, first, withA, T2);
    assertEquals(T1, unchanged.at(), "the revision's time, not the publish's");
    assertEquals(3, unchanged.published().get(SCORER).since());

    Publication changed = after(4, withB, unchanged, withA, T3);
    Publication.Published scorer = changed.published().get(SCORER);
    assertEquals(4, scorer.since());
    assertEquals(T3, scorer.at());
    assertTrue(scorer.exact(), "changed under this process: known exactly");
    assertEquals(T3, changed.at());
  }

  @Test
  void aFailureKeepsWhatTheRegionHoldsAndSaysWhetherItAnswered() {
    RenderedSnapshot withA = SnapshotRendererCarryOverTest.renderOneModel("scorer", A);
    Publication ok = after(3, withA, Publication.unknown("local"), null, T1);
    Publication down = ok.failed(Map.of(), Set.of(), "no answer", true);
    assertEquals(3, down.revision());
    assertEquals(ok.published(), down.published());
    assertTrue(down.unreachable());
    assertTrue(down.known());
    assertEquals(Set.of(SCORER), RegionPublisher.differences(ok, down));
  }
}
