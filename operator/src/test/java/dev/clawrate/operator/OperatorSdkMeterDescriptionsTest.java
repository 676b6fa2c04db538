package dev.clawrate.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.api.RatingModel;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OperatorSdkMeterDescriptionsTest {

  private static final Pattern HELP = Pattern.compile("^# HELP (\\S+)(?: (.*))?$");

  @Test
  void everyOperatorSdkFamilyGetsAHelpTextAndOwnDescriptionsStay() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new OperatorSdkMeterDescriptions());
    Counter.builder("clawrate.operator.example").description("Ours").register(registry);
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("ns").build());
    MicrometerMetrics metrics = MicrometerMetrics.withoutPerResourceMetrics(registry);
    metrics.failedReconciliation(model, new IllegalStateException("boom"), Map.of());
    metrics.finishedReconciliation(model, Map.of());

    String text = registry.scrape();
    List<String> empty = new ArrayList<>();
    int sdk = 0;
    for (String line : text.split("\n")) {
      Matcher help = HELP.matcher(line);
      if (help.matches()) {
        sdk += help.group(1).startsWith("operator_sdk_") ? 1 : 0;
        if (help.group(2) == null || help.group(2).isBlank()) {
          empty.add(help.group(1));
        }
      }
    }
    assertTrue(sdk >= 2, text);
    assertEquals(List.of(), empty, text);
    assertTrue(text.contains("# HELP clawrate_operator_example_total Ours"), text);
    assertTrue(
        text.contains("# HELP operator_sdk_reconciliations_failed_total java-operator-sdk: "),
        text);
  }
}
