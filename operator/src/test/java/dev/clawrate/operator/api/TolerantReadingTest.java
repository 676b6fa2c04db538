package dev.clawrate.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Spec and status are read strictly but never make reading a resource fail: what cannot be read is
 * named by path, kept, and written back unchanged.
 */
class TolerantReadingTest {

  /** What fabric8's clients read and write with (its ObjectMapper fails on unknown fields). */
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SECRET = "s3cr3t-value";

  private static final String GOOD_TENANT_SPEC =
      "{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":650,\"parameters\":{\"floor\":300}}";

  private static final String GOOD_MODEL_SPEC =
      "{\"module\":{\"inline\":\"AGFzbQEAAAA=\"},\"limits\":{\"timeoutMillis\":50}}";

  private static String tenantJson(String spec, String status) {
    return "{\"apiVersion\":\"clawrate.dev/v1alpha1\",\"kind\":\"TenantConfig\","
        + "\"metadata\":{\"name\":\"acme\",\"namespace\":\"team-a\"}"
        + (spec == null ? "" : ",\"spec\":" + spec)
        + (status == null ? "" : ",\"status\":" + status)
        + "}";
  }

  private static String modelJson(String spec) {
    return "{\"apiVersion\":\"clawrate.dev/v1alpha1\",\"kind\":\"RatingModel\","
        + "\"metadata\":{\"name\":\"scorer\",\"namespace\":\"team-a\"},\"spec\":"
        + spec
        + "}";
  }

  private static TenantConfig tenant(String spec) {
    return SERIALIZATION.unmarshal(tenantJson(spec, null), TenantConfig.class);
  }

  private static RatingModel model(String spec) {
    return SERIALIZATION.unmarshal(modelJson(spec), RatingModel.class);
  }

  /** The problem, checked for what every problem must be: bounded, one line, no value. */
  private static String specProblemOf(TolerantCustomResource<?, ?> resource) {
    String problem = resource.specProblem();
    assertNotNull(problem, "the spec should be unreadable");
    assertNull(resource.getSpec());
    assertSafe(problem);
    return problem;
  }

  private static void assertSafe(String problem) {
    assertTrue(problem.length() <= ReadProblems.MAX_LENGTH, problem);
    assertTrue(problem.chars().allMatch(c -> c >= 0x20 && c < 0x7f), problem);
    assertFalse(problem.contains(SECRET), problem);
  }

