package dev.clawrate.rater.shadow;

import dev.clawrate.rater.rating.Decision;
import dev.clawrate.rater.rating.Outcome;
import dev.clawrate.rater.rating.Rater;
import dev.clawrate.rater.rating.Rating;
import dev.clawrate.rater.rating.RatingException;
import dev.clawrate.rater.rating.TenantRoute;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates shadows' candidates on a sample of live requests, off the response path: the request
 * thread only draws a random number and, for a sampled request, copies the body and enqueues it. A
 * bounded pool of daemon threads rates the copy with the candidate and records how it compares. A
 * full queue skips the sample (and counts it) instead of making the request wait, and a sample
 * whose shadow left the live snapshot meanwhile is dropped unevaluated.
 */
public final class ShadowEvaluator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowEvaluator.class);

  private final ThreadPoolExecutor executor;
  private final ShadowRecorder recorder;
  private final Predicate<ShadowRoute> live;

  /**
   * @param threads threads evaluating samples; each call holds one for its whole duration
   * @param queue samples waiting for a thread at most
   * @param live whether a route is still its tenant's shadow in the live snapshot
   */
  public ShadowEvaluator(
      int threads, int queue, ShadowRecorder recorder, Predicate<ShadowRoute> live) {
    this.recorder = recorder;
    this.live = live;
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queue),
            runnable -> {
              Thread thread = new Thread(runnable, "clawrate-shadow");
              thread.setDaemon(true);
              // A hint where the platform honours it: serving comes first.
              thread.setPriority(Thread.MIN_PRIORITY);
              return thread;
            },
            (task, pool) -> {
              // Rejected after close() too, when nothing is to be counted any more.
              if (!pool.isShutdown()) {
                recorder.queueFull(((Sample) task).route());
              }
            });
    // Started now, not by the first sampled request, which would pay for it.
    executor.prestartAllCoreThreads();
  }

  /**
   * Called after the live model rated a request of a tenant with a shadow: samples it at the
   * shadow's rate and hands a copy of the body to the shadow threads. Never blocks and never
   * throws.
   *
   * @param body the request body the live model rated, of which the first {@code length} bytes are
   *     copied; the caller may reuse the array afterwards
   * @param live the live model's rating
   */
  public void offer(ShadowRoute route, byte[] body, int length, Rating live) {
    if (!route.sampled(ThreadLocalRandom.current().nextDouble())) {
      return;
    }
    executor.execute(new Sample(route, Arrays.copyOf(body, length), live.value(), live.decision()));
  }

  /** One sampled request, waiting for a shadow thread. */
  private final class Sample implements Runnable {
    private final ShadowRoute route;
    private final byte[] body;
    private final double liveRating;
    private final Decision liveDecision;

    Sample(ShadowRoute route, byte[] body, double liveRating, Decision liveDecision) {
      this.route = route;
      this.body = body;
      this.liveRating = liveRating;
      this.liveDecision = liveDecision;
    }

    ShadowRoute route() {
      return route;
    }

    @Override
    public void run() {
      if (!live.test(route)) {
        return;
      }
      try {
        CandidateAnswer answer = evaluate(route.candidate(), body);
        recorder.compared(route, ShadowComparison.compare(liveRating, liveDecision, answer));
      } catch (RuntimeException e) {
        // A shadow must never take a thread down with it; its type only, as the message may
        // quote the model's output.
        LOG.atWarn()
            .addKeyValue("tenant", route.tenant())
            .addKeyValue("digest", route.digest())
            .addKeyValue("error", e.getClass().getSimpleName())
            .log("shadow evaluation failed unexpectedly");
      }
    }
  }

  /**
   * Rates the body on the candidate's route, as the rating API would have had it been live, under
   * the candidate's own input limit.
   */
  static CandidateAnswer evaluate(TenantRoute candidate, byte[] body) {
    if (body.length > candidate.maxInputBytes()) {
      return new CandidateAnswer.Failed(Outcome.TOO_LARGE);
    }
    try {
      // A route without a fallback answers with its own model's rating or not at all.
      Rating rating = (Rating) Rater.rate(candidate, body, body.length);
      return new CandidateAnswer.Rated(rating.value(), rating.decision());
    } catch (RatingException e) {
      return new CandidateAnswer.Failed(e.outcome());
    }
  }

  /** Stops the threads; samples still queued are dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
