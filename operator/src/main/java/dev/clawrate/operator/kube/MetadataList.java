package dev.clawrate.operator.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lists the metadata of the ConfigMaps of a namespace that carry some labels, without their data:
 * the API server answers the {@code PartialObjectMetadataList} form, so a list of modules costs a
 * few hundred bytes each instead of the modules themselves. A server that does not know the form
 * answers the full list, of which only the metadata is read.
 */
public final class MetadataList {

  /** What the API server is asked for, the full list as the fallback it may answer instead. */
  public static final String ACCEPT =
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 30;

  private MetadataList() {}

  public static List<ObjectMeta> configMaps(
      KubernetesClient client, String namespace, Map<String, String> labels) {
    StringBuilder selector = new StringBuilder();
    new TreeMap<>(labels)
        .forEach(
            (key, value) ->
                selector.append(selector.length() == 0 ? "" : ",").append(key + "=" + value));
    URI uri =
        URI.create(
            client.getMasterUrl().toString().replaceAll("/+$", "")
                + "/api/v1/namespaces/"
                + URLEncoder.encode(namespace, StandardCharsets.UTF_8)
                + "/configmaps?labelSelector="
                + URLEncoder.encode(selector.toString(), StandardCharsets.UTF_8));
    HttpRequest request =
        client.getHttpClient().newHttpRequestBuilder().uri(uri).header("Accept", ACCEPT).build();
    HttpResponse<String> response;
    try {
      response =
          client
              .getHttpClient()
              .sendAsync(request, String.class)
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while listing ConfigMaps", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KubernetesClientException("listing ConfigMaps failed", e);
    }
    if (response.code() / 100 != 2) {
      // The server's text is not repeated: only its status code says what went wrong.
      throw new KubernetesClientException("listing ConfigMaps failed", response.code(), null);
    }
    return metadataOf(response.body());
  }

  /** The metadata of each item of a list, whichever form the server answered. */
  static List<ObjectMeta> metadataOf(String list) {
    try {
      JsonNode items = MAPPER.readTree(list).path("items");
      List<ObjectMeta> metadata = new ArrayList<>(items.size());
      for (JsonNode item : items) {
        metadata.add(MAPPER.treeToValue(item.path("metadata"), ObjectMeta.class));
      }
      return metadata;
    } catch (IOException e) {
      throw new KubernetesClientException("the ConfigMap list could not be read", e);
    }
  }
}
