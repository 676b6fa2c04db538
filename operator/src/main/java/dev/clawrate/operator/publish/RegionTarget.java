package dev.clawrate.operator.publish;

/**
 * One region the operator publishes to: a name and the writers for its rater namespace.
 *
 * @param name the region's name ({@code local} for the operator's own cluster)
 */
public record RegionTarget(
    String name, SnapshotPublisher publisher, ModuleGarbageCollector garbageCollector) {}
