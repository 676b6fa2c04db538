package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a list the kind a real API server gives it ({@code EventList}, {@code RatingModelList})
 * instead of the mock's {@code List}: kubectl decodes typed lists strictly, and {@code kubectl
 * describe} shows {@code Events: <none>} when it cannot decode the EventList it asked for.
 */
public final class ListKinds {

  private static final Pattern COLLECTION =
      Pattern.compile("^(/api/v1|/apis/[^/]+/[^/]+)(?:/namespaces/[^/]+)?/([^/]+)$");

  private final Map<String, String> kinds = new HashMap<>();

  /** Registers {@code kind}, served as {@code plural} under {@code groupVersionPath}. */
  public void add(String groupVersionPath, String plural, String kind) {
    if (!plural.contains("/")) {
      kinds.put(groupVersionPath + "/" + plural, kind);
    }
  }

  /** {@code answer} to a GET of {@code path} (without query), its list kind corrected. */
  public MockResponse named(String path, MockResponse answer) {
    Matcher matcher = COLLECTION.matcher(path);
    String kind = matcher.matches() ? kinds.get(matcher.group(1) + "/" + matcher.group(2)) : null;
    if (kind == null || answer.code() != 200) {
      return answer;
    }
    JsonNode body = Serialization.unmarshal(answer.getBody().readUtf8(), JsonNode.class);
    if (body instanceof ObjectNode list && "List".equals(list.path("kind").asText())) {
      list.put("kind", kind + "List");
      list.put(
          "apiVersion",
          matcher.group(1).equals("/api/v1")
              ? "v1"
              : matcher.group(1).substring("/apis/".length()));
    }
    return answer.setBody(Serialization.asJson(body));
  }
}
