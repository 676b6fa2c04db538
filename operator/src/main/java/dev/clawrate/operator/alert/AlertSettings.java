package dev.clawrate.operator.alert;

import java.net.URI;
import java.time.Duration;

/**
 * How the operator evaluates SLOs and notifies receivers.
 *
 * @param interval time between SLO evaluations; every burn-rate window must be at least this long
 * @param pagerDuty where PagerDuty events go (the Events API v2 enqueue URL)
 * @param plainHttpReceivers whether Slack and webhook receivers may be plain {@code http} URLs (the
 *     local run's demo receiver); off in production, where the URL is the credential
 */
public record AlertSettings(Duration interval, URI pagerDuty, boolean plainHttpReceivers) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  public static AlertSettings defaults() {
    return new AlertSettings(
        DEFAULT_INTERVAL, URI.create(ReceiverResolver.PAGERDUTY_EVENTS), false);
  }

  public AlertSettings {
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("the SLO evaluation interval must be at least 100ms");
    }
  }
}
