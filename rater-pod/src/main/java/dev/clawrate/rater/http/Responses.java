package dev.clawrate.rater.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/** Writes responses: JSON bodies, errors in the API's shape, gzip when the client takes it. */
final class Responses {

  static final String JSON = "application/json";

  /**
   * An overloaded rater's advice to retry after a second: what refused the call (a full memory
   * budget, a full share of the workers) frees up as calls in flight end, within milliseconds.
   */
  static final String RETRY_AFTER_SECONDS = "1";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final int gzipMinBytes;

  /**
   * @param gzipMinBytes bodies smaller than this are sent uncompressed: below a few hundred bytes
   *     gzip's header and the CPU cost outweigh what it saves
   */
  Responses(int gzipMinBytes) {
    this.gzipMinBytes = gzipMinBytes;
  }

  void send(HttpServerExchange exchange, int status, String contentType, byte[] body) {
    exchange.setStatusCode(status);
    var headers = exchange.getResponseHeaders();
    headers.put(Headers.CONTENT_TYPE, contentType);
    headers.put(Headers.VARY, Headers.ACCEPT_ENCODING_STRING);
    byte[] payload = body;
    if (body.length >= gzipMinBytes && acceptsGzip(exchange)) {
      payload = gzip(body);
      headers.put(Headers.CONTENT_ENCODING, "gzip");
    }
    headers.put(Headers.CONTENT_LENGTH, payload.length);
    exchange.getResponseSender().send(ByteBuffer.wrap(payload));
  }

  void sendJson(HttpServerExchange exchange, int status, Object body) {
    try {
      send(exchange, status, JSON, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response bodies are plain JSON trees", e);
    }
  }

  void sendError(HttpServerExchange exchange, ApiError error, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode detail = body.putObject("error");
    detail.put("code", error.code);
    detail.put("message", message);
    if (error == ApiError.UNAUTHENTICATED) {
      exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
    }
    if (error == ApiError.OVERLOADED) {
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    if (error == ApiError.TOO_LARGE) {
      // The rest of an oversized body is not worth reading just to keep the connection.
      exchange.setPersistent(false);
    }
    sendJson(exchange, error.status, body);
  }

  /** Whether the client's Accept-Encoding allows gzip (a q of 0 refuses it). */
  static boolean acceptsGzip(HttpServerExchange exchange) {
    var values = exchange.getRequestHeaders().get(Headers.ACCEPT_ENCODING);
    if (values == null) {
      return false;
    }
    for (String header : values) {
      for (String part : header.split(",")) {
        String[] pieces = part.trim().split(";");
        String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
        if (!coding.equals("gzip") && !coding.equals("*")) {
          continue;
        }
        return !refused(pieces);
      }
    }
    return false;
  }

  private static boolean refused(String[] pieces) {
    for (int i = 1; i < pieces.length; i++) {
      String param = pieces[i].trim().toLowerCase(Locale.ROOT);
      if (param.startsWith("q=")) {
        try {
          return Double.parseDouble(param.substring(2)) <= 0;
        } catch (NumberFormatException e) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] gzip(byte[] body) {
    var out = new ByteArrayOutputStream(body.length / 2 + 32);
    try (var gzip = new GZIPOutputStream(out, 1024)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory gzip cannot fail", e);
    }
    return out.toByteArray();
  }
}
