package dev.clawrate.contract.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatCodecTest {

  private static final String DIGEST_A = "sha256:" + "a".repeat(64);
  private static final String DIGEST_B = "sha256:" + "b".repeat(64);

  @Test
  void aServingHeartbeatRoundTrips() throws Exception {
    Heartbeat heartbeat =
        new Heartbeat(
            "stable",
            42L,
            DIGEST_B,
            Map.of("scorer", DIGEST_A),
            false,
            new Heartbeat.Rejection(43, "module missing", Instant.parse("2026-11-29T10:00:00Z")));
    assertEquals(heartbeat, HeartbeatCodec.read(HeartbeatCodec.write(heartbeat)));
  }

  @Test
  void aRaterWithNothingLiveHasNoRevision() throws Exception {
    Heartbeat read =
        HeartbeatCodec.read(
            HeartbeatCodec.write(new Heartbeat("canary", null, null, Map.of(), false, null)));
    assertFalse(read.serving());
    assertNull(read.rejected());
    assertEquals("canary", read.track());
  }

  @Test
  void tooManyModelsAreLeftOutAndFlagged() throws Exception {
    Map<String, String> models = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      models.put("model-" + i, DIGEST_A);
    }
    String json = HeartbeatCodec.write(new Heartbeat("stable", 7L, DIGEST_B, models, false, null));
    assertTrue(json.getBytes(StandardCharsets.UTF_8).length <= HeartbeatCodec.MAX_BYTES);
    Heartbeat read = HeartbeatCodec.read(json);
    assertTrue(read.modelsOmitted());
    assertTrue(read.models().isEmpty());
    assertEquals(7L, read.revision());
  }

  @Test
  void reasonsLoseControlCharactersAndAreBounded() throws Exception {
    String forged = "bad\nlevel=ERROR msg=\"forged\"\u0000\u202e" + "x".repeat(5000);
    Heartbeat read =
        HeartbeatCodec.read(
            HeartbeatCodec.write(
                new Heartbeat(
                    "stable",
                    1L,
                    DIGEST_B,
                    Map.of(),
                    false,
                    new Heartbeat.Rejection(-1, forged, Instant.EPOCH))));
    String reason = read.rejected().reason();
    assertFalse(reason.contains("\n"));
    assertFalse(reason.contains("\u0000"));
    assertFalse(reason.contains("\u202e"));
    assertEquals(HeartbeatCodec.MAX_REASON_CHARS + 1, reason.length());
    assertTrue(reason.endsWith("…"));
  }

  @Test
  void malformedHeartbeatsAreRefusedWithoutEchoingTheirValues() {
    String[] bad = {
      null,
      "not json",
      "[]",
      "{\"v\":2,\"track\":\"stable\"}",
      "{\"v\":1,\"track\":\"blue\"}",
      "{\"v\":1,\"track\":\"stable\",\"revision\":-4,\"snapshot\":\"" + DIGEST_A + "\"}",
      "{\"v\":1,\"track\":\"stable\",\"revision\":4}",
      "{\"v\":1,\"track\":\"stable\",\"revision\":\"4\",\"snapshot\":\"" + DIGEST_A + "\"}",
      "{\"v\":1,\"track\":\"stable\",\"models\":{\"SECRET-VALUE\":\"" + DIGEST_A + "\"}}",
      "{\"v\":1,\"track\":\"stable\",\"models\":{\"m\":\"SECRET-VALUE\"}}",
      "{\"v\":1,\"track\":\"stable\",\"rejected\":{\"revision\":1,\"reason\":\"r\",\"at\":\"SECRET-VALUE\"}}",
      "{\"v\":1,\"track\":\"stable\",\"rejected\":{\"revision\":-9,\"reason\":\"r\",\"at\":\"2026-01-01T00:00:00Z\"}}",
      "{\"v\":1,\"track\":\"stable\",\"pad\":\"" + "x".repeat(HeartbeatCodec.MAX_BYTES) + "\"}"
    };
    for (String json : bad) {
      var error =
          assertThrows(HeartbeatCodec.HeartbeatException.class, () -> HeartbeatCodec.read(json));
      assertFalse(error.getMessage().contains("SECRET-VALUE"), error.getMessage());
    }
  }

  @Test
  void unknownFieldsFromANewerRaterAreIgnored() throws Exception {
    Heartbeat read =
        HeartbeatCodec.read(
            "{\"v\":1,\"track\":\"stable\",\"revision\":3,\"snapshot\":\""
                + DIGEST_A
                + "\",\"models\":{},\"cpu\":0.5}");
    assertEquals(3L, read.revision());
  }

  @Test
  void leaseNamesAreValidDnsSubdomainsEvenForLongPodNames() {
    assertEquals("clawrate-rater-rater-7c9d-x2x", HeartbeatLayout.leaseName("rater-7c9d-x2x"));
    String longA = "a".repeat(240) + "-one";
    String longB = "a".repeat(240) + "-two";
    String nameA = HeartbeatLayout.leaseName(longA);
    assertTrue(nameA.length() <= 253, nameA);
    assertTrue(nameA.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"), nameA);
    assertFalse(nameA.equals(HeartbeatLayout.leaseName(longB)));
  }
}
