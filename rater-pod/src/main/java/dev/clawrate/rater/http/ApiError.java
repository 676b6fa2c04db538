package dev.clawrate.rater.http;

import dev.clawrate.contract.metrics.Outcome;

/** The HTTP status and error code the rating API answers for each failed outcome. */
enum ApiError {
  BAD_REQUEST(400, "bad_request"),
  UNAUTHENTICATED(401, "unauthenticated"),
  FORBIDDEN(403, "forbidden"),
  UNKNOWN_TENANT(404, "unknown_tenant"),
  NOT_FOUND(404, "not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  TOO_LARGE(413, "payload_too_large"),
  HEADERS_TOO_LARGE(431, "headers_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  MODEL_REJECTED(422, "model_rejected_input"),
  MODEL_TRAP(500, "model_trap"),
  MODEL_BAD_OUTPUT(500, "model_bad_output"),
  INTERNAL(500, "internal_error"),
  NO_CONFIG(503, "no_config"),
  OVERLOADED(503, "overloaded"),
  MODEL_TIMEOUT(504, "model_timeout");

  final int status;
  final String code;

  ApiError(int status, String code) {
    this.status = status;
    this.code = code;
  }

  static ApiError of(Outcome outcome) {
    return switch (outcome) {
      case OK, FALLBACK -> throw new IllegalArgumentException(outcome + " is not an error");
      case BAD_REQUEST -> BAD_REQUEST;
      case UNAUTHENTICATED -> UNAUTHENTICATED;
      case FORBIDDEN -> FORBIDDEN;
      case UNKNOWN_TENANT -> UNKNOWN_TENANT;
      case PAYLOAD_TOO_LARGE -> TOO_LARGE;
      case HEADERS_TOO_LARGE -> HEADERS_TOO_LARGE;
      case UNSUPPORTED_MEDIA_TYPE -> UNSUPPORTED_MEDIA_TYPE;
      case MODEL_REJECTED_INPUT -> MODEL_REJECTED;
      case MODEL_TRAP -> MODEL_TRAP;
      case MODEL_TIMEOUT -> MODEL_TIMEOUT;
      case MODEL_BAD_OUTPUT -> MODEL_BAD_OUTPUT;
      case NO_CONFIG -> NO_CONFIG;
      case OVERLOADED -> OVERLOADED;
      case INTERNAL_ERROR -> INTERNAL;
    };
  }
}
