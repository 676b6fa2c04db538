package dev.clawrate.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The one place a resource's conditions are computed. It starts from the conditions the resource
 * has, and each {@link #set} keeps {@code lastTransitionTime} unless the status actually changes,
 * so re-reconciling an unchanged resource yields equal conditions and the caller can skip the
 * status write.
 */
public final class ConditionSet {

  private final List<Condition> conditions;
  private final long observedGeneration;
  private final Instant now;

  /**
   * @param existing the conditions currently in the resource's status (may be null)
   * @param observedGeneration the generation being reconciled
   */
  public ConditionSet(List<Condition> existing, long observedGeneration, Instant now) {
    this.conditions = new ArrayList<>();
    if (existing != null) {
      existing.forEach(c -> conditions.add(new ConditionBuilder(c).build()));
    }
    this.observedGeneration = observedGeneration;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  public ConditionSet set(String type, boolean status, String reason, String message) {
    String value = status ? "True" : "False";
    Condition current = find(type);
    String transition =
        current != null && value.equals(current.getStatus())
            ? current.getLastTransitionTime()
            : now.toString();
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build();
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(updated);
    return this;
  }

  public ConditionSet remove(String type) {
    conditions.removeIf(c -> type.equals(c.getType()));
    return this;
  }

  /** Sorted by type, so the order never causes a spurious status change. */
  public List<Condition> toList() {
    List<Condition> sorted = new ArrayList<>(conditions);
    sorted.sort(Comparator.comparing(Condition::getType));
    return sorted;
  }

  private Condition find(String type) {
    return conditions.stream()
        .filter(c -> Objects.equals(type, c.getType()))
        .findFirst()
        .orElse(null);
  }

  /** Whether the condition of this type is True in the list. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
