package dev.clawrate.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RegionStatus;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantFallbackSpec;
import dev.clawrate.operator.region.RegionNames;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.core.instrument.search.Search;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three regions: the hub (mock API server, operator, rater) and two members, each a mock API server
 * with a rater of its own, registered in the hub by their region Secrets. Real operator, real
 * raters, real HTTP and watches.
 */
class MultiRegionIntegrationTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";
  private static final byte[] VERSION_A = Fixtures.module("constant-a");
  private static final byte[] VERSION_B = Fixtures.module("constant-b");
  private static final byte[] TRAPS = Fixtures.module("trap");
  private static final byte[] LOOPS = Fixtures.module("infinite-loop");
  private static final String A = ModuleDigest.of(VERSION_A);
  private static final String B = ModuleDigest.of(VERSION_B);
  private static final String EU = "eu-west";
  private static final String US = "us-east";

  @TempDir Path stateDir;
  private OperatorHarness hub;
  private final Map<String, Member> members = new LinkedHashMap<>();

  /** A member region: its API server and its rater. */
  private final class Member {
    LocalCluster cluster;
    RaterMain rater;

    Member(LocalCluster cluster) {
      this.cluster = cluster;
      this.rater = hub.startRaterIn(cluster.url());
    }

    RaterClient client() {
      return new RaterClient(rater.port());
    }

    ConfigMap snapshot() {
      return cluster
          .client()
          .configMaps()
          .withName(ClusterLayout.snapshotConfigMapName("stable"))
          .get();
    }

    long revision() {
      ConfigMap snapshot = snapshot();
      return snapshot == null
          ? -1
          : Long.parseLong(
              snapshot.getMetadata().getAnnotations().get(ClusterLayout.ANNOTATION_REVISION));
    }
  }

  @BeforeEach
  void start() {
    hub = new OperatorHarness(stateDir);
    for (String name : List.of(EU, US)) {
      Member member = new Member(LocalCluster.start(0));
      members.put(name, member);
      LocalCluster.registerRegion(hub.client(), name, member.cluster);
    }
  }

  @AfterEach
  void stop() {
    hub.close();
    members.values().forEach(m -> m.cluster.close());
  }

  private Answer awaitDigest(RaterClient client, String tenant, String digest) {
    return Await.value(
        tenant + " is served with " + digest,
        () -> client.rate(tenant, BODY),
        a -> a.status() == 200 && a.json().get("digest").asText().equals(digest));
  }

  private RatingModel awaitModel(String what, Predicate<RatingModel> accept) {
    return Await.value(
        what, () -> hub.model("scorer"), m -> m != null && m.getStatus() != null && accept.test(m));
  }

  private static RegionStatus region(RatingModel model, String name) {
    return model.getStatus().getRegions().stream()
        .filter(r -> r.getName().equals(name))
        .findFirst()
        .orElse(null);
  }

  private void servedEverywhere(String digest) {
    awaitDigest(hub.raterClient(), "acme-bank", digest);
    members.values().forEach(m -> awaitDigest(m.client(), "acme-bank", digest));
  }

  @Test
  void aModelChangeReachesTheRatersOfAllThreeRegions() {
    hub.applyModel("scorer", VERSION_A);
    hub.applyTenant("acme-bank", "scorer", 600);
    servedEverywhere(A);
    RatingModel model =
        awaitModel("Ready in 3/3 regions", m -> "3/3".equals(m.getStatus().getRegionsSynced()));
    assertEquals(
        List.of("local", EU, US),
        model.getStatus().getRegions().stream().map(RegionStatus::getName).toList(),
        "the hub first, then by name");
    for (RegionStatus region : model.getStatus().getRegions()) {
      assertEquals(RegionStatus.SYNCED, region.getState(), region.getName());
      assertEquals(A, region.getDigest(), region.getName());
      assertNotNull(region.getLastSyncTime(), region.getName());
    }
    // Each region received the module its snapshot names.
    for (Member member : members.values()) {
      assertNotNull(
          member
              .cluster
              .client()
              .configMaps()
              .withName(ClusterLayout.moduleConfigMapName(A))
              .get());
    }

    hub.applyModel("scorer", VERSION_B);
    servedEverywhere(B);
    awaitModel(
        "the new digest Ready everywhere",
        m -> B.equals(m.getStatus().getDigest()) && "3/3".equals(m.getStatus().getRegionsSynced()));
  }

  /** Every module the region's snapshot names is there: the snapshot is written last. */
  private static void assertModulesPresent(Member member) throws Exception {
    ConfigMap snapshot = member.snapshot();
    SnapshotDocument document =
        SnapshotCodec.read(ClusterLayout.load(snapshot.getData(), snapshot.getBinaryData()));
    for (var model : document.models().values()) {
      assertNotNull(
          member
              .cluster
              .client()
              .configMaps()
              .withName(ClusterLayout.moduleConfigMapName(model.digest()))
              .get(),
          "module of " + model.digest() + " in revision " + document.revision());
    }
  }

  @Test
  void aMemberStoppedDelaysNoOtherShowsUnreachableAndConvergesWhenItComesBackEmpty()
      throws Exception {
    hub.applyModel("steady", TRAPS);
    hub.applyModel("scorer", VERSION_A);
    hub.applyTenant("acme-bank", "scorer", 600);
    servedEverywhere(A);
    // Raters serve a version before their heartbeat reaches the operator's informer; stopping
    // the region in between would leave it nothing to have last reported.
    awaitModel(
        "us-east reported serving the first version",
        m -> region(m, US) != null && A.equals(region(m, US).getDigest()));
    Member us = members.get(US);
    long before = us.revision();
    int port = us.cluster.port();
    us.cluster.stop();

    hub.applyModel("scorer", VERSION_B);
    awaitDigest(hub.raterClient(), "acme-bank", B);
    awaitDigest(members.get(EU).client(), "acme-bank", B);
    awaitDigest(us.client(), "acme-bank", A);
    RatingModel model =
        awaitModel(
            "us-east Unreachable",
            m ->
                region(m, US) != null
                    && RegionStatus.UNREACHABLE.equals(region(m, US).getState())
                    && "2/3".equals(m.getStatus().getRegionsSynced()));
    assertEquals(B, region(model, EU).getDigest());
    assertEquals(B, region(model, "local").getDigest());
    assertEquals(A, region(model, US).getDigest(), "what its raters last reported");

    // The cluster is rebuilt: an empty API server where the old one was.
    us.cluster = LocalCluster.start(port);
    Await.until("a snapshot in the rebuilt region", () -> us.snapshot() != null);
    assertModulesPresent(us);
    awaitDigest(us.client(), "acme-bank", B);
    assertModulesPresent(us);
    assertTrue(us.revision() > before, "revisions only move forward: " + us.revision());
    assertNotNull(
        us.cluster.client().configMaps().withName(ClusterLayout.moduleConfigMapName(B)).get());
    awaitModel("3/3 again", m -> "3/3".equals(m.getStatus().getRegionsSynced()));
  }

  @Test
  void aMalformedRegionSecretIsReportedAndIgnored() {
    Secret bad =
        new SecretBuilder()
            .withNewMetadata()
            .withName("region-broken")
            .withNamespace(OperatorHarness.NS)
            .addToLabels(RegionNames.LABEL, "broken")
            .endMetadata()
            .addToStringData("kubeconfig", "token: s3cr3t-t0ken\n: : not yaml [")
            .build();
    hub.client().secrets().resource(bad).create();
    hub.applyModel("scorer", VERSION_A);
    hub.applyTenant("acme-bank", "scorer", 600);
    servedEverywhere(A);

    Event event =
        Await.value(
            "a Warning Event on the Secret",
            () ->
                hub
                    .client()
                    .v1()
                    .events()
                    .inNamespace(OperatorHarness.NS)
                    .list()
                    .getItems()
                    .stream()
                    .filter(e -> "region-broken".equals(e.getInvolvedObject().getName()))
                    .findFirst()
                    .orElse(null),
            e -> e != null);
    assertEquals("Warning", event.getType());
    assertEquals("InvalidKubeconfig", event.getReason());
    assertTrue(!event.getMessage().contains("s3cr3t"), "the kubeconfig is never echoed");
    Await.until(
        "the invalid Secret counted",
        () ->
            Search.in(hub.meters()).name("clawrate.operator.region.secrets.invalid").gauge().value()
                == 1);
    RatingModel model =
        awaitModel("3/3 regions, not 4", m -> "3/3".equals(m.getStatus().getRegionsSynced()));
    assertNull(region(model, "broken"));
  }

  @Test
  void aTenantLimitedToOneRegionIsServedThereAndUnknownElsewhere() {
    hub.applyModel("scorer", VERSION_A);
    hub.applyTenant("acme-bank", "scorer", 600);
    hub.applyTenant("eu-only", "scorer", 600, t -> t.getSpec().setRegions(List.of(EU)));
    servedEverywhere(A);
    awaitDigest(members.get(EU).client(), "eu-only", A);
    assertEquals(404, hub.raterClient().rate("eu-only", BODY).status());
    assertEquals(404, members.get(US).client().rate("eu-only", BODY).status());
    TenantConfig tenant =
        Await.value(
            "eu-only Ready in its one region",
            () -> hub.tenant("eu-only"),
            t ->
                t != null
                    && t.getStatus() != null
                    && "1/1".equals(t.getStatus().getRegionsSynced()));
    assertEquals(
        List.of(EU), tenant.getStatus().getRegions().stream().map(RegionStatus::getName).toList());

    hub.applyTenant("eu-only", "scorer", 600, t -> t.getSpec().setRegions(List.of(EU, "ap-south")));
    TenantConfig pending =
        Await.value(
            "a region that is not registered is pending",
            () -> hub.tenant("eu-only"),
            t -> t.getStatus() != null && "1/2".equals(t.getStatus().getRegionsSynced()));
    RegionStatus unknown = pending.getStatus().getRegions().get(1);
    assertEquals("ap-south", unknown.getName());
    assertEquals(RegionStatus.PENDING, unknown.getState());
  }

  @Test
  void deletingARegionSecretStopsWritesAndRemovesItFromStatus() {
    hub.applyModel("scorer", VERSION_A);
    hub.applyTenant("acme-bank", "scorer", 600);
    servedEverywhere(A);
    awaitModel("3/3", m -> "3/3".equals(m.getStatus().getRegionsSynced()));
    Member us = members.get(US);
    long revision = us.revision();

    hub.client().secrets().withName("region-" + US).delete();
    awaitModel(
        "two regions left", m -> m.getStatus().getRegions().size() == 2 && region(m, US) == null);
    hub.applyModel("scorer", VERSION_B);
    awaitDigest(hub.raterClient(), "acme-bank", B);
    awaitDigest(members.get(EU).client(), "acme-bank", B);
    Quiescence.await(hub, 2);
    assertEquals(revision, us.revision(), "no longer written to");
    assertEquals(A, us.client().rate("acme-bank", BODY).json().get("digest").asText());
  }

  @Test
  void aTenantWithAFallbackIsAnsweredByItWhenItsModelTrapsOrTimesOut() {
    hub.applyModel("champion", VERSION_A);
    hub.applyModel("challenger", TRAPS);
    hub.applyModel("looping", LOOPS);
    hub.applyTenant(
        "initech",
        "looping",
        600,
        t -> {
          TenantFallbackSpec fallback = new TenantFallbackSpec();
          fallback.setDecision("refer");
          t.getSpec().setFallback(fallback);
        });
    hub.applyTenant(
        "acme-bank",
        "challenger",
        600,
        t -> {
          TenantFallbackSpec fallback = new TenantFallbackSpec();
          fallback.setModelRef(new ModelRef("champion"));
          t.getSpec().setFallback(fallback);
        });
    hub.applyTenant("globex", "challenger", 600);
    for (RaterClient client :
        List.of(hub.raterClient(), members.get(EU).client(), members.get(US).client())) {
      Answer answer =
          Await.value(
              "acme-bank answered by its fallback",
              () -> client.rate("acme-bank", BODY),
              a -> a.status() == 200);
      assertTrue(answer.json().get("fallback").asBoolean());
      assertEquals("model_trap", answer.json().get("fallbackReason").asText());
      assertEquals("champion", answer.json().get("model").asText());
      assertEquals(A, answer.json().get("digest").asText());

      Answer plain =
          Await.value(
              "globex published", () -> client.rate("globex", BODY), a -> a.status() != 404);
      assertEquals(500, plain.status(), "no fallback: the contract-3 error as before");
      assertEquals("model_trap", plain.errorCode());

      Answer timedOut =
          Await.value(
              "initech answered by its fixed decision",
              () -> client.rate("initech", BODY),
              a -> a.status() == 200);
      assertTrue(timedOut.json().get("fallback").asBoolean());
      assertEquals("model_timeout", timedOut.json().get("fallbackReason").asText());
      assertEquals("refer", timedOut.json().get("decision").asText());
      assertTrue(timedOut.json().get("rating").isNull());
    }
  }
}
