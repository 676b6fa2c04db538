package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RaterQueriesTest {

  @Test
  void quotesPromqlStrings() {
    assertEquals("\"plain\"", RaterQueries.string("plain"));
    assertEquals("\"a\\\"b\\\\c\\nd\"", RaterQueries.string("a\"b\\c\nd"));
  }

  @Test
  void matchesExactlyTheTenantsWithTheirDotsEscaped() {
    assertEquals("a\\.b|c|d-e", RaterQueries.tenantRegex(Set.of("d-e", "a.b", "c")));
    // In the query, the regex's backslash is itself escaped.
    assertEquals(
        "\"a\\\\.b|c\"", RaterQueries.string(RaterQueries.tenantRegex(Set.of("a.b", "c"))));
  }

  @Test
  void writesTheEvaluationInstantInSecondsWithMilliseconds() {
    assertEquals(
        "1700000000.005",
        PrometheusMetricsSource.time(Instant.ofEpochSecond(1_700_000_000, 5_900_000)));
  }
}
