package dev.clawrate.local.apiserver;

import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Write requests put in the form the mock's CRUD handlers understand: without the query (which they
 * ignore for writes, but which hides a {@code /status} path from them), and with a strategic merge
 * patch sent as the JSON merge patch it is for the resources here (none has patch strategies the
 * mock would know).
 */
public final class ApiRequests {

  private static final String STRATEGIC_MERGE = "application/strategic-merge-patch+json";
  private static final String MERGE = "application/merge-patch+json";

  private ApiRequests() {}

  public static RecordedRequest normalized(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    String contentType = request.getHeader("Content-Type");
    boolean strategic = contentType != null && contentType.startsWith(STRATEGIC_MERGE);
    if (query < 0 && !strategic) {
      return request;
    }
    Headers headers =
        strategic
            ? request.getHeaders().newBuilder().set("Content-Type", MERGE).build()
            : request.getHeaders();
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        query < 0 ? path : path.substring(0, query),
        headers,
        new Buffer(request.getBody().getBytes()));
  }

  /** A query parameter of {@code path}, decoded, or null. */
  public static String queryParameter(String path, String name) {
    int query = path.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : path.substring(query + 1).split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return equals < 0
            ? ""
            : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
