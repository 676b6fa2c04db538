package dev.clawrate.operator.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.local.LocalCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The persisted claims against the mock API server: only added to, and an admin's edit wins. */
class ClaimStoreTest {

  private static LocalCluster cluster;
  private String namespace;
  private final AtomicInteger changes = new AtomicInteger();
  private ClaimStore store;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void start(TestInfo info) {
    namespace = "claims-" + info.getTestMethod().orElseThrow().getName().toLowerCase();
    store = new ClaimStore(cluster.client(), namespace, changes::incrementAndGet);
    store.start();
    Await.until("claims listed", store::synced);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private ConfigMap stored() {
    return cluster.client().configMaps().inNamespace(namespace).withName(ClaimStore.NAME).get();
  }

  @Test
  void claimsAreWrittenAsPlainEditableKeys() {
    assertEquals(Claims.NONE, store.current());
    store.record(new Claims(Map.of("acme", "team-a"), Map.of("scorecard", "team-a")));
    assertEquals(Map.of("tenant.acme", "team-a", "model.scorecard", "team-a"), stored().getData());
    Await.until(
        "the cache follows",
        () ->
            store
                .current()
                .equals(new Claims(Map.of("acme", "team-a"), Map.of("scorecard", "team-a"))));
  }

  @Test
  void anExistingClaimIsNeverOverwritten() {
    store.record(new Claims(Map.of("acme", "team-a"), Map.of()));
    Await.until("cached", () -> store.current().tenantOwner("acme") != null);
    Claims after = store.record(new Claims(Map.of("acme", "team-b", "globex", "team-b"), Map.of()));
    assertEquals("team-a", after.tenantOwner("acme"));
    assertEquals("team-b", after.tenantOwner("globex"));
    assertEquals("team-a", stored().getData().get("tenant.acme"));
  }

  @Test
  void thePlatformAdminsMoveIsFollowedAndKeptWhateverTheOperatorRenderedBefore() {
    store.record(new Claims(Map.of("acme", "team-a"), Map.of()));
    Await.until("cached", () -> "team-a".equals(store.current().tenantOwner("acme")));
    int before = changes.get();
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .withName(ClaimStore.NAME)
        .edit(cm -> new ConfigMapBuilder(cm).addToData("tenant.acme", "team-b").build());
    Await.until("the edit is seen", () -> changes.get() > before);
    Await.until("and read", () -> "team-b".equals(store.current().tenantOwner("acme")));

    // A render made just before the edit still says team-a: the edit wins.
    Claims after = store.record(new Claims(Map.of("acme", "team-a", "new", "team-a"), Map.of()));
    assertEquals("team-b", after.tenantOwner("acme"));
    assertEquals("team-b", stored().getData().get("tenant.acme"));
  }

  @Test
  void malformedEntriesAreIgnoredAndLeftAsTheAdminWroteThem() {
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(ClaimStore.NAME)
                .endMetadata()
                .withData(Map.of("tenant.acme", "Team A!", "note", "owned by finance"))
                .build())
        .create();
    Await.until("cached", () -> stored() != null && store.synced());
    Await.until("read", () -> store.current().equals(Claims.NONE));
    store.record(new Claims(Map.of("acme", "team-a"), Map.of()));
    assertEquals("owned by finance", stored().getData().get("note"));
    assertEquals("team-a", stored().getData().get("tenant.acme"));
  }
}
