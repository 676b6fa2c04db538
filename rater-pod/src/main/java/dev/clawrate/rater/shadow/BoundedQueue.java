package dev.clawrate.rater.shadow;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded first-in first-out queue whose {@link #offer} never blocks, takes no lock and makes no
 * system call, so a request thread can hand work to a background thread at the cost of two atomic
 * updates. (A blocking queue's lock, held by a consumer the kernel has just descheduled, would
 * stall the request thread, and with it every connection of its network thread.)
 */
final class BoundedQueue<T> {

  private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
  // Counts a slot from the moment it is claimed, so the queue never holds more than capacity.
  private final AtomicInteger size = new AtomicInteger();
  private final int capacity;

  BoundedQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a queue holds at least one item");
    }
    this.capacity = capacity;
  }

  /**
   * @return false, leaving the queue as it was, when it is full
   */
  boolean offer(T item) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return false;
    }
    items.offer(item);
    return true;
  }

  /** The oldest item, or null when there is none. */
  T poll() {
    T item = items.poll();
    if (item != null) {
      size.decrementAndGet();
    }
    return item;
  }
}
