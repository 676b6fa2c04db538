package dev.clawrate.operator.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One part of a custom resource, its spec or its status, as read from JSON.
 *
 * @param value the part as its Java type; null when the JSON had none or could not be read
 * @param json the JSON as it was, kept only when it could not be read so it can be written back
 * @param problem why it could not be read, safe to show (see {@link ReadProblems}); null when read
 */
record ReadPart<T>(T value, JsonNode json, String problem) {

  static <T> ReadPart<T> readable(T value) {
    return new ReadPart<>(value, null, null);
  }

  static <T> ReadPart<T> unreadable(JsonNode json, String problem) {
    return new ReadPart<>(null, json, problem);
  }
}
