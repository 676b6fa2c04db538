package dev.clawrate.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.contract.testing.HugeFunctionModule;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.status.ConditionSet;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.testing.ClientLoad;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real operator and a real rater against the mock API server in CRUD mode, over real HTTP and
 * watches: what a user does with kubectl, and what a rater then answers.
 */
class OperatorIntegrationTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";
  private static final byte[] VERSION_A = Fixtures.module("constant-a");
  private static final byte[] VERSION_B = Fixtures.module("constant-b");

  @TempDir Path stateDir;
  private OperatorHarness region;

  @BeforeEach
  void start() {
    region = new OperatorHarness(stateDir);
  }

  @AfterEach
  void stop() {
    region.close();
  }

  private Answer awaitDigest(RaterClient client, String tenant, String digest) {
    return Await.value(
        tenant + " is served with " + digest,
        () -> client.rate(tenant, BODY),
        a -> a.status() == 200 && a.json().get("digest").asText().equals(digest));
  }

  /** Model "scorer" on version A, tenant acme-bank on it, and the rater answering so. */
  private Answer acmeBankServedWithVersionA() {
    region.applyModel("scorer", VERSION_A);
    region.applyTenant("acme-bank", "scorer", 600);
    return awaitDigest(region.raterClient(), "acme-bank", ModuleDigest.of(VERSION_A));
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void aModelAndATenantAreServedAndReportReady() {
    Answer answer = acmeBankServedWithVersionA();
    assertEquals("approve", answer.json().get("decision").asText());

    RatingModel model =
        Await.value(
            "the model reports Ready",
            () -> region.model("scorer"),
            m ->
                m.getStatus() != null
                    && ConditionSet.isTrue(m.getStatus().getConditions(), ClawrateApi.READY));
    assertEquals(ModuleDigest.of(VERSION_A), model.getStatus().getDigest());
    assertEquals("1/1", model.getStatus().getRegionsSynced());
    assertEquals("1/1", model.getStatus().getRaters(), "one live rater, serving it");
    assertEquals(model.getMetadata().getGeneration(), model.getStatus().getObservedGeneration());
    assertEquals(List.of("alloc", "rate"), model.getStatus().getExports());
    assertEquals(0, model.getStatus().getInterpretedFunctions());
    assertEquals(
        "Validated",
        condition(model.getStatus().getConditions(), ClawrateApi.VALIDATED).getReason());
    TenantConfig tenant =
        Await.value(
            "the tenant reports Ready",
            () -> region.tenant("acme-bank"),
            t ->
                t.getStatus() != null
                    && ConditionSet.isTrue(t.getStatus().getConditions(), ClawrateApi.READY));
    assertEquals(ModuleDigest.of(VERSION_A), tenant.getStatus().getDigest());

    var module =
        region
            .client()
            .configMaps()
            .inNamespace(OperatorHarness.NS)
            .withName(ClusterLayout.moduleConfigMapName(ModuleDigest.of(VERSION_A)))
            .get();
    assertEquals(Boolean.TRUE, module.getImmutable());
    assertEquals("clawrate", module.getMetadata().getLabels().get(ClusterLayout.LABEL_PART_OF));
    assertEquals(
        "model-module", module.getMetadata().getLabels().get(ClusterLayout.LABEL_COMPONENT));
  }

  @Test
  void aNewModuleIsServedWithItsDigest() {
    acmeBankServedWithVersionA();
    region.applyModel("scorer", VERSION_B);
    Answer answer = awaitDigest(region.raterClient(), "acme-bank", ModuleDigest.of(VERSION_B));
    assertEquals("b", answer.json().at("/result/version").asText());
  }

  @Test
  void aModuleFromAConfigMapIsServed() {
    region
        .client()
        .configMaps()
        .inNamespace(OperatorHarness.NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("scorer-module")
                .endMetadata()
                .withBinaryData(
                    Map.of("scorer.wasm", Base64.getEncoder().encodeToString(VERSION_B)))
                .build())
        .create();
    region.applyModel("scorer", OperatorHarness.fromConfigMap("scorer-module", "scorer.wasm"));
    region.applyTenant("acme-bank", "scorer", 600);
    awaitDigest(region.raterClient(), "acme-bank", ModuleDigest.of(VERSION_B));
  }

  @Test
  void anInvalidModuleIsRefusedAndThePreviousVersionKeepsServing() {
    acmeBankServedWithVersionA();

    region.applyModel("scorer", Fixtures.module("wasi-import"));
    RatingModel model =
        Await.value(
            "Validated=False",
            () -> region.model("scorer"),
            m -> !ConditionSet.isTrue(m.getStatus().getConditions(), ClawrateApi.VALIDATED));
    Condition validated = condition(model.getStatus().getConditions(), ClawrateApi.VALIDATED);
    assertEquals("ValidationFailed", validated.getReason());
    assertTrue(
        validated.getMessage().contains("may import only env.abort"), validated.getMessage());
    assertEquals(ModuleDigest.of(VERSION_A), model.getStatus().getDigest(), "still published");
    assertEquals(
        "True", condition(model.getStatus().getConditions(), ClawrateApi.DEGRADED).getStatus());

    Answer answer = region.raterClient().rate("acme-bank", BODY);
    assertEquals(200, answer.status());
    assertEquals(ModuleDigest.of(VERSION_A), answer.json().get("digest").asText());
    var events =
        Await.value(
            "a warning event",
            () -> region.client().v1().events().inNamespace(OperatorHarness.NS).list().getItems(),
            list -> list.stream().anyMatch(e -> "ValidationFailed".equals(e.getReason())));
    assertTrue(events.stream().anyMatch(e -> "Warning".equals(e.getType())));
  }

  @Test
  void aFunctionTooLargeForTheCompilerIsReportedAndTheModelStillServes() {
    byte[] huge = HugeFunctionModule.module();
    region.applyModel("huge", huge);
    region.applyTenant("acme-bank", "huge", 600);
    // Long by design: the operator and the rater each translate a 200 KB function twice (the
    // second time leaving it to the interpreter), which takes seconds on a loaded machine.
    Await.value(
        "acme-bank is served with the huge model",
        Duration.ofSeconds(120),
        () -> region.raterClient().rate("acme-bank", BODY),
        a -> a.status() == 200 && a.json().get("digest").asText().equals(ModuleDigest.of(huge)));

    RatingModel model =
        Await.value(
            "Validated=True",
            () -> region.model("huge"),
            m ->
                m.getStatus() != null
                    && ConditionSet.isTrue(m.getStatus().getConditions(), ClawrateApi.VALIDATED));
    assertEquals(1, model.getStatus().getInterpretedFunctions());
    Condition validated = condition(model.getStatus().getConditions(), ClawrateApi.VALIDATED);
    assertEquals("InterpretedFunctions", validated.getReason());
    assertTrue(
        validated
            .getMessage()
            .endsWith(
                "1 function is too large for the JVM's compiler and runs in the interpreter, many"
                    + " times slower"),
        validated.getMessage());
  }

  @Test
  void aModuleUrlTheEgressPolicyRefusesIsNeverFetched() {
    ModuleSource source = new ModuleSource();
    source.setUrl("https://169.254.169.254/latest/meta-data/scorer.wasm");
    source.setSha256(ModuleDigest.hex(ModuleDigest.of(VERSION_A)));
    region.applyModel("metadata", source);

    RatingModel model =
        Await.value(
            "Validated=False",
            () -> region.model("metadata"),
            m ->
                m.getStatus() != null
                    && m.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals(ClawrateApi.VALIDATED)));
    Condition validated = condition(model.getStatus().getConditions(), ClawrateApi.VALIDATED);
    assertEquals("False", validated.getStatus());
    assertEquals("AddressRefused", validated.getReason());
    assertEquals(
        "module.url is refused by the operator's egress policy: a link-local address",
        validated.getMessage());
  }

  @Test
  void aTenantNamingAMissingModelGetsAConditionAndOthersAreUnaffected() {
    region.applyModel("scorer", VERSION_A);
    region.applyTenant("acme-bank", "scorer", 600);
    region.applyTenant("lost-bank", "no-such-model", 600);
    awaitDigest(region.raterClient(), "acme-bank", ModuleDigest.of(VERSION_A));
    TenantConfig lost =
        Await.value(
            "ModelResolved=False",
            () -> region.tenant("lost-bank"),
            t ->
                t.getStatus() != null
                    && t.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals(ClawrateApi.MODEL_RESOLVED)));
    Condition resolved = condition(lost.getStatus().getConditions(), ClawrateApi.MODEL_RESOLVED);
    assertEquals("False", resolved.getStatus());
    assertEquals("ModelNotFound", resolved.getReason());
    assertEquals(
        "False", condition(lost.getStatus().getConditions(), ClawrateApi.READY).getStatus());
    assertEquals(404, region.raterClient().rate("lost-bank", BODY).status());
    assertEquals(200, region.raterClient().rate("acme-bank", BODY).status());
  }

  @Test
  void aDeletedTenantIsNoLongerServed() {
    acmeBankServedWithVersionA();
    region.client().resource(region.tenant("acme-bank")).delete();
    Await.until(
        "acme-bank answers 404",
        () -> region.raterClient().rate("acme-bank", BODY).status() == 404);
  }

  @Test
  void aRestartedOperatorWritesNothingWhenNothingChanged() {
    acmeBankServedWithVersionA();
    Await.value(
        "the tenant reports Ready",
        () -> region.tenant("acme-bank"),
        t ->
            t.getStatus() != null
                && ConditionSet.isTrue(t.getStatus().getConditions(), ClawrateApi.READY));
    Map<String, String> before = resourceVersions();

    region.stopOperator();
    region.startOperator();
    Quiescence.await(region, 2);
    assertEquals(before, resourceVersions());
  }

  private Map<String, String> resourceVersions() {
    Map<String, String> versions = new TreeMap<>();
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(region.client().configMaps().inNamespace(OperatorHarness.NS).list().getItems());
    all.addAll(
        region
            .client()
            .resources(RatingModel.class)
            .inNamespace(OperatorHarness.NS)
            .list()
            .getItems());
    all.addAll(
        region
            .client()
            .resources(TenantConfig.class)
            .inNamespace(OperatorHarness.NS)
            .list()
            .getItems());
    all.addAll(region.client().v1().events().inNamespace(OperatorHarness.NS).list().getItems());
    all.forEach(
        r ->
            versions.put(
                r.getKind() + "/" + r.getMetadata().getName(),
                r.getMetadata().getResourceVersion()));
    return versions;
  }

  @Test
  void aBurstOfTenantsIsPublishedInAFewWrites() throws Exception {
    // A window wide enough that the burst fits in it however slow this machine is today: what is
    // tested is that changes within the window coalesce, not how fast 100 applies are.
    region.close();
    region =
        new OperatorHarness(
            Files.createDirectory(stateDir.resolve("wide-window")),
            OperatorHarness.settings()
                .withPublishWindow(Duration.ofSeconds(2), Duration.ofSeconds(60)));
    region.applyModel("scorer", VERSION_A);
    region.applyTenant("tenant-0", "scorer", 600);
    awaitDigest(region.raterClient(), "tenant-0", ModuleDigest.of(VERSION_A));
    long before = region.rater().live().current().revision();
    for (int i = 1; i <= 100; i++) {
      region.applyTenant("tenant-" + i, "scorer", 600);
    }
    awaitDigest(region.raterClient(), "tenant-100", ModuleDigest.of(VERSION_A));
    Await.until(
        "all 101 tenants are live", () -> region.rater().live().current().tenants().size() == 101);
    long writes = region.rater().live().current().revision() - before;
    assertTrue(writes <= 10, "100 tenants took " + writes + " snapshot writes");
  }

  @Test
  void theRaterKeepsServingThroughAnApiServerOutageAndRestartsFromItsStateDir() {
    acmeBankServedWithVersionA();
    String deadUrl = region.cluster().url();

    region.cluster().stop();
    for (int i = 0; i < 20; i++) {
      assertEquals(200, region.raterClient().rate("acme-bank", BODY).status());
    }
    try (RaterMain restarted = region.startRater(deadUrl)) {
      assertEquals(200, new RaterClient(restarted.healthPort()).get("/readyz").status());
      Answer answer = new RaterClient(restarted.port()).rate("acme-bank", BODY);
      assertEquals(200, answer.status());
      assertEquals(ModuleDigest.of(VERSION_A), answer.json().get("digest").asText());
    }
  }

  @Test
  void twentyModelUpdatesUnderEightClientsFailNoRequest() throws Exception {
    acmeBankServedWithVersionA();
    RaterClient client = region.raterClient();
    ClientLoad load = new ClientLoad(8, client, "acme-bank", BODY, Map.of());
    try (load) {
      for (int update = 1; update <= 20; update++) {
        byte[] next = update % 2 == 1 ? VERSION_B : VERSION_A;
        region.applyModel("scorer", next);
        awaitDigest(client, "acme-bank", ModuleDigest.of(next));
      }
    }
    assertEquals(List.of(), load.failures());
    assertNotNull(region.rater().live().current());
  }
}
