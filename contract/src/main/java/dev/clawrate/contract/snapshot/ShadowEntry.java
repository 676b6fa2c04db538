package dev.clawrate.contract.snapshot;

import java.util.List;

/**
 * A candidate evaluated beside a tenant's live model on a sample of its requests, off the response
 * path (the canary's shadow phase): how its answers would differ, measured before any traffic moves
 * to it.
 *
 * @param sampleRate the share of the tenant's rated requests the candidate also rates, above 0 and
 *     at most 1
 * @param model the candidate model version: its module (by digest), entry point and limits
 * @param tenant the candidate tenant entry: its threshold and parameters rate the sample; its
 *     {@code model} is the candidate's model name, a label only. API keys and a fallback are not
 *     kept: a shadow answers no caller.
 */
public record ShadowEntry(double sampleRate, ModelEntry model, TenantEntry tenant) {

  public ShadowEntry {
    if (!isSampleRate(sampleRate)) {
      throw new IllegalArgumentException("a shadow's sample rate must be above 0 and at most 1");
    }
    tenant = new TenantEntry(tenant.model(), tenant.threshold(), tenant.parameters(), List.of());
  }

  public static boolean isSampleRate(double rate) {
    return rate > 0 && rate <= 1;
  }
}
