package dev.clawrate.rater.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Renders an {@link AuditRecord} as one line of JSON, absent fields left out. */
public final class AuditJson {

  private static final JsonFactory JSON = new JsonFactory();

  private AuditJson() {}

  /** One JSON object, without the line break. */
  public static String line(AuditRecord record) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", Instant.ofEpochMilli(record.epochMillis()).toString());
      json.writeStringField("requestId", record.requestId());
      json.writeStringField("track", record.track());
      if (record.revision() != null) {
        json.writeNumberField("revision", record.revision());
      }
      optional(json, "tenant", record.tenant());
      optional(json, "model", record.model());
      optional(json, "digest", record.digest());
      json.writeNumberField("status", record.status());
      json.writeStringField("outcome", record.outcome());
      if (record.rating() != null) {
        json.writeNumberField("rating", record.rating());
      }
      optional(json, "decision", record.decision());
      if (record.fallback() != null) {
        json.writeObjectFieldStart("fallback");
        json.writeStringField("reason", record.fallback().reason());
        json.writeStringField("answer", record.fallback().answer());
        optional(json, "model", record.fallback().model());
        optional(json, "digest", record.fallback().digest());
        json.writeEndObject();
      }
      json.writeNumberField("latencyMs", record.latencyNanos() / 1_000_000.0);
      if (record.input() != null) {
        json.writeFieldName("input");
        copy(record.input(), json);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }

  /**
   * Copies token by token rather than raw: the body's own line breaks would split the record, and
   * only a body the rater already parsed as a JSON object ever reaches here.
   */
  private static void copy(byte[] input, JsonGenerator json) throws IOException {
    try (JsonParser parser = JSON.createParser(input)) {
      parser.nextToken();
      json.copyCurrentStructure(parser);
    }
  }

  private static void optional(JsonGenerator json, String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }
}
