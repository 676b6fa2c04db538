package dev.clawrate.operator;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives java-operator-sdk's meters a HELP text: the library registers them without a description,
 * and Prometheus tooling (and people) read an empty HELP as an undocumented metric. Only the
 * library's meters: clawrate's own carry their descriptions where they are registered.
 */
final class OperatorSdkMeterDescriptions implements MeterFilter {

  private static final String PREFIX = "operator.sdk.";

  @Override
  public Meter.Id map(Meter.Id id) {
    String description = id.getDescription();
    if (!id.getName().startsWith(PREFIX) || (description != null && !description.isBlank())) {
      return id;
    }
    return new Meter.Id(
        id.getName(),
        Tags.of(id.getTagsAsIterable()),
        id.getBaseUnit(),
        "java-operator-sdk: " + id.getName().substring(PREFIX.length()).replace('.', ' '),
        id.getType());
  }
}
