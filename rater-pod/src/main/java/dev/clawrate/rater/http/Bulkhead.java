package dev.clawrate.rater.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shares of the worker threads, so that one model or one tenant cannot take them all: a model may
 * hold at most {@link Shares#perModel()} workers at once and a tenant {@link Shares#perTenant()}. A
 * request that finds its share full may still borrow an idle worker while one tenant's share of
 * workers stays idle after it: a pod serving one busy tenant uses all its workers, and a tenant
 * arriving at a pod flooded by another still finds workers free. Otherwise it waits in a short
 * queue (at most {@link Shares#queue()} waiting per model and per tenant) for a worker its share
 * allows; beyond that it is refused. Pure: the caller bounds how long a ticket waits, by
 * withdrawing it.
 *
 * <p>One lock guards all counts: it is held for a few map updates, and only ratings that go to a
 * worker pass through it.
 */
final class Bulkhead {

  /** Which share was full. */
  enum Scope {
    MODEL,
    TENANT
  }

  /**
   * @param perModel workers one model may hold at once
   * @param perTenant workers one tenant may hold at once
   * @param queue requests that may wait per model and per tenant
   * @param workers all the workers, for borrowing; 0 when a share is a hard limit
   */
  record Shares(int perModel, int perTenant, int queue, int workers) {

    Shares {
      if (perModel < 1 || perTenant < 1 || queue < 0 || workers < 0) {
        throw new IllegalArgumentException(
            "shares must be at least 1 and the queue at least 0, got "
                + perModel
                + ", "
                + perTenant
                + ", "
                + queue);
      }
    }

    /** Hard shares: nothing is borrowed beyond them. */
    Shares(int perModel, int perTenant, int queue) {
      this(perModel, perTenant, queue, 0);
    }

    /**
     * Shares of {@code workers} threads given in percent, each at least one worker, that borrow
     * idle workers beyond them.
     */
    static Shares of(int workers, int modelPercent, int tenantPercent, int queue) {
      return new Shares(
          Math.max(1, workers * modelPercent / 100),
          Math.max(1, workers * tenantPercent / 100),
          queue,
          workers);
    }
  }

  /** What became of a request. */
  sealed interface Admission {}

  /** It may run now; the permit is to be released when it is done. */
  record Admitted(Permit permit) implements Admission {}

  /** It waits; the ticket's grant is called with a permit, unless it is withdrawn first. */
  record Queued(Ticket ticket) implements Admission {}

  /** Its share and the queue are full. */
  record Refused(Scope scope) implements Admission {}

  /** A place on the workers; released exactly once. */
  static final class Permit {
    private final String model;
    private final String tenant;
    private boolean released;

    private Permit(String model, String tenant) {
      this.model = model;
      this.tenant = tenant;
    }
  }

  /** A waiting request. */
  static final class Ticket {
    private final String model;
    private final String tenant;
    private final Scope blockedBy;
    private final Consumer<Permit> grant;

    private Ticket(String model, String tenant, Scope blockedBy, Consumer<Permit> grant) {
      this.model = model;
      this.tenant = tenant;
      this.blockedBy = blockedBy;
      this.grant = grant;
    }

    /** The share that was full when it started to wait. */
    Scope blockedBy() {
      return blockedBy;
    }
  }

  private final Shares shares;
  private final Map<String, Integer> runningByModel = new HashMap<>();
  private final Map<String, Integer> runningByTenant = new HashMap<>();
  private final Map<String, Integer> waitingByModel = new HashMap<>();
  private final Map<String, Integer> waitingByTenant = new HashMap<>();
  private final LinkedHashSet<Ticket> waiting = new LinkedHashSet<>();
  private int running;

  Bulkhead(Shares shares) {
    this.shares = shares;
  }

  Shares shares() {
    return shares;
  }

  /**
   * Admits a request of {@code tenant} for {@code model}, queues it, or refuses it.
   *
   * @param grant called, on the thread that releases a permit, when a queued request is admitted
   */
  synchronized Admission admit(String model, String tenant, Consumer<Permit> grant) {
    Scope full = fullScope(model, tenant);
    if (full == null) {
      return new Admitted(take(model, tenant));
    }
    if (count(waitingByModel, model) >= shares.queue()
        || count(waitingByTenant, tenant) >= shares.queue()) {
      return new Refused(full);
    }
    Ticket ticket = new Ticket(model, tenant, full, grant);
    waiting.add(ticket);
    add(waitingByModel, model, 1);
    add(waitingByTenant, tenant, 1);
    return new Queued(ticket);
  }

  /** Admits a request now, or returns null without queueing it. */
  synchronized Permit tryAdmit(String model, String tenant) {
    return fullScope(model, tenant) == null ? take(model, tenant) : null;
  }

  /**
   * Takes a ticket out of the queue.
   *
   * @return false when it was granted already (its grant has been or is being called)
   */
  synchronized boolean withdraw(Ticket ticket) {
    if (!waiting.remove(ticket)) {
      return false;
    }
    add(waitingByModel, ticket.model, -1);
    add(waitingByTenant, ticket.tenant, -1);
    return true;
  }

  /** Gives a permit back and admits the waiting requests that now fit, oldest first. */
  void release(Permit permit) {
    List<Ticket> granted = new ArrayList<>();
    List<Permit> permits = new ArrayList<>();
    synchronized (this) {
      if (permit.released) {
        return;
      }
      permit.released = true;
      running--;
      add(runningByModel, permit.model, -1);
      add(runningByTenant, permit.tenant, -1);
      for (Iterator<Ticket> it = waiting.iterator(); it.hasNext(); ) {
        Ticket ticket = it.next();
        if (fullScope(ticket.model, ticket.tenant) == null) {
          it.remove();
          add(waitingByModel, ticket.model, -1);
          add(waitingByTenant, ticket.tenant, -1);
          granted.add(ticket);
          permits.add(take(ticket.model, ticket.tenant));
        }
      }
    }
    // Outside the lock: a grant dispatches work, which must not hold up other releases.
    for (int i = 0; i < granted.size(); i++) {
      try {
        granted.get(i).grant.accept(permits.get(i));
      } catch (RuntimeException e) {
        // The grant could not hand the request on (the server is stopping): nothing will ever
        // release its worker but this.
        release(permits.get(i));
      }
    }
  }

  /** Workers held by a model now. */
  synchronized int running(String model) {
    return count(runningByModel, model);
  }

  /** Requests waiting in the queue now. */
  synchronized int waiting() {
    return waiting.size();
  }

  private Scope fullScope(String model, String tenant) {
    Scope full = null;
    if (count(runningByTenant, tenant) >= shares.perTenant()) {
      full = Scope.TENANT;
    } else if (count(runningByModel, model) >= shares.perModel()) {
      full = Scope.MODEL;
    }
    return full != null && canBorrow() ? null : full;
  }

  private boolean canBorrow() {
    return shares.workers() - running > shares.perTenant();
  }

  private Permit take(String model, String tenant) {
    running++;
    add(runningByModel, model, 1);
    add(runningByTenant, tenant, 1);
    return new Permit(model, tenant);
  }

  private static int count(Map<String, Integer> counts, String key) {
    return counts.getOrDefault(key, 0);
  }

  // Keys at zero are removed, so models and tenants that leave leave nothing behind.
  private static void add(Map<String, Integer> counts, String key, int delta) {
    counts.merge(key, delta, (a, b) -> a + b == 0 ? null : a + b);
  }
}
