package dev.clawrate.contract.heartbeat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes and reads the {@link HeartbeatLayout#ANNOTATION_HEARTBEAT} annotation. A reader on the
 * operator side treats the value as untrusted: anything malformed is refused as a whole, and a
 * rejection reason is cleaned of control characters and bounded before anyone shows it.
 */
public final class HeartbeatCodec {

  /** Format version written in {@code v}; readers refuse versions they do not know. */
  public static final int VERSION = 1;

  /**
   * Annotations of one object may hold 256 KiB in all; a heartbeat larger than this leaves its
   * model list out (readers then judge models by revision).
   */
  public static final int MAX_BYTES = 128 * 1024;

  /** Longest rejection reason carried; the rest is cut with an ellipsis. */
  public static final int MAX_REASON_CHARS = 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern MODEL_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?");
  private static final Pattern TRACK = Pattern.compile("stable|canary");

  /** A heartbeat that cannot be read; the message names the field, never its value. */
  public static final class HeartbeatException extends Exception {
    private static final long serialVersionUID = 1L;

    HeartbeatException(String message) {
      super(message);
    }
  }

  private HeartbeatCodec() {}

  public static String write(Heartbeat heartbeat) {
    String full = toJson(heartbeat, false);
    if (full.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return full;
    }
    return toJson(heartbeat, true);
  }

  private static String toJson(Heartbeat heartbeat, boolean omitModels) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("v", VERSION);
    root.put("track", heartbeat.track());
    if (heartbeat.revision() != null) {
      root.put("revision", heartbeat.revision());
    }
    if (heartbeat.snapshotDigest() != null) {
      root.put("snapshot", heartbeat.snapshotDigest());
    }
    if (omitModels || heartbeat.modelsOmitted()) {
      root.put("modelsOmitted", true);
    } else {
      ObjectNode models = root.putObject("models");
      heartbeat.models().forEach(models::put);
    }
    Heartbeat.Rejection rejected = heartbeat.rejected();
    if (rejected != null) {
      ObjectNode node = root.putObject("rejected");
      node.put("revision", rejected.revision());
      node.put("reason", clean(rejected.reason()));
      node.put("at", rejected.at().toString());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  public static Heartbeat read(String json) throws HeartbeatException {
    if (json == null) {
      throw new HeartbeatException("no " + HeartbeatLayout.ANNOTATION_HEARTBEAT + " annotation");
    }
    if (json.length() > MAX_BYTES) {
      throw new HeartbeatException("heartbeat is larger than " + MAX_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new HeartbeatException("heartbeat is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new HeartbeatException("heartbeat is not a JSON object");
    }
    if (!root.path("v").isInt() || root.get("v").intValue() != VERSION) {
      throw new HeartbeatException("heartbeat format version is not " + VERSION);
    }
    String track = text(root, "track", TRACK);
    Long revision = optionalRevision(root.get("revision"), "revision");
    String snapshot = root.has("snapshot") ? text(root, "snapshot", DIGEST) : null;
    if ((revision == null) != (snapshot == null)) {
      throw new HeartbeatException("heartbeat has one of revision and snapshot without the other");
    }
    boolean omitted = root.path("modelsOmitted").asBoolean(false);
    Map<String, String> models = new LinkedHashMap<>();
    JsonNode modelsNode = root.get("models");
    if (modelsNode != null && !modelsNode.isNull()) {
      if (!modelsNode.isObject()) {
        throw new HeartbeatException("heartbeat field models is not an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = modelsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (!MODEL_NAME.matcher(entry.getKey()).matches()
            || !entry.getValue().isTextual()
            || !DIGEST.matcher(entry.getValue().textValue()).matches()) {
          throw new HeartbeatException("heartbeat field models holds a malformed entry");
        }
        models.put(entry.getKey(), entry.getValue().textValue());
      }
    }
    return new Heartbeat(track, revision, snapshot, models, omitted, rejection(root));
  }

  private static Heartbeat.Rejection rejection(JsonNode root) throws HeartbeatException {
    JsonNode node = root.get("rejected");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()
        || !node.path("revision").canConvertToLong()
        || !node.path("revision").isIntegralNumber()
        || !node.path("reason").isTextual()
        || !node.path("at").isTextual()) {
      throw new HeartbeatException("heartbeat field rejected is malformed");
    }
    long revision = node.get("revision").longValue();
    if (revision < -1) {
      throw new HeartbeatException("heartbeat field rejected.revision is negative");
    }
    Instant at;
    try {
      at = Instant.parse(node.get("at").textValue());
    } catch (DateTimeParseException e) {
      throw new HeartbeatException("heartbeat field rejected.at is not an RFC 3339 time");
    }
    return new Heartbeat.Rejection(revision, clean(node.get("reason").textValue()), at);
  }

  private static Long optionalRevision(JsonNode node, String field) throws HeartbeatException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
      throw new HeartbeatException("heartbeat field " + field + " is not a revision");
    }
    return node.longValue();
  }

  private static String text(JsonNode root, String field, Pattern pattern)
      throws HeartbeatException {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual() || !pattern.matcher(node.textValue()).matches()) {
      throw new HeartbeatException("heartbeat field " + field + " is missing or malformed");
    }
    return node.textValue();
  }

  /**
   * Control characters become spaces and the text is bounded: a reason ends up in conditions,
   * Events and log lines, where a newline could forge another entry.
   */
  static String clean(String reason) {
    if (reason == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(reason.length(), MAX_REASON_CHARS + 1));
    for (int i = 0; i < reason.length() && out.length() < MAX_REASON_CHARS; i++) {
      char c = reason.charAt(i);
      out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c);
    }
    if (reason.length() > MAX_REASON_CHARS) {
      out.append('…');
    }
    return out.toString();
  }
}
