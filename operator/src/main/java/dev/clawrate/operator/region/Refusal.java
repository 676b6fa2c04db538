package dev.clawrate.operator.region;

/**
 * Why a region Secret cannot be used, thrown from deep in the checks so each check reads straight.
 * The message must already be safe to publish.
 */
final class Refusal extends Exception {

  private final String reason;

  Refusal(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  RegionSecret.Invalid invalid(String region) {
    return new RegionSecret.Invalid(region, reason, getMessage());
  }
}
