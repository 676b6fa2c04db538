package dev.clawrate.rater.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.contract.testing.Await;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuditLogTest {

  /** Counts in plain integers. */
  private static final class Counts implements AuditRecorder {
    final AtomicInteger written = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();

    @Override
    public void written() {
      written.incrementAndGet();
    }

    @Override
    public void dropped() {
      dropped.incrementAndGet();
    }

    @Override
    public void failed() {
      failed.incrementAndGet();
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting() {
    Counts counts = new Counts();
    // Its writer is never started: nothing leaves the queue of 2.
    AuditLog log =
        new AuditLog(
            new AuditSettings(Path.of("unused"), 1, Set.of(), 2),
            counts,
            "stable",
            new StringWriter());
    for (int i = 0; i < 5; i++) {
      log.failed("r" + i, null, null, 404, "unknown_tenant", 1_000);
    }
    assertEquals(3, counts.dropped.get());
    assertEquals(0, counts.written.get());
  }

  @Test
  void recordsAreAppendedAsJsonLinesAndCounted() throws IOException {
    Path file = Files.createTempDirectory("audit-log-").resolve("d.jsonl");
    Files.writeString(file, "{\"kept\":true}\n");
    Counts counts = new Counts();
    try (AuditLog log =
        AuditLog.open(new AuditSettings(file, 1, Set.of(), 100), counts, "canary")) {
      for (int i = 0; i < 10; i++) {
        log.failed("r" + i, null, null, 503, "no_config", 2_000_000);
      }
      Await.until("10 records are written", () -> counts.written.get() == 10);
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(11, lines.size(), "appended after what the file held");
    var record = new ObjectMapper().readTree(lines.get(10));
    assertEquals("r9", record.get("requestId").asText());
    assertEquals("canary", record.get("track").asText());
    assertEquals(503, record.get("status").asInt());
    assertEquals("no_config", record.get("outcome").asText());
    assertEquals(2.0, record.get("latencyMs").asDouble());
    assertTrue(!record.has("revision") && !record.has("tenant"), record.toString());
    assertEquals(0, counts.dropped.get() + counts.failed.get());
  }

  @Test
  void aSampleRateOfZeroRecordsNothingAndAnOffLogOpensNoFile() throws IOException {
    Path file = Files.createTempDirectory("audit-off-").resolve("d.jsonl");
    Counts counts = new Counts();
    try (AuditLog log = AuditLog.open(new AuditSettings(file, 0, Set.of(), 10), counts, "stable")) {
      log.failed("r", null, null, 400, "bad_request", 1);
    }
    assertTrue(Files.notExists(file));
    assertEquals(0, counts.written.get() + counts.dropped.get());
  }
}