  private static JsonNode tree(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void aReadableSpecHasNoProblem() {
    TenantConfig tenant = tenant(GOOD_TENANT_SPEC);
    assertNull(tenant.specProblem());
    assertNull(tenant.statusProblem());
    assertEquals(650.0, tenant.getSpec().getThreshold());
    assertEquals("scorer", tenant.getSpec().getModelRef().getName());
    assertEquals(300, tenant.getSpec().getParameters().get("floor").asInt());
  }

  @Test
  void anUnknownSpecFieldMakesTheSpecUnreadable() {
    TenantConfig tenant =
        tenant(
            "{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":650,\"futureField\":\""
                + SECRET
                + "\"}");
    assertEquals(
        "spec.futureField is not a field this operator knows (the CRD may be newer than the"
            + " operator)",
        specProblemOf(tenant));
  }

  @Test
  void anUnknownNestedFieldIsNamedByItsPath() {
    assertEquals(
        "spec.limits.cpuShares is not a field this operator knows (the CRD may be newer than the"
            + " operator)",
        specProblemOf(model("{\"module\":{\"inline\":\"AA==\"},\"limits\":{\"cpuShares\":2}}")));
  }

  @Test
  void aWrongTypeAtTheTopOfTheSpec() {
    assertEquals(
        "spec.threshold must be a number",
        specProblemOf(tenant("{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":\"abc\"}")));
    assertEquals(
        "spec.threshold must be a number",
        specProblemOf(
            tenant("{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":\"" + SECRET + "\"}")));
  }

  @Test
  void aWrongTypeDeeperInTheSpec() {
    assertEquals(
        "spec.limits.timeoutMillis must be a whole number",
        specProblemOf(
            model("{\"module\":{\"inline\":\"AA==\"},\"limits\":{\"timeoutMillis\":\"x\"}}")));
    assertEquals("spec.module must be an object", specProblemOf(model("{\"module\":[]}")));
    assertEquals(
        "spec.auth.apiKeySha256[1] must be a string",
        specProblemOf(
            tenant(
                "{\"modelRef\":{\"name\":\"s\"},\"threshold\":1,"
                    + "\"auth\":{\"apiKeySha256\":[\"ab\",{\"k\":\""
                    + SECRET
                    + "\"}]}}")));
    assertEquals(
        "spec.auth.apiKeySha256 must be a list",
        specProblemOf(
            tenant(
                "{\"modelRef\":{\"name\":\"s\"},\"threshold\":1,"
                    + "\"auth\":{\"apiKeySha256\":\""
                    + SECRET
                    + "\"}}")));
  }

  @Test
  void aSpecThatIsNotAnObject() {
    assertEquals("spec must be an object", specProblemOf(tenant("\"" + SECRET + "\"")));
    assertEquals("spec must be an object", specProblemOf(tenant("[1,2]")));
    assertEquals("spec must be an object", specProblemOf(model("42")));
  }

  @Test
  void valuesTheSchemaWouldRefuseAreNotConverted() {
    assertEquals(
        "spec.threshold must be a number",
        specProblemOf(tenant("{\"modelRef\":{\"name\":\"s\"},\"threshold\":\"650\"}")));
    assertEquals(
        "spec.threshold must be a number",
        specProblemOf(tenant("{\"modelRef\":{\"name\":\"s\"},\"threshold\":\"\"}")));
    assertEquals(
        "spec.limits.timeoutMillis must be a whole number",
        specProblemOf(
            model("{\"module\":{\"inline\":\"AA==\"},\"limits\":{\"timeoutMillis\":1.5}}")));
    assertEquals(
        "spec.entrypoint must be a string",
        specProblemOf(model("{\"module\":{\"inline\":\"AA==\"},\"entrypoint\":5}")));
    assertEquals(
        "spec.modelRef.name must be a string",
        specProblemOf(tenant("{\"modelRef\":{\"name\":true},\"threshold\":1}")));
    assertEquals(
        "spec.limits.timeoutMillis is out of range",
        specProblemOf(
            model(
                "{\"module\":{\"inline\":\"AA==\"},\"limits\":{\"timeoutMillis\":99999999999}}")));
  }

  @Test
  void aHugeFieldNameIsCutShort() {
    String name = "x".repeat(10_000);
    String problem = specProblemOf(tenant("{\"" + name + "\":1}"));
    assertEquals(
        "spec." + "x".repeat(ReadProblems.MAX_NAME_LENGTH) + "..." + ReadProblems.UNKNOWN_FIELD,
        problem);
  }

  @Test
  void controlCharactersAndQuotesInAFieldNameAreDefused() {
    String problem =
        specProblemOf(tenant("{\"evil\\nname\\u0000\\u001b[31m\\\"é\":\"" + SECRET + "\"}"));
    assertEquals("spec.evil?name???31m??" + ReadProblems.UNKNOWN_FIELD, problem);
  }

  @Test
  void anUnreadableStatusLeavesTheSpecReadable() {
    TenantConfig tenant =
        SERIALIZATION.unmarshal(
            tenantJson(GOOD_TENANT_SPEC, "{\"conditions\":\"" + SECRET + "\"}"),
            TenantConfig.class);
    assertNull(tenant.specProblem());
    assertEquals(650.0, tenant.getSpec().getThreshold());
    assertEquals("status.conditions must be a list", tenant.statusProblem());
    assertNull(tenant.getStatus());
  }

  @Test
  void aNullSpecIsAbsentNotUnreadable() {
    TenantConfig tenant = tenant("null");
    assertNull(tenant.getSpec());
    assertNull(tenant.specProblem());
  }

  @Test
  void anUnreadableSpecIsWrittenBackUnchanged() throws Exception {
    String spec = "{\"modelRef\":{\"name\":\"s\"},\"threshold\":\"abc\",\"futureField\":[1,{}]}";
    TenantConfig tenant = tenant(spec);
    JsonNode written = tree(SERIALIZATION.asJson(tenant));
    assertEquals(tree(spec), written.get("spec"));
    assertEquals("TenantConfig", written.get("kind").asText());
    assertEquals("acme", written.at("/metadata/name").asText());
  }

  @Test
  void theProblemSurvivesTheClonesOfTheClientAndOfTheOperatorSdk() throws Exception {
    String spec = "{\"modelRef\":{\"name\":\"s\"},\"threshold\":1,\"futureField\":1}";
    TenantConfig tenant = tenant(spec);
    for (TenantConfig clone :
        List.of(
            SERIALIZATION.clone(tenant), Serialization.clone(tenant), plainJacksonClone(tenant))) {
      assertEquals(tenant.specProblem(), clone.specProblem());
      assertNull(clone.getSpec());
      assertEquals(tree(spec), tree(SERIALIZATION.asJson(clone)).get("spec"));
      assertEquals(tenant, clone);
    }
  }

  @Test
  void writingAnUnreadableResourceLogsNothingOfIt() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    root.addAppender(logged);
    try {
      TenantConfig tenant = tenant("{\"threshold\":\"" + SECRET + "\",\"futureField\":1}");
      SERIALIZATION.asJson(SERIALIZATION.clone(tenant));
      Serialization.clone(tenant);
    } finally {
      root.detachAppender(logged);
    }
    logged.list.forEach(
        event -> assertFalse(event.getFormattedMessage().contains(SECRET), event.toString()));
  }

