package dev.clawrate.rater.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KubeNamespaceTest {

  @Test
  void theCommandLineWinsThenThePodThenTheClientThenDefault() {
    assertEquals("cli", KubeNamespace.resolve("cli", "pod", "client"));
    assertEquals("pod", KubeNamespace.resolve(null, "pod", "client"));
    assertEquals("client", KubeNamespace.resolve(null, "", "client"));
    assertEquals("default", KubeNamespace.resolve(null, null, null));
  }

  @Test
  void aNamespaceThatIsNoDnsLabelIsRefusedWhereverItCameFrom() {
    var fromPod =
        assertThrows(
            IllegalArgumentException.class, () -> KubeNamespace.resolve(null, "a/b", "client"));
    assertEquals("namespace 'a/b' from $POD_NAMESPACE is not a DNS label", fromPod.getMessage());
    var fromClient =
        assertThrows(
            IllegalArgumentException.class, () -> KubeNamespace.resolve(null, null, "My.Space"));
    assertEquals(
        "namespace 'My.Space' from the Kubernetes client's config is not a DNS label",
        fromClient.getMessage());
  }
}
