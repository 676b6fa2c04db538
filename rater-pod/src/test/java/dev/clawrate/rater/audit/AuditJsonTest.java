package dev.clawrate.rater.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuditJsonTest {

  @Test
  void aRecordIsOneLineWithAbsentFieldsLeftOut() {
    byte[] input = "{\"a\":\n  [1, 2],\r\n \"b\":\"x\\ny\"}".getBytes(StandardCharsets.UTF_8);
    AuditRecord record =
        new AuditRecord(
            0,
            "id-1",
            "stable",
            7L,
            "acme",
            "scorer",
            "sha256:00",
            200,
            "fallback",
            null,
            "refer",
            new AuditRecord.Fallback("model_trap", "decision", null, null),
            1_500_000,
            input);
    String line = AuditJson.line(record);
    assertFalse(line.contains("\n") || line.contains("\r"), line);
    assertEquals(
        "{\"time\":\"1970-01-01T00:00:00Z\",\"requestId\":\"id-1\",\"track\":\"stable\","
            + "\"revision\":7,\"tenant\":\"acme\",\"model\":\"scorer\",\"digest\":\"sha256:00\","
            + "\"status\":200,\"outcome\":\"fallback\",\"decision\":\"refer\","
            + "\"fallback\":{\"reason\":\"model_trap\",\"answer\":\"decision\"},"
            + "\"latencyMs\":1.5,\"input\":{\"a\":[1,2],\"b\":\"x\\ny\"}}",
        line);
  }
}
