package dev.clawrate.operator.served;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.operator.publish.Publication;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whether a rater serves a resource, from its heartbeat alone. Pure. */
class ServedStateTest {

  private static final String NEW = "sha256:" + "a".repeat(64);
  private static final String OLD = "sha256:" + "b".repeat(64);
  private static final String SNAPSHOT = "sha256:" + "c".repeat(64);
  private static final Publication.Published SCORER =
      new Publication.Published("scorer", NEW, 7, 1, Instant.EPOCH, true);

  private static Rater rater(
      String name, long revision, String digest, Heartbeat.Rejection rejected) {
    return new Rater(
        name,
        new Heartbeat("stable", revision, SNAPSHOT, Map.of("scorer", digest), false, rejected));
  }

  @Test
  void aRaterAtTheRevisionWithTheDigestServesIt() {
    RegionServing serving =
        ServedState.of(SCORER, List.of(rater("a", 7, NEW, null), rater("b", 9, NEW, null)));
    assertEquals(new RegionServing(2, 2, NEW, null), serving);
    assertTrue(serving.all());
  }

  @Test
  void aRaterBelowTheRevisionDoesNotEvenWithTheSameDigest() {
    // The limits changed at revision 7, the digest did not: revision 6 serves the old limits.
    RegionServing serving = ServedState.of(SCORER, List.of(rater("a", 6, NEW, null)));
    assertEquals(0, serving.serving());
    assertEquals(1, serving.total());
  }

  @Test
  void aRaterReportingAnotherDigestDoesNotServeItWhateverItsRevision() {
    RegionServing serving = ServedState.of(SCORER, List.of(rater("a", 8, OLD, null)));
    assertEquals(0, serving.serving());
    assertEquals(OLD, serving.digest(), "what is served is shown");
  }

  @Test
  void aRejectionOfTheCarryingRevisionIsReportedWithTheRatersReason() {
    Heartbeat.Rejection rejected =
        new Heartbeat.Rejection(7, "module ConfigMap missing", Instant.EPOCH);
    RegionServing serving =
        ServedState.of(SCORER, List.of(rater("b", 6, OLD, rejected), rater("a", 7, NEW, null)));
    assertEquals(1, serving.serving());
    assertEquals(
        "rater b rejected snapshot revision 7: module ConfigMap missing", serving.rejection());
  }

  @Test
  void anOlderRejectionDoesNotConcernANewerForm() {
    Heartbeat.Rejection rejected = new Heartbeat.Rejection(5, "old trouble", Instant.EPOCH);
    RegionServing serving = ServedState.of(SCORER, List.of(rater("a", 6, OLD, rejected)));
    assertNull(serving.rejection());
  }

  @Test
  void anUnreadableHeartbeatCountsAndServesNothing() {
    RegionServing serving =
        ServedState.of(SCORER, List.of(new Rater("broken", null), rater("a", 7, NEW, null)));
    assertEquals(new RegionServing(1, 2, NEW, null), serving);
  }

  @Test
  void withModelsLeftOutTheRevisionDecides() {
    Rater big = new Rater("a", new Heartbeat("stable", 7L, SNAPSHOT, Map.of(), true, null));
    assertEquals(1, ServedState.of(SCORER, List.of(big)).serving());
  }

  @Test
  void noRatersIsNoneServing() {
    assertEquals(RegionServing.NONE, ServedState.of(SCORER, List.of()));
  }
}
