package dev.clawrate.rater.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.contract.heartbeat.HeartbeatCodec;
import dev.clawrate.contract.heartbeat.HeartbeatLayout;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatLeaseTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Heartbeat HEARTBEAT =
      new Heartbeat(
          "stable",
          3L,
          "sha256:" + "c".repeat(64),
          Map.of("m", "sha256:" + "a".repeat(64)),
          false,
          null);
  private static final HeartbeatLease LAYOUT =
      new HeartbeatLease("clawrate", "rater-0", "stable", 15);

  @Test
  void theLeaseCarriesTheLayoutTheOperatorReads() throws Exception {
    Instant acquired = Instant.parse("2026-03-01T10:00:00.123456789Z");
    Instant renewed = Instant.parse("2026-03-01T10:00:05Z");
    Lease lease = LAYOUT.lease(acquired, renewed, HEARTBEAT);
    assertEquals("clawrate-rater-rater-0", lease.getMetadata().getName());
    assertEquals("clawrate", lease.getMetadata().getNamespace());
    assertEquals(HeartbeatLayout.labels("stable"), lease.getMetadata().getLabels());
    assertEquals(
        HEARTBEAT,
        HeartbeatCodec.read(
            lease.getMetadata().getAnnotations().get(HeartbeatLayout.ANNOTATION_HEARTBEAT)));
    assertEquals("rater-0", lease.getSpec().getHolderIdentity());
    assertEquals(15, lease.getSpec().getLeaseDurationSeconds());
    assertEquals(
        Instant.parse("2026-03-01T10:00:00.123456Z"), lease.getSpec().getAcquireTime().toInstant());
    assertEquals(renewed.atZone(ZoneOffset.UTC), lease.getSpec().getRenewTime());
  }

  @Test
  void aRenewalPatchesTheRenewTimeAlone() throws Exception {
    JsonNode patch =
        MAPPER.readTree(HeartbeatLease.renewal(Instant.parse("2026-03-01T10:00:05.5Z")));
    assertEquals(List.of("spec"), fieldNames(patch));
    assertEquals(List.of("renewTime"), fieldNames(patch.get("spec")));
    assertEquals("2026-03-01T10:00:05.500000Z", patch.at("/spec/renewTime").asText());
  }

  @Test
  void anUpdatePatchesTheHeartbeatAndTheRenewTime() throws Exception {
    JsonNode patch =
        MAPPER.readTree(HeartbeatLease.update(Instant.parse("2026-03-01T10:00:05Z"), HEARTBEAT));
    assertEquals(List.of("metadata", "spec"), fieldNames(patch));
    assertEquals(List.of("annotations"), fieldNames(patch.get("metadata")));
    assertEquals(
        HEARTBEAT,
        HeartbeatCodec.read(
            patch.at("/metadata/annotations").get(HeartbeatLayout.ANNOTATION_HEARTBEAT).asText()));
    assertEquals("2026-03-01T10:00:05.000000Z", patch.at("/spec/renewTime").asText());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
