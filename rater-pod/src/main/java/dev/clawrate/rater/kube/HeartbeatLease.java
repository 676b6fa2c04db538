package dev.clawrate.rater.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.contract.heartbeat.HeartbeatCodec;
import dev.clawrate.contract.heartbeat.HeartbeatLayout;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * A rater's heartbeat Lease as the API server stores it (the layout is {@link HeartbeatLayout}'s),
 * and the JSON merge patches that keep it current: no I/O here.
 *
 * @param namespace the rater's namespace, a DNS label
 * @param podName the rater's pod name, a DNS subdomain; the Lease's holder
 * @param track the track the rater serves
 * @param durationSeconds how long the Lease stands for the pod without a renewal
 */
record HeartbeatLease(String namespace, String podName, String track, int durationSeconds) {

  /** The Kubernetes MicroTime form: RFC 3339 in UTC with exactly six fractional digits. */
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  String name() {
    return HeartbeatLayout.leaseName(podName);
  }

  /** The Lease's name and namespace alone: what a patch is addressed to. */
  Lease named() {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name())
        .withNamespace(namespace)
        .endMetadata()
        .build();
  }

  /** The whole Lease, to create it or to take it over. */
  Lease lease(Instant acquired, Instant renewed, Heartbeat heartbeat) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name())
        .withNamespace(namespace)
        .withLabels(HeartbeatLayout.labels(track))
        .withAnnotations(
            Map.of(HeartbeatLayout.ANNOTATION_HEARTBEAT, HeartbeatCodec.write(heartbeat)))
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(podName)
        .withLeaseDurationSeconds(durationSeconds)
        .withAcquireTime(zoned(acquired))
        .withRenewTime(zoned(renewed))
        .endSpec()
        .build();
  }

  /** A renewal: only {@code spec.renewTime} changes. */
  static String renewal(Instant renewed) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("spec").put("renewTime", microTime(renewed));
    return json(patch);
  }

  /** A renewal that also carries a changed heartbeat. */
  static String update(Instant renewed, Heartbeat heartbeat) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch
        .putObject("metadata")
        .putObject("annotations")
        .put(HeartbeatLayout.ANNOTATION_HEARTBEAT, HeartbeatCodec.write(heartbeat));
    patch.putObject("spec").put("renewTime", microTime(renewed));
    return json(patch);
  }

  static String microTime(Instant instant) {
    return MICRO_TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
  }

  private static ZonedDateTime zoned(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
  }

  private static String json(ObjectNode patch) {
    try {
      return MAPPER.writeValueAsString(patch);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
