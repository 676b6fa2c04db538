package dev.clawrate.contract.snapshot;

import dev.clawrate.contract.engine.ModelLimits;

/**
 * One model in a snapshot.
 *
 * @param digest {@code sha256:<hex>} of the module; the module is found by it
 * @param entrypoint exported function called to rate
 * @param limits limits the model runs under
 */
public record ModelEntry(String digest, String entrypoint, ModelLimits limits) {}
