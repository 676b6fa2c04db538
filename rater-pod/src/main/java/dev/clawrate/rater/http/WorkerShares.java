package dev.clawrate.rater.http;

/**
 * How the worker threads are shared out (see {@link Bulkhead}).
 *
 * @param modelPercent the percentage of the workers one model may hold at once (at least one)
 * @param tenantPercent the percentage of the workers one tenant may hold at once (at least one)
 * @param queue requests that may wait for a worker, per model and per tenant
 * @param maxWaitMillis how long a request waits for a worker before it is answered overloaded
 */
public record WorkerShares(int modelPercent, int tenantPercent, int queue, int maxWaitMillis) {

  public static final int DEFAULT_MODEL_PERCENT = 50;
  public static final int DEFAULT_TENANT_PERCENT = 25;
  public static final int DEFAULT_QUEUE = 128;
  public static final int DEFAULT_MAX_WAIT_MILLIS = 500;

  Bulkhead.Shares of(int workers) {
    return Bulkhead.Shares.of(workers, modelPercent, tenantPercent, queue);
  }
}
