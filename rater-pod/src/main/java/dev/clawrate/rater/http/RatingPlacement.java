package dev.clawrate.rater.http;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.OverNetworkBudgetException;
import dev.clawrate.rater.rating.TenantRoute;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * Chooses the thread a rating runs on: the network thread that read it, when the policy and the
 * {@link NetworkThreadGate} allow, or a worker thread within the model's and the tenant's {@link
 * Bulkhead} shares. A request whose share is full waits at most {@code maxWaitMillis} for a worker;
 * then, or when the queue is full too, it is answered as overloaded (by its fallback when its
 * model's share was the full one, see {@link Work#overloaded}).
 *
 * <p>A queued request's grant and its time-out both run on the request's own network thread, so
 * they never race with the handler that parked it, nor with each other.
 */
final class RatingPlacement {

  /** One request's rating, performed and answered by the handler. */
  interface Work {
    /**
     * Rates and answers on the current thread.
     *
     * @param boundMillis the time limit of every model call, as {@code Rater.rate} takes it
     * @return the outcome answered
     * @throws OverNetworkBudgetException when a call ran past {@code boundMillis}; nothing was
     *     answered
     */
    Outcome rate(int boundMillis);

    /**
     * Answers a request that got no worker: by the tenant's fallback when {@code callFallbackModel}
     * or a fixed decision allows, otherwise {@link Outcome#OVERLOADED}.
     */
    void overloaded(String message, boolean callFallbackModel);
  }

  private static final Runnable PARKED = () -> {};

  private final NetworkThreadPolicy policy;
  private final NetworkThreadGate gate;
  private final Bulkhead bulkhead;
  private final long maxWaitMillis;
  private volatile LoadedSnapshot pruned;

  RatingPlacement(
      NetworkThreadPolicy policy, NetworkThreadGate gate, Bulkhead bulkhead, long maxWaitMillis) {
    this.policy = policy;
    this.gate = gate;
    this.bulkhead = bulkhead;
    this.maxWaitMillis = maxWaitMillis;
  }

  NetworkThreadGate gate() {
    return gate;
  }

  /**
   * @param inputBytes the request body's size as the model will see it, or its largest possible
   *     size when that is not known yet (a compressed body)
   */
  void place(
      HttpServerExchange exchange,
      LoadedSnapshot snapshot,
      TenantRoute route,
      int inputBytes,
      Work work) {
    forgetModelsLeaving(snapshot);
    if (exchange.isInIoThread()) {
      if (policy == NetworkThreadPolicy.ALWAYS) {
        work.rate(Integer.MAX_VALUE);
        return;
      }
      if (policy == NetworkThreadPolicy.AUTO && ratedOnNetworkThread(route, inputBytes, work)) {
        return;
      }
    }
    onWorker(exchange, route, inputBytes, work);
  }

  private boolean ratedOnNetworkThread(TenantRoute route, int inputBytes, Work work) {
    NetworkThreadGate.Pass pass =
        gate.tryEnter(route.runtime(), route.isQuick(), inputBytes, System.nanoTime());
    if (pass == null) {
      return false;
    }
    long start = System.nanoTime();
    boolean failed = true;
    boolean stopped = false;
    try {
      failed = modelFailed(work.rate(gate.settings().boundMillis()));
      return true;
    } catch (OverNetworkBudgetException e) {
      failed = false;
      stopped = true;
      return false;
    } finally {
      long end = System.nanoTime();
      gate.leave(pass, inputBytes, end - start, failed, stopped, end);
    }
  }

  private void onWorker(HttpServerExchange exchange, TenantRoute route, int inputBytes, Work work) {
    XnioExecutor.Key[] timeout = new XnioExecutor.Key[1];
    Bulkhead.Admission admission =
        bulkhead.admit(
            route.model(),
            route.tenant(),
            permit ->
                exchange
                    .getIoThread()
                    .execute(
                        () -> {
                          if (timeout[0] != null) {
                            timeout[0].remove();
                          }
                          exchange.dispatch(() -> runOnWorker(permit, route, inputBytes, work));
                        }));
    if (admission instanceof Bulkhead.Admitted admitted) {
      exchange.dispatch(() -> runOnWorker(admitted.permit(), route, inputBytes, work));
    } else if (admission instanceof Bulkhead.Queued queued) {
      // Nothing may end the exchange when the handler returns: the grant or the time-out answers
      // it. Both run on this network thread, after the handler has returned.
      exchange.dispatch(SameThreadExecutor.INSTANCE, PARKED);
      timeout[0] =
          exchange
              .getIoThread()
              .executeAfter(
                  () -> {
                    if (bulkhead.withdraw(queued.ticket())) {
                      overloaded(exchange, route, queued.ticket().blockedBy(), work);
                    }
                  },
                  maxWaitMillis,
                  TimeUnit.MILLISECONDS);
    } else {
      overloaded(exchange, route, ((Bulkhead.Refused) admission).scope(), work);
    }
  }

  private void runOnWorker(Bulkhead.Permit permit, TenantRoute route, int inputBytes, Work work) {
    long start = System.nanoTime();
    Outcome outcome = Outcome.INTERNAL_ERROR;
    try {
      outcome = work.rate(Integer.MAX_VALUE);
    } finally {
      bulkhead.release(permit);
      long end = System.nanoTime();
      gate.ranOnWorker(route.runtime(), inputBytes, end - start, modelFailed(outcome), end);
    }
  }

  /**
   * Only a model's full share lets its tenant's fallback stand in: a tenant over its own share is
   * the one flooding, and its fallback would only spread the flood to another model.
   */
  private void overloaded(
      HttpServerExchange exchange, TenantRoute route, Bulkhead.Scope scope, Work work) {
    if (scope == Bulkhead.Scope.TENANT) {
      work.overloaded(
          "tenant '"
              + route.tenant()
              + "' has all the worker threads its share allows; retry"
              + " shortly",
          false);
      return;
    }
    String message =
        "model '" + route.model() + "' has all the worker threads its share allows; retry shortly";
    String fallbackModel = route.fallbackModel();
    Bulkhead.Permit permit =
        fallbackModel == null ? null : bulkhead.tryAdmit(fallbackModel, route.tenant());
    if (permit == null) {
      work.overloaded(message, false);
      return;
    }
    exchange.dispatch(
        () -> {
          try {
            work.overloaded(message, true);
          } finally {
            bulkhead.release(permit);
          }
        });
  }

  private void forgetModelsLeaving(LoadedSnapshot snapshot) {
    if (snapshot != pruned) {
      pruned = snapshot;
      gate.retainOnly(new HashSet<>(snapshot.models().values()));
    }
  }

  /** Whether the tenant's model failed: its fallback answered, or the rater answered its error. */
  private static boolean modelFailed(Outcome outcome) {
    return outcome == Outcome.FALLBACK || outcome.isServerError();
  }
}
