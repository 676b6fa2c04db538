package dev.clawrate.operator.served;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.render.ResourceKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which resources' served figures change when raters move: only those, once per change. */
class ServedTrackerTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String SNAPSHOT = "sha256:" + "c".repeat(64);
  private static final ResourceKey OLD_TENANT = ResourceKey.tenant("ns", "old");
  private static final ResourceKey NEW_TENANT = ResourceKey.tenant("ns", "new");

  private final AtomicReference<List<Rater>> raters = new AtomicReference<>(List.of());
  private final List<Set<ResourceKey>> notified = new CopyOnWriteArrayList<>();
  private final ServedTracker tracker =
      new ServedTracker(
          () ->
              List.of(
                  new ServedTracker.Region(
                      "local",
                      () ->
                          new Publication(
                              "local",
                              8,
                              Map.of(
                                  OLD_TENANT,
                                      new Publication.Published(
                                          "scorer", DIGEST, 3, 1, Instant.EPOCH, true),
                                  NEW_TENANT,
                                      new Publication.Published(
                                          "scorer", DIGEST, 8, 1, Instant.EPOCH, true)),
                              Map.of(),
                              Set.of(),
                              Instant.EPOCH,
                              null,
                              false),
                      track -> raters.get())),
          "stable");

  @AfterEach
  void close() {
    tracker.close();
  }

  private static Rater at(String name, long revision) {
    return new Rater(
        name, new Heartbeat("stable", revision, SNAPSHOT, Map.of("scorer", DIGEST), false, null));
  }

  @Test
  void aRaterCatchingUpChangesOnlyTheResourcesItNowServes() {
    tracker.addListener(notified::add);
    assertFalse(tracker.ready(), "nothing computed yet: no status is a guess");
    raters.set(List.of(at("a", 7), at("b", 8)));
    tracker.refresh();
    Await.until("first computation reported", () -> notified.size() == 1);
    assertTrue(tracker.ready());
    assertEquals("2/2", tracker.summary(OLD_TENANT, 1, null, null).ratersOf());
    assertEquals("1/2", tracker.summary(NEW_TENANT, 1, null, null).ratersOf());

    raters.set(List.of(at("a", 8), at("b", 8)));
    tracker.refresh();
    Await.until("the change reported", () -> notified.size() == 2);
    assertEquals(Set.of(NEW_TENANT), notified.get(1), "old was served by both already");
    assertEquals("2/2", tracker.summary(NEW_TENANT, 1, null, null).ratersOf());
    assertEquals(DIGEST, tracker.summary(NEW_TENANT, 1, null, null).regions().get(0).getDigest());
  }

  @Test
  void nothingChangedNotifiesNobody() {
    tracker.addListener(notified::add);
    raters.set(List.of(at("a", 8)));
    tracker.refresh();
    Await.until("first computation reported", () -> notified.size() == 1);
    tracker.refresh();
    tracker.refresh();
    // A third computation that does change something proves the two above ran and said nothing.
    raters.set(List.of());
    tracker.refresh();
    Await.until("the departure reported", () -> notified.size() == 2);
    assertEquals(Set.of(OLD_TENANT, NEW_TENANT), notified.get(1));
  }
}
