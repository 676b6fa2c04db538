package dev.clawrate.operator.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Reads a spec or status from JSON as exactly what its Java type declares: an unknown field, or a
 * value of another type, makes it unreadable instead of being dropped or converted. An operator
 * older than its CRD must not act on a spec whose meaning it only partly knows, and a value the CRD
 * schema would refuse (a string for a number, 1.5 for a whole number) is not guessed at.
 */
final class PartReader {

  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          // "650" for a number, "" for a number or a list, and so on.
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          // Jackson would otherwise turn 5 or true into the string "5" or "true".
          .withCoercionConfig(
              LogicalType.Textual,
              config ->
                  config
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  private PartReader() {}

  /**
   * @param json the part's JSON; null or JSON null is an absent part
   * @param path where the JSON sits in the resource, e.g. {@code spec}, for the problem description
   */
  static <T> ReadPart<T> read(JsonNode json, Class<T> type, String path) {
    if (json == null || json.isNull()) {
      return ReadPart.readable(null);
    }
    try {
      return ReadPart.readable(STRICT.treeToValue(json, type));
    } catch (JsonMappingException e) {
      return ReadPart.unreadable(json, ReadProblems.describe(path, e));
    } catch (JacksonException | IllegalArgumentException e) {
      return ReadPart.unreadable(json, ReadProblems.unreadable(path));
    }
  }
}
