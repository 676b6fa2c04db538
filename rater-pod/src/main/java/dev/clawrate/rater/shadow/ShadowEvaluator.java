package dev.clawrate.rater.shadow;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.Decision;
import dev.clawrate.rater.rating.Rater;
import dev.clawrate.rater.rating.Rating;
import dev.clawrate.rater.rating.RatingException;
import dev.clawrate.rater.rating.TenantRoute;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates shadows' candidates on a sample of live requests, off the response path. The request
 * thread only draws a random number and, for a sampled request, copies the body into a bounded
 * queue without blocking or waking anyone (see {@link BoundedQueue}). A few daemon threads take the
 * samples, rate each copy with the candidate and record how it compares; an idle one looks at the
 * queue again every {@link #IDLE_NANOS}, all the delay a sample sees before a free thread takes it.
 * A full queue skips the sample (and counts it) instead of making the request wait, and a sample
 * whose shadow left the live snapshot meanwhile is dropped unevaluated.
 */
public final class ShadowEvaluator implements AutoCloseable {

  /** How long an idle shadow thread sleeps before it looks at the queue again. */
  static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final Logger LOG = LoggerFactory.getLogger(ShadowEvaluator.class);

  private final BoundedQueue<Sample> queue;
  private final ShadowRecorder recorder;
  private final Predicate<ShadowRoute> live;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param threads threads evaluating samples; each call holds one for its whole duration
   * @param queue samples waiting for a thread at most
   * @param live whether a route is still its tenant's shadow in the live snapshot
   */
  public ShadowEvaluator(
      int threads, int queue, ShadowRecorder recorder, Predicate<ShadowRoute> live) {
    this.queue = new BoundedQueue<>(queue);
    this.recorder = recorder;
    this.live = live;
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(this::work, "clawrate-shadow-" + i);
      thread.setDaemon(true);
      // A hint where the platform honours it: serving comes first.
      thread.setPriority(Thread.MIN_PRIORITY);
      this.threads.add(thread);
    }
    this.threads.forEach(Thread::start);
  }

  /**
   * Called after the live model rated a request of a tenant with a shadow: samples it at the
   * shadow's rate and queues a copy of the body for the shadow threads. Never blocks and never
   * throws.
   *
   * @param body the request body the live model rated, of which the first {@code length} bytes are
   *     copied; the caller may reuse the array afterwards
   * @param live the live model's rating
   */
  public void offer(ShadowRoute route, byte[] body, int length, Rating live) {
    if (closed || !route.sampled(ThreadLocalRandom.current().nextDouble())) {
      return;
    }
    Sample sample = new Sample(route, Arrays.copyOf(body, length), live.value(), live.decision());
    if (!queue.offer(sample)) {
      recorder.queueFull(route);
    }
  }

  /** One sampled request, waiting for a shadow thread. */
  private record Sample(ShadowRoute route, byte[] body, double liveRating, Decision liveDecision) {}

  private void work() {
    while (!closed) {
      Sample sample = queue.poll();
      if (sample == null) {
        LockSupport.parkNanos(IDLE_NANOS);
      } else if (live.test(sample.route())) {
        compare(sample);
      }
    }
  }

  private void compare(Sample sample) {
    ShadowRoute route = sample.route();
    try {
      CandidateAnswer answer = evaluate(route.candidate(), sample.body());
      recorder.compared(
          route, ShadowComparison.compare(sample.liveRating(), sample.liveDecision(), answer));
    } catch (RuntimeException e) {
      // A shadow must never take a thread down with it; its type only, as the message may quote
      // the model's output.
      LOG.atWarn()
          .addKeyValue("tenant", route.tenant())
          .addKeyValue("digest", route.digest())
          .addKeyValue("error", e.getClass().getSimpleName())
          .log("shadow evaluation failed unexpectedly");
    }
  }

  /**
   * Rates the body on the candidate's route, as the rating API would have had it been live, under
   * the candidate's own input limit.
   */
  static CandidateAnswer evaluate(TenantRoute candidate, byte[] body) {
    if (body.length > candidate.maxInputBytes()) {
      return new CandidateAnswer.Failed(Outcome.PAYLOAD_TOO_LARGE);
    }
    try {
      // A route without a fallback answers with its own model's rating or not at all.
      Rating rating = (Rating) Rater.rate(candidate, body, body.length);
      return new CandidateAnswer.Rated(rating.value(), rating.decision());
    } catch (RatingException e) {
      return new CandidateAnswer.Failed(e.outcome());
    }
  }

  /**
   * Stops the threads: samples still queued are dropped, and a call in progress is interrupted (its
   * model stops at its next loop or call, as when it runs out of time).
   */
  @Override
  public void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
  }
}
