package dev.clawrate.rater.metrics;

/**
 * Metric names of design contract 4, as registered with micrometer (dots become underscores and
 * units are appended in the Prometheus exposition: {@code clawrate.rate.requests} is scraped as
 * {@code clawrate_rate_requests_seconds_bucket|count|sum}). Canary analysis, tenant SLO alerts,
 * dashboards and k6 thresholds all read these.
 */
public final class MetricNames {

  /**
   * Timer: every rating request, by tenant, model, track and outcome (the API's error code, or
   * {@code ok}, {@code fallback}). No digest: a series per digest would grow with every rollout;
   * {@link #MODEL_INFO} tells which digest a model runs.
   */
  public static final String RATE_REQUESTS = "clawrate.rate.requests";

  /** Distribution of the ratings a model returns, by tenant, model and track (drift). */
  public static final String RATING_VALUE = "clawrate.rating.value";

  /** Counter: decisions by tenant, model, track and decision. */
  public static final String RATE_DECISIONS = "clawrate.rate.decisions";

  /**
   * Counter: answers a tenant's fallback gave in place of its failed model, by tenant, model (the
   * tenant's, which failed), track, reason and answer ({@code fallback_model}, {@code decision}).
   * Their requests count as outcome {@code fallback}, not as errors: this is what shows them.
   */
  public static final String RATE_FALLBACKS = "clawrate.rate.fallbacks";

  /**
   * Counter: samples a tenant's shadow evaluated, by tenant, model (the tenant's live model) and
   * result ({@code agree}, {@code flip}: both rated, with the same or another decision; {@code
   * candidate_error}: the live model rated, the candidate did not). Samples the live model did not
   * rate are not compared. The canary's shadow phase reads the flip and error rates from it.
   */
  public static final String SHADOW_COMPARISONS = "clawrate.shadow.comparisons";

  /**
   * Distribution of |candidate - live| rating over the samples both rated, by tenant and model (the
   * tenant's live model).
   */
  public static final String SHADOW_RATING_DELTA = "clawrate.shadow.rating.delta";

  /**
   * Distribution of the ratings of the samples both rated, by tenant, model (the tenant's live
   * model) and version ({@code live}, {@code candidate}), in the buckets of {@link #RATING_VALUE}:
   * the two versions on identical inputs, for a population stability index.
   */
  public static final String SHADOW_RATING_VALUE = "clawrate.shadow.rating.value";

  /**
   * Counter: sampled requests a shadow did not evaluate, by tenant, model (the tenant's live model)
   * and reason ({@code queue_full}: every shadow thread busy and the queue full).
   */
  public static final String SHADOW_SKIPPED = "clawrate.shadow.skipped";

  /**
   * Gauge: 1 while a tenant's shadow is evaluated, 0 while the live snapshot names a shadow this
   * rater could not load (its module missing, invalid or over the rater's memory cap; the reason is
   * in {@code /v1/models} and the log), by tenant and model (the tenant's live model). Absent when
   * the tenant has no shadow.
   */
  public static final String SHADOW_ACTIVE = "clawrate.shadow.active";

  /** Gauge: the live snapshot's revision, by track. */
  public static final String CONFIG_REVISION = "clawrate.config.revision";

  /** Counter: snapshot reload attempts by track and outcome (accepted, rejected). */
  public static final String CONFIG_RELOADS = "clawrate.config.reloads";

  /** Gauge: 1 when the last reload was accepted, 0 when rejected (the last good one serves). */
  public static final String CONFIG_LAST_RELOAD_OK = "clawrate.config.last.reload.ok";

  /**
   * Gauge: 1 for each model of the live snapshot, by model, digest and track. A model's series is
   * replaced when its digest changes and removed when the model leaves: join on {@code model} to
   * see which digest served a tenant's requests.
   */
  public static final String MODEL_INFO = "clawrate.model.info";

  /**
   * Counters: model instances made, and thrown away after a trap or timeout, by model and track.
   * (Not "instances.created": Prometheus reserves the {@code _created} suffix.)
   */
  public static final String MODEL_INSTANTIATIONS = "clawrate.model.instantiations";

  public static final String MODEL_INSTANCES_DISCARDED = "clawrate.model.instances.discarded";

  /**
   * Gauge: functions of a model's compiled code that Chicory's compiler could not translate (too
   * large for one JVM method) and that run in the interpreter, many times slower; 0 while the model
   * is still interpreted as a whole at start.
   */
  public static final String MODEL_INTERPRETED_FUNCTIONS = "clawrate.model.interpreted.functions";

  /**
   * Counter: model instances dropped while idle (past the idle time, for their memory, or with a
   * model that left), by model and track.
   */
  public static final String MODEL_INSTANCES_EVICTED = "clawrate.model.instances.evicted";

  /** Gauges, in bytes: linear memory all model instances hold, and the most they may hold. */
  public static final String MODEL_MEMORY_USED = "clawrate.model.memory.used";

  public static final String MODEL_MEMORY_BUDGET = "clawrate.model.memory.budget";

  /** Counter: model calls answered overloaded because the memory budget had no room. */
  public static final String MODEL_MEMORY_REFUSALS = "clawrate.model.memory.refusals";

  /**
   * Counter: writes of the rater's heartbeat Lease by outcome ({@code created}, {@code updated},
   * {@code renewed}, {@code deleted}, {@code failed}).
   */
  public static final String HEARTBEAT_WRITES = "clawrate.heartbeat.writes";

  /**
   * Counter: answers the decision log recorded or could not, by result ({@code written}; {@code
   * dropped}: its queue was full; {@code failed}: the write failed).
   */
  public static final String AUDIT_RECORDS = "clawrate.audit.records";

  public static final String TAG_TENANT = "tenant";
  public static final String TAG_MODEL = "model";
  public static final String TAG_DIGEST = "digest";
  public static final String TAG_TRACK = "track";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_DECISION = "decision";
  public static final String TAG_REASON = "reason";
  public static final String TAG_ANSWER = "answer";
  public static final String TAG_RESULT = "result";
  public static final String TAG_VERSION = "version";

  /** Tenant label for requests naming no known tenant: keeps label cardinality bounded. */
  public static final String UNKNOWN_TENANT = "_unknown";

  private MetricNames() {}
}
