package dev.clawrate.operator.api;

/**
 * Names shared by the custom resources, the reconcilers and the tests: the API group and version,
 * and the condition types written to {@code status.conditions}.
 */
public final class ClawrateApi {

  /** API group of every clawrate custom resource. */
  public static final String GROUP = "clawrate.dev";

  /** The one served and stored version. */
  public static final String VERSION = "v1alpha1";

  /** {@code group/version}, as it appears in {@code apiVersion}. */
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Condition: every live rater in every region it targets serves the resource as published. */
  public static final String READY = "Ready";

  /** Condition: the model's module was fetched and passed validation by the rating engine. */
  public static final String VALIDATED = "Validated";

  /** Condition: the tenant's {@code modelRef} names a RatingModel that exists and validated. */
  public static final String MODEL_RESOLVED = "ModelResolved";

  /** Condition: a change is being rolled out and not yet live everywhere. */
  public static final String PROGRESSING = "Progressing";

  /** Condition: something is wrong; the last good configuration keeps being served. */
  public static final String DEGRADED = "Degraded";

  /**
   * Condition: the resource's namespace holds the tenant id or model name it publishes under; False
   * when another namespace claimed it first.
   */
  public static final String CLAIMED = "Claimed";

  /** Condition: the model is being deleted and waits for the tenants that still use it. */
  public static final String DELETING = "Deleting";

  /** Finalizer that keeps a RatingModel published while tenants of its namespace use it. */
  public static final String IN_USE_FINALIZER = "clawrate.dev/in-use";

  /** Condition: the gateway accepted the route at the weights the release last set. */
  public static final String TRAFFIC_ACCEPTED = "TrafficAccepted";

  /** Condition: another CanaryRelease already governs the same target; this one does nothing. */
  public static final String CONFLICT = "Conflict";

  /**
   * Condition of a TenantConfig: its SLO can be evaluated and every receiver takes its
   * notifications.
   */
  public static final String ALERTS_READY = "AlertsReady";

  /**
   * Annotation on a CanaryRelease: promote the release of the config it names (the value of {@code
   * status.canary.config}) at once, skipping the remaining steps. Naming the config keeps a
   * forgotten annotation from promoting the next release.
   */
  public static final String PROMOTE_ANNOTATION = "clawrate.dev/promote";

  /** Annotation on a CanaryRelease: abort the release of the config it names, as a failure. */
  public static final String ABORT_ANNOTATION = "clawrate.dev/abort";

  /**
   * A Go-style duration, as Kubernetes users write them: {@code 30s}, {@code 5m}, {@code 1h30m}.
   */
  public static final String DURATION = "^([0-9]{1,6}(ms|s|m|h))+$";

  private ClawrateApi() {}
}
