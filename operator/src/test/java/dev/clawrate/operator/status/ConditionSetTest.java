package dev.clawrate.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionSetTest {

  private static final Instant EARLIER = Instant.parse("2025-01-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2025-01-01T12:34:56.789Z");

  private static Condition condition(String type, String status, String reason, String time) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("before")
        .withObservedGeneration(1L)
        .withLastTransitionTime(time)
        .build();
  }

  private static Condition only(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void lastTransitionTimeIsKeptWhenStatusIsUnchangedEvenIfReasonAndMessageChange() {
    List<Condition> existing = List.of(condition("Ready", "True", "Published", EARLIER.toString()));
    List<Condition> result =
        new ConditionSet(existing, 2, NOW)
            .set("Ready", true, "StillPublished", "a new message")
            .toList();
    Condition ready = only(result, "Ready");
    assertEquals(EARLIER.toString(), ready.getLastTransitionTime());
    assertEquals("StillPublished", ready.getReason());
    assertEquals("a new message", ready.getMessage());
    assertEquals("True", ready.getStatus());
  }

  @Test
  void lastTransitionTimeMovesWhenStatusFlips() {
    List<Condition> existing = List.of(condition("Ready", "True", "Published", EARLIER.toString()));
    Condition ready =
        only(
            new ConditionSet(existing, 2, NOW).set("Ready", false, "Failed", "broken").toList(),
            "Ready");
    assertEquals("False", ready.getStatus());
    // Truncated to whole seconds, RFC 3339.
    assertEquals("2025-01-01T12:34:56Z", ready.getLastTransitionTime());
  }

  @Test
  void newConditionGetsNowAsTransitionTime() {
    Condition validated =
        only(
            new ConditionSet(null, 1, NOW).set("Validated", true, "Passed", null).toList(),
            "Validated");
    assertEquals("2025-01-01T12:34:56Z", validated.getLastTransitionTime());
  }

  @Test
  void observedGenerationIsSetOnEveryConditionWritten() {
    List<Condition> existing = List.of(condition("Ready", "True", "Published", EARLIER.toString()));
    List<Condition> result =
        new ConditionSet(existing, 7, NOW)
            .set("Ready", true, "Published", "m")
            .set("Degraded", false, "AsExpected", null)
            .toList();
    result.forEach(c -> assertEquals(7L, c.getObservedGeneration(), c.getType()));
  }

  @Test
  void reconcilingTwiceWithTheSameInputGivesEqualConditions() {
    List<Condition> first =
        new ConditionSet(null, 3, NOW)
            .set("Ready", true, "Published", "ok")
            .set("Validated", true, "Passed", "ok")
            .toList();
    List<Condition> second =
        new ConditionSet(first, 3, NOW.plusSeconds(3600))
            .set("Validated", true, "Passed", "ok")
            .set("Ready", true, "Published", "ok")
            .toList();
    assertEquals(first, second);
  }

  @Test
  void listIsSortedByType() {
    List<Condition> result =
        new ConditionSet(null, 1, NOW)
            .set("Validated", true, "A", null)
            .set("Degraded", false, "B", null)
            .set("Ready", true, "C", null)
            .set("Progressing", false, "D", null)
            .toList();
    assertEquals(
        List.of("Degraded", "Progressing", "Ready", "Validated"),
        result.stream().map(Condition::getType).toList());
  }

  @Test
  void inputListAndItsConditionsAreNotMutated() {
    Condition ready = condition("Ready", "True", "Published", EARLIER.toString());
    Condition stale = condition("Stale", "True", "Old", EARLIER.toString());
    List<Condition> existing = new ArrayList<>(List.of(ready, stale));
    Condition readyCopy = new ConditionBuilder(ready).build();

    new ConditionSet(existing, 5, NOW)
        .set("Ready", false, "Failed", "broken")
        .set("Validated", true, "Passed", null)
        .remove("Stale")
        .toList();

    assertEquals(2, existing.size());
    assertEquals(List.of(ready, stale), existing);
    assertEquals(readyCopy, existing.get(0));
    assertEquals("True", existing.get(0).getStatus());
    assertEquals(1L, existing.get(0).getObservedGeneration());
  }

  @Test
  void removeDropsTheCondition() {
    List<Condition> result =
        new ConditionSet(
                List.of(
                    condition("Ready", "True", "R", EARLIER.toString()),
                    condition("Progressing", "True", "P", EARLIER.toString())),
                1,
                NOW)
            .remove("Progressing")
            .toList();
    assertEquals(List.of("Ready"), result.stream().map(Condition::getType).toList());
  }

  @Test
  void toListReturnsACopy() {
    ConditionSet set = new ConditionSet(null, 1, NOW).set("Ready", true, "R", null);
    List<Condition> first = set.toList();
    first.clear();
    assertEquals(1, set.toList().size());
  }

  @Test
  void isTrue() {
    List<Condition> conditions =
        List.of(
            condition("Ready", "True", "R", EARLIER.toString()),
            condition("Degraded", "False", "D", EARLIER.toString()),
            condition("Progressing", "Unknown", "P", EARLIER.toString()));
    assertTrue(ConditionSet.isTrue(conditions, "Ready"));
    assertFalse(ConditionSet.isTrue(conditions, "Degraded"));
    assertFalse(ConditionSet.isTrue(conditions, "Progressing"));
    assertFalse(ConditionSet.isTrue(conditions, "Validated"));
    assertFalse(ConditionSet.isTrue(null, "Ready"));
    assertFalse(ConditionSet.isTrue(List.of(), "Ready"));
  }
}
