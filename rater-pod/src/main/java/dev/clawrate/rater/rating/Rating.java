package dev.clawrate.rater.rating;

/**
 * A rating by the tenant's own model.
 *
 * @param route the tenant's route it was rated on (model, digest, track)
 * @param value the model's rating
 * @param decision the tenant's decision for it
 * @param responseBody the complete JSON answer of the rating API
 */
public record Rating(TenantRoute route, double value, Decision decision, byte[] responseBody)
    implements Answer {}
