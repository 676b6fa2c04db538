package dev.clawrate.operator.alert.notify;

import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.ReceiverTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import okhttp3.Call;

/**
 * One receiver's notifications, oldest first, with what its delivery is waiting for (a request in
 * flight, or a wake-up after a backoff or the rate limit) and its health.
 *
 * <p>Not thread-safe: only the sender's thread touches it.
 */
final class ReceiverQueue {

  private final Deque<Notification> pending = new ArrayDeque<>();
  private final Set<String> ids = new HashSet<>();
  private ReceiverTarget target;
  private byte[] address;
  private RateLimit rateLimit;

  /** Attempts made for the oldest notification at the current address. */
  private int attempts;

  private Call inFlight;
  private long attemptId;
  private byte[] attemptAddress;
  private ScheduledFuture<?> wakeup;
  private Instant nextAttempt;

  private int failedAttempts;
  private Instant failingSince;
  private String lastProblem;
  private DeliveryState lastOutcome;
  private Instant lastDelivered;

  ReceiverQueue(ReceiverTarget target, RateLimit rateLimit) {
    this.target = target;
    this.address = address(target);
    this.rateLimit = rateLimit;
  }

  ReceiverTarget target() {
    return target;
  }

  RateLimit rateLimit() {
    return rateLimit;
  }

  /**
   * Takes the receiver's target as it is now. When its address (URL or routing key) changed, the
   * queue starts afresh there: a new rate-limit bucket (limits are per webhook or key) and no
   * attempts counted, so the next attempt is not held back by the old address's failures.
   *
   * @return whether the address changed
   */
  boolean retarget(ReceiverTarget newTarget, RateLimit freshRateLimit) {
    target = newTarget;
    byte[] newAddress = address(newTarget);
    if (MessageDigest.isEqual(address, newAddress)) {
      return false;
    }
    address = newAddress;
    rateLimit = freshRateLimit;
    attempts = 0;
    return true;
  }

  boolean contains(Notification n) {
    return ids.contains(n.id());
  }

  /**
   * Queues {@code n}. When the queue is full, the oldest notification not in flight makes room.
   *
   * @return the notification dropped to make room, if one was
   */
  Optional<Notification> offer(Notification n, int maxQueued) {
    Optional<Notification> dropped = Optional.empty();
    if (pending.size() >= maxQueued) {
      if (inFlight == null) {
        dropped = Optional.of(pending.removeFirst());
        attempts = 0;
      } else if (pending.size() > 1) {
        Iterator<Notification> oldest = pending.iterator();
        oldest.next();
        dropped = Optional.of(oldest.next());
        oldest.remove();
      } else {
        return Optional.of(n);
      }
      ids.remove(dropped.get().id());
    }
    pending.addLast(n);
    ids.add(n.id());
    return dropped;
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  Notification head() {
    return pending.peekFirst();
  }

  /** Removes the oldest notification, which will never be attempted again. */
  Notification removeHead() {
    Notification head = pending.removeFirst();
    ids.remove(head.id());
    attempts = 0;
    return head;
  }

  boolean busy() {
    return inFlight != null || wakeup != null;
  }

  void begin(Call call, long id) {
    inFlight = call;
    attemptId = id;
    attemptAddress = address;
    nextAttempt = null;
  }

  boolean isAttempt(long id) {
    return inFlight != null && attemptId == id;
  }

  /**
   * Ends the attempt in flight and counts it.
   *
   * @return the attempts made for the oldest notification, this one included
   */
  int end() {
    inFlight = null;
    return ++attempts;
  }

  /** Whether the attempt that just ended went to the address the receiver has now. */
  boolean attemptWentToCurrentAddress() {
    return MessageDigest.isEqual(attemptAddress, address);
  }

  void delivered(Instant now) {
    removeHead();
    failedAttempts = 0;
    failingSince = null;
    lastProblem = null;
    lastOutcome = DeliveryState.DELIVERED;
    lastDelivered = now;
  }

  void failed(DeliveryState state, String problem, Instant now) {
    failedAttempts++;
    if (failingSince == null) {
      failingSince = now;
    }
    lastProblem = problem;
    lastOutcome = state;
  }

  void waitUntil(ScheduledFuture<?> future, Instant at) {
    wakeup = future;
    nextAttempt = at;
  }

  void woke() {
    wakeup = null;
    nextAttempt = null;
  }

  /** Stops waiting, so the next step may attempt at once. */
  void cancelWait() {
    if (wakeup != null) {
      wakeup.cancel(false);
    }
    woke();
  }

  /** Stops everything under way: the queue is no longer used. */
  void cancel() {
    cancelWait();
    if (inFlight != null) {
      inFlight.cancel();
      inFlight = null;
    }
  }

  ReceiverHealth health() {
    return new ReceiverHealth(
        pending.size(),
        failedAttempts,
        failingSince,
        lastProblem,
        lastOutcome,
        lastDelivered,
        nextAttempt);
  }

  /**
   * A digest of where the receiver's notifications go: compared to notice a changed Secret, never
   * shown anywhere.
   */
  private static byte[] address(ReceiverTarget target) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(target.url().toString().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      if (target.routingKey() != null) {
        digest.update(target.routingKey().getBytes(StandardCharsets.UTF_8));
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
