package dev.clawrate.operator.metrics;

import java.util.function.Consumer;

/**
 * What a read makes of one rater instance's samples, handed them one at a time as they are parsed,
 * so that no instance's samples need be held all at once. Used by one thread, then dropped.
 *
 * @param <T> what it makes: a {@link RaterSample}, or one per tenant
 */
interface InstanceSummary<T> extends Consumer<Sample> {

  /** What the samples handed so far make. */
  T result();
}
