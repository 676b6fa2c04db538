package dev.clawrate.operator.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataListTest {

  @Test
  void theMetadataOnlyFormIsRead() {
    List<ObjectMeta> metadata =
        MetadataList.metadataOf(
            """
            {"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":{},
             "items":[{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
                       "metadata":{"name":"a","labels":{"k":"v"},"annotations":{"d":"x"}}}]}
            """);
    assertEquals(1, metadata.size());
    assertEquals("a", metadata.get(0).getName());
    assertEquals("v", metadata.get(0).getLabels().get("k"));
    assertEquals("x", metadata.get(0).getAnnotations().get("d"));
  }

  @Test
  void aFullListFromAServerWithoutTheFormIsReadForItsMetadata() {
    List<ObjectMeta> metadata =
        MetadataList.metadataOf(
            """
            {"kind":"ConfigMapList","apiVersion":"v1","metadata":{},
             "items":[{"metadata":{"name":"a"},"binaryData":{"module.wasm":"AGFzbQ=="}},
                      {"metadata":{"name":"b"},"data":{"x":"y"}}]}
            """);
    assertEquals(List.of("a", "b"), metadata.stream().map(ObjectMeta::getName).toList());
  }

  @Test
  void anUnreadableAnswerIsAClientError() {
    assertThrows(KubernetesClientException.class, () -> MetadataList.metadataOf("not json"));
  }
}