  /** A plain Jackson round trip, as any other mapper would do it. */
  private static TenantConfig plainJacksonClone(TenantConfig tenant) throws Exception {
    return JSON.readValue(JSON.writeValueAsString(tenant), TenantConfig.class);
  }

  @Test
  void aNewStatusOnAnUnreadableSpecKeepsTheSpecAsWritten() throws Exception {
    String spec = "{\"module\":[],\"futureField\":1}";
    RatingModel model = model(spec);
    RatingModel copy = Serialization.clone(model);
    RatingModelStatus status = new RatingModelStatus();
    status.setMessage("refused");
    copy.setStatus(status);
    JsonNode written = tree(SERIALIZATION.asJson(copy));
    assertEquals(tree(spec), written.get("spec"));
    assertEquals("refused", written.at("/status/message").asText());
  }

  @Test
  void aNewStatusReplacesAnUnreadableOne() throws Exception {
    TenantConfig tenant =
        SERIALIZATION.unmarshal(
            tenantJson(GOOD_TENANT_SPEC, "{\"digest\":[1],\"futureField\":2}"), TenantConfig.class);
    assertEquals("status.digest must be a string", tenant.statusProblem());
    TenantConfigStatus status = new TenantConfigStatus();
    status.setDigest("sha256:" + "ab".repeat(32));
    tenant.setStatus(status);
    assertNull(tenant.statusProblem());
    String json = SERIALIZATION.asJson(tenant);
    assertEquals(1, json.split("\"status\"", -1).length - 1, json);
    assertEquals(status.getDigest(), tree(json).at("/status/digest").asText());
    assertFalse(json.contains("futureField"), json);
  }

  @Test
  void aNewSpecReplacesAnUnreadableOne() throws Exception {
    TenantConfig tenant = tenant("{\"threshold\":\"abc\"}");
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef("scorer"));
    spec.setThreshold(600.0);
    tenant.setSpec(spec);
    assertNull(tenant.specProblem());
    String json = SERIALIZATION.asJson(tenant);
    assertEquals(1, json.split("\"spec\"", -1).length - 1, json);
    assertEquals(600.0, tree(json).at("/spec/threshold").asDouble());
  }

  @Test
  void topLevelFieldsOfNoKnownMeaningAreKeptWithoutAProblem() throws Exception {
    ObjectNode json = (ObjectNode) tree(tenantJson(GOOD_TENANT_SPEC, null));
    json.put("data", SECRET);
    TenantConfig tenant = SERIALIZATION.unmarshal(json.toString(), TenantConfig.class);
    assertNull(tenant.specProblem());
    assertEquals(650.0, tenant.getSpec().getThreshold());
    assertEquals(SECRET, tree(SERIALIZATION.asJson(tenant)).get("data").asText());
  }

  @Test
  void resourcesDifferingOnlyInWhatCouldNotBeReadAreNotEqual() {
    TenantConfig one = tenant("{\"futureField\":1}");
    TenantConfig other = tenant("{\"futureField\":2}");
    assertEquals(one.specProblem(), other.specProblem());
    assertNotEquals(one, other);
    assertEquals(one, tenant("{\"futureField\":1}"));
    assertEquals(one.hashCode(), tenant("{\"futureField\":1}").hashCode());
  }

  @Test
  void aReadableModelRoundTrips() throws Exception {
    RatingModel model = model(GOOD_MODEL_SPEC);
    assertNull(model.specProblem());
    assertEquals(50, model.getSpec().getLimits().getTimeoutMillis());
    assertEquals(tree(GOOD_MODEL_SPEC), tree(SERIALIZATION.asJson(model)).get("spec"));
  }
}
