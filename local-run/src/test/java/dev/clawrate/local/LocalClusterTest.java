package dev.clawrate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API server: what kubectl needs of it before it lists anything. */
class LocalClusterTest {

  private static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void discoveryResolvesClawrateShortNames() {
    APIResourceList resources =
        Serialization.unmarshal(
            cluster.client().raw("/apis/clawrate.dev/v1alpha1"), APIResourceList.class);
    var ratingModels =
        resources.getResources().stream()
            .filter(r -> r.getName().equals("ratingmodels"))
            .findFirst()
            .orElseThrow();
    assertEquals("RatingModel", ratingModels.getKind());
    assertTrue(ratingModels.getShortNames().contains("rmodel"));
    assertTrue(ratingModels.getNamespaced());
    APIGroupList groups =
        Serialization.unmarshal(cluster.client().raw("/apis"), APIGroupList.class);
    assertTrue(groups.getGroups().stream().anyMatch(g -> g.getName().equals("clawrate.dev")));
    assertTrue(cluster.client().raw("/api/v1").contains("\"configmaps\""));
  }

  @Test
  void theCrdsAreInstalledAndResourcesStillServed() {
    assertEquals(
        3,
        cluster.client().apiextensions().v1().customResourceDefinitions().list().getItems().size());
    assertTrue(
        cluster
            .client()
            .raw("/apis/clawrate.dev/v1alpha1/namespaces/default/ratingmodels")
            .contains("\"items\""));
  }

  @Test
  void theKubeconfigPointsAtThisServer(@TempDir Path dir) throws Exception {
    Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    String text = Files.readString(kubeconfig);
    assertTrue(text.contains("server: " + cluster.url().replaceAll("/$", "")), text);
    assertTrue(text.contains("current-context: clawrate-local"));
  }
}
