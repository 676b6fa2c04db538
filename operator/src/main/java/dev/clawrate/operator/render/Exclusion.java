package dev.clawrate.operator.render;

/**
 * Why a resource is not in a snapshot as its spec says.
 *
 * @param reason a CamelCase reason for conditions, e.g. {@code NameClaimed}
 * @param message what to fix, naming nothing of another namespace
 * @param carriedOver true when the resource's previous entry is still served instead
 */
public record Exclusion(String reason, String message, boolean carriedOver) {

  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String NOT_VALIDATED = "NotValidated";
  public static final String NAME_CLAIMED = "NameClaimed";
  public static final String DUPLICATE_TENANT_ID = "DuplicateTenantId";
  public static final String INVALID_TENANT_ID = "InvalidTenantId";
  public static final String INVALID_THRESHOLD = "InvalidThreshold";
  public static final String INVALID_PARAMETERS = "InvalidParameters";
  public static final String MODEL_NOT_FOUND = "ModelNotFound";
  public static final String MODEL_NOT_PUBLISHED = "ModelNotPublished";
  public static final String MODULE_MISSING = "ModuleMissing";
  public static final String INVALID_REGIONS = "InvalidRegions";
  public static final String INVALID_FALLBACK = "InvalidFallback";

  public static Exclusion of(String reason, String message) {
    return new Exclusion(reason, message, false);
  }

  private static final String STILL_SERVED = "; the previous configuration is still served";

  /** This exclusion, noting that the previous entry keeps being served. */
  public Exclusion carried() {
    return carriedOver ? this : new Exclusion(reason, message + STILL_SERVED, true);
  }

  /** This exclusion where the previous entry is not served after all. */
  public Exclusion notCarried() {
    return carriedOver
        ? new Exclusion(
            reason, message.substring(0, message.length() - STILL_SERVED.length()), false)
        : this;
  }
}
