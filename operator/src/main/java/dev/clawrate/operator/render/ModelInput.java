package dev.clawrate.operator.render;

import dev.clawrate.contract.engine.ModelLimits;

/**
 * What the renderer needs of one RatingModel: its identity and the last version of it that
 * validated.
 *
 * @param digest the validated module's digest, or null while no version has validated
 * @param createdAt RFC 3339 creation time; the older of two same-named models wins
 * @param problem why the resource cannot be read at all (unknown field, wrong type), or null
 */
public record ModelInput(
    String namespace,
    String name,
    String digest,
    String entrypoint,
    ModelLimits limits,
    String createdAt,
    String problem) {}
