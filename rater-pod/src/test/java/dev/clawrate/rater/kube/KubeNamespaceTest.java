package dev.clawrate.rater.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KubeNamespaceTest {

  @Test
  void theCommandLineWinsThenThePodThenTheClientThenDefault() {
    assertEquals("cli", KubeNamespace.resolve("cli", "pod", "client"));
    assertEquals("pod", KubeNamespace.resolve(null, "pod", "client"));
    assertEquals("client", KubeNamespace.resolve(null, "", "client"));
    assertEquals("default", KubeNamespace.resolve(null, null, null));
  }
}
