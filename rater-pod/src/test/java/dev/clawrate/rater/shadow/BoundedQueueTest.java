package dev.clawrate.rater.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedQueueTest {

  @Test
  void holdsUpToItsCapacityInOrderAndRefusesTheRest() {
    BoundedQueue<String> queue = new BoundedQueue<>(2);
    assertTrue(queue.offer("a"));
    assertTrue(queue.offer("b"));
    assertFalse(queue.offer("c"));
    assertEquals("a", queue.poll());
    assertTrue(queue.offer("d"), "a taken item frees its slot");
    assertFalse(queue.offer("e"));
    assertEquals("b", queue.poll());
    assertEquals("d", queue.poll());
    assertNull(queue.poll());
    assertNull(queue.poll(), "polling an empty queue frees nothing");
    assertTrue(queue.offer("f"));
    assertTrue(queue.offer("g"));
    assertFalse(queue.offer("h"));
  }

  @Test
  void aQueueHoldsAtLeastOneItem() {
    assertThrows(IllegalArgumentException.class, () -> new BoundedQueue<String>(0));
  }
}
