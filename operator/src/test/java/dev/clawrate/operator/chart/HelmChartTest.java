package dev.clawrate.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.rater.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * charts/clawrate as {@code helm lint} and {@code helm template} see it, with its default values
 * and with every option on (ci/full-values.yaml): what every pod runs with, what RBAC grants, which
 * optional objects appear, and that values.schema.json refuses bad values.
 */
class HelmChartTest {

  private static final List<String> OPTIONAL_KINDS =
      List.of(
          "HTTPRoute",
          "ServiceMonitor",
          "PrometheusRule",
          "NetworkPolicy",
          "HorizontalPodAutoscaler",
          "ConfigMap",
          "Secret");

  @Test
  void lintPassesWithDefaultAndFullValues() {
    ExternalTool helm = ExternalTool.find("helm");
    Path chart = RenderedChart.chart();
    helm.succeed(chart, RenderedChart.HELM_TIMEOUT, "lint", "--strict", chart.toString());
    helm.succeed(
        chart,
        RenderedChart.HELM_TIMEOUT,
        "lint",
        "--strict",
        chart.toString(),
        "-f",
        RenderedChart.fullValues().toString());
  }

  @Test
  void everyPodRunsWithoutPrivilegesOnAReadOnlyRoot() {
    for (RenderedChart rendered : List.of(RenderedChart.defaults(), RenderedChart.full())) {
      List<JsonNode> pods = rendered.podTemplates().toList();
      assertEquals(3, pods.size(), "operator, stable and canary raters");
      for (JsonNode pod : pods) {
        String name = pod.path("metadata").path("labels").path("app.kubernetes.io/name").asText();
        JsonNode spec = pod.path("spec");
        JsonNode podSecurity = spec.path("securityContext");
        assertTrue(podSecurity.path("runAsNonRoot").asBoolean(), name + " runAsNonRoot");
        assertEquals("RuntimeDefault", podSecurity.path("seccompProfile").path("type").asText());
        assertTrue(spec.path("containers").size() > 0);
        for (JsonNode container : spec.path("containers")) {
          JsonNode security = container.path("securityContext");
          assertTrue(security.path("runAsNonRoot").asBoolean(), name);
          assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name);
          assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), name);
          assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), name);
          assertEquals("RuntimeDefault", security.path("seccompProfile").path("type").asText());
          String tmpVolume = volumeMountedAt(container, "/tmp");
          assertTrue(emptyDirVolumes(spec).contains(tmpVolume), name + " has an emptyDir on /tmp");
          assertFalse(container.path("resources").path("limits").path("memory").isMissingNode());
        }
      }
    }
  }

  @Test
  void theOperatorRunsTwoReplicasWithLeaderElectionAndProbesOnItsHealthPort() {
    JsonNode operator = RenderedChart.defaults().get("Deployment", "clawrate-operator");
    assertEquals(2, operator.path("spec").path("replicas").asInt());
    JsonNode container =
        operator.path("spec").path("template").path("spec").path("containers").get(0);
    List<String> args = strings(container.path("args"));
    assertEquals("true", args.get(args.indexOf("--leader-election") + 1));
    assertEquals(RenderedChart.NAMESPACE, args.get(args.indexOf("--rater-namespace") + 1));
    assertEquals("health", container.path("ports").get(0).path("name").asText());
    assertEquals(8081, container.path("ports").get(0).path("containerPort").asInt());
    assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals("health", container.path("livenessProbe").path("httpGet").path("port").asText());
    assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("health", container.path("readinessProbe").path("httpGet").path("port").asText());
    assertEquals(
        "POD_NAME",
        container.path("env").get(0).path("name").asText(),
        "the leader-election identity");
  }

  @Test
  void moreThanOneOperatorReplicaWithoutLeaderElectionIsRefused() {
    ExternalTool.Result result = helmTemplate("--set", "operator.leaderElection=false");
    assertNotEquals(0, result.exitCode());
    assertTrue(result.stderr().contains("needs operator.leaderElection: true"), result.stderr());
  }

  @Test
  void raterTracksHaveTheirOwnDeploymentServiceAndSelector() {
    RenderedChart rendered = RenderedChart.defaults();
    for (String track : List.of("stable", "canary")) {
      JsonNode deployment = rendered.get("Deployment", "clawrate-rater-" + track);
      JsonNode container =
          deployment.path("spec").path("template").path("spec").path("containers").get(0);
      List<String> args = strings(container.path("args"));
      assertEquals(track, args.get(args.indexOf("--track") + 1));
      assertTrue(args.contains("--kube"));
      // PodProxyMetricsSource finds raters by these labels and this annotation.
      JsonNode template = deployment.path("spec").path("template").path("metadata");
      assertEquals(
          "clawrate-rater", template.path("labels").path("app.kubernetes.io/name").asText());
      assertEquals(track, template.path("labels").path("clawrate.dev/track").asText());
      assertEquals("8081", template.path("annotations").path("prometheus.io/port").asText());
      JsonNode service = rendered.get("Service", "clawrate-rater-" + track);
      assertEquals(
          track, service.path("spec").path("selector").path("clawrate.dev/track").asText());
    }
    assertTrue(
        rendered
                .get("PodDisruptionBudget", "clawrate-rater-stable")
                .path("spec")
                .path("minAvailable")
                .asInt()
            >= 1);
    assertEquals(
        "stable",
        rendered
            .get("Service", "clawrate-rater")
            .path("spec")
            .path("selector")
            .path("clawrate.dev/track")
            .asText());
  }

  @Test
  void rbacGrantsNoWildcardsAndOnlyWhatTheCodeUses() {
    for (RenderedChart rendered : List.of(RenderedChart.defaults(), RenderedChart.full())) {
      Stream.concat(rendered.ofKind("Role"), rendered.ofKind("ClusterRole"))
          .forEach(
              role -> {
                for (JsonNode rule : role.path("rules")) {
                  for (String field : List.of("apiGroups", "resources", "verbs")) {
                    assertFalse(
                        strings(rule.path(field)).contains("*"),
                        role.path("metadata").path("name").asText() + " has a wildcard " + field);
                  }
                }
              });
    }
    RenderedChart rendered = RenderedChart.defaults();
    assertEquals(
        Set.of(
            "configmaps:get",
            "configmaps:list",
            "configmaps:watch",
            "coordination.k8s.io/leases:get",
            "coordination.k8s.io/leases:create",
            "coordination.k8s.io/leases:update",
            "coordination.k8s.io/leases:patch",
            "coordination.k8s.io/leases:delete"),
        grants(rendered.get("Role", "clawrate-rater")));
    assertEquals(
        Set.of(
            "clawrate.dev/ratingmodels:get",
            "clawrate.dev/ratingmodels:list",
            "clawrate.dev/ratingmodels:watch",
            "clawrate.dev/ratingmodels:patch",
            "clawrate.dev/tenantconfigs:get",
            "clawrate.dev/tenantconfigs:list",
            "clawrate.dev/tenantconfigs:watch",
            "clawrate.dev/canaryreleases:get",
            "clawrate.dev/canaryreleases:list",
            "clawrate.dev/canaryreleases:watch",
            "clawrate.dev/ratingmodels/status:update",
            "clawrate.dev/tenantconfigs/status:update",
            "clawrate.dev/canaryreleases/status:update",
            "events:create"),
        grants(rendered.get("ClusterRole", "clawrate-operator-resources")));
    assertEquals(
        Set.of(
            "configmaps:get",
            "configmaps:list",
            "configmaps:watch",
            "configmaps:create",
            "configmaps:update",
            "configmaps:delete",
            "coordination.k8s.io/leases:get",
            "coordination.k8s.io/leases:list",
            "coordination.k8s.io/leases:watch",
            "coordination.k8s.io/leases:create",
            "coordination.k8s.io/leases:update",
            "coordination.k8s.io/leases:delete",
            "secrets:list",
            "secrets:watch",
            "events:create",
            "gateway.networking.k8s.io/httproutes:get",
            "gateway.networking.k8s.io/httproutes:update",
            "pods:list",
            "pods/proxy:get"),
        grants(rendered.get("Role", "clawrate-operator")));
    // Nothing binds the opt-in ClusterRoles by default: no ConfigMap or Secret beyond the
    // release namespace.
    assertEquals(
        List.of("clawrate-operator-resources"),
        rendered
            .ofKind("ClusterRoleBinding")
            .map(b -> b.path("metadata").path("name").asText())
            .toList());
  }

  @Test
  void aWatchNamespaceTurnsTheOperatorsClusterRoleIntoARoleThere() {
    RenderedChart rendered = RenderedChart.full();
    JsonNode role = rendered.get("Role", "clawrate-operator-resources");
    assertEquals("tenants", role.path("metadata").path("namespace").asText());
    assertFalse(
        rendered
            .ofKind("ClusterRole")
            .anyMatch(
                r ->
                    r.path("metadata")
                        .path("name")
                        .asText()
                        .equals("clawrate-operator-resources")));
    JsonNode operator = rendered.get("Deployment", "clawrate-operator");
    List<String> args =
        strings(
            operator
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("args"));
    assertEquals("tenants", args.get(args.indexOf("--namespace") + 1));
    assertTrue(args.contains("local=http://prometheus.monitoring.svc:9090"), args.toString());
  }

  @Test
  void theHeartbeatPolicyNamesTheRaterServiceAccountOfTheReleaseNamespace() {
    JsonNode policy =
        RenderedChart.defaults()
            .get(
                "ValidatingAdmissionPolicy",
                "clawrate-rater-heartbeats-" + RenderedChart.NAMESPACE);
    assertTrue(
        policy
            .path("spec")
            .path("matchConditions")
            .get(0)
            .path("expression")
            .asText()
            .contains("system:serviceaccount:" + RenderedChart.NAMESPACE + ":clawrate-rater"));
  }

  @Test
  void optionalObjectsAppearOnlyWhenEnabled() {
    RenderedChart defaults = RenderedChart.defaults();
    RenderedChart full = RenderedChart.full();
    for (String kind : OPTIONAL_KINDS) {
      assertFalse(defaults.has(kind), kind + " rendered by default");
      assertTrue(full.has(kind), kind + " not rendered with every option on");
    }
    assertEquals(2, full.ofKind("HorizontalPodAutoscaler").count());
    for (String track : List.of("stable", "canary")) {
      assertTrue(
          full.get("Deployment", "clawrate-rater-" + track)
              .path("spec")
              .path("replicas")
              .isMissingNode(),
          "an autoscaled Deployment leaves replicas to its HPA");
    }
    assertEquals(
        "1",
        full.get("ConfigMap", "clawrate-dashboard")
            .path("metadata")
            .path("labels")
            .path("grafana_dashboard")
            .asText());
    assertTrue(full.get("ServiceAccount", "clawrate-hub").isObject());
    assertEquals(
        "kubernetes.io/service-account-token",
        full.get("Secret", "clawrate-hub-token").path("type").asText());
    RenderedChart member =
        RenderedChart.render("--set", "operator.enabled=false", "--set", "hubAccess.enabled=true");
    assertFalse(
        member
            .ofKind("Deployment")
            .anyMatch(d -> d.path("metadata").path("name").asText().equals("clawrate-operator")));
    assertFalse(
        member.ofKind("ClusterRole").findAny().isPresent(), "a member grants nothing cluster-wide");
  }

  @Test
  void theHttpRouteSplitsBetweenStableAndCanaryByWeight() {
    JsonNode route = RenderedChart.full().get("HTTPRoute", "clawrate-raters");
    JsonNode refs = route.path("spec").path("rules").get(0).path("backendRefs");
    assertEquals("clawrate-rater-stable", refs.get(0).path("name").asText());
    assertEquals(100, refs.get(0).path("weight").asInt());
    assertEquals("clawrate-rater-canary", refs.get(1).path("name").asText());
    assertEquals(0, refs.get(1).path("weight").asInt());
    assertEquals(
        "clawrate-gateway", route.path("spec").path("parentRefs").get(0).path("name").asText());
    assertEquals(
        "gateways", route.path("spec").path("parentRefs").get(0).path("namespace").asText());
  }

  /**
   * The chart alerts on what matters: a rater down, snapshots failing to load, fallbacks answering,
   * reconciles failing. That each metric they read is exported is checked against a real operator
   * and real raters in the local run's DashboardMetricsTest.
   */
  @Test
  void thePrometheusRuleCoversTheFailuresThatMatter() {
    JsonNode rule = RenderedChart.full().get("PrometheusRule", "clawrate");
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      for (JsonNode alert : group.path("rules")) {
        alerts.add(alert.path("alert").asText());
        assertFalse(alert.path("expr").asText().isBlank(), alert.toString());
      }
    }
    assertTrue(
        alerts.containsAll(
            List.of(
                "ClawrateRaterDown",
                "ClawrateSnapshotReloadFailing",
                "ClawrateFallbackAnswers",
                "ClawrateOperatorReconcileErrors")),
        alerts.toString());
  }

  @Test
  void theSchemaRefusesAValueOfTheWrongType() {
    ExternalTool.Result wrongType = helmTemplate("--set", "operator.replicas=two");
    assertNotEquals(0, wrongType.exitCode());
    assertTrue(
        wrongType.stderr().contains("don't meet the specifications of the schema"),
        wrongType.stderr());
    assertTrue(wrongType.stderr().contains("/operator/replicas"), wrongType.stderr());
    ExternalTool.Result unknown = helmTemplate("--set", "raters.tracks.stable.replica=3");
    assertNotEquals(0, unknown.exitCode());
    assertTrue(unknown.stderr().contains("replica"), unknown.stderr());
    ExternalTool.Result badEnum = helmTemplate("--set", "raters.image.pullPolicy=Sometimes");
    assertNotEquals(0, badEnum.exitCode());
    assertTrue(badEnum.stderr().contains("/raters/image/pullPolicy"), badEnum.stderr());
  }

  @Test
  void theChartsCrdsAreTheGeneratedOnes() throws IOException {
    Path generated = ExternalTool.repositoryRoot().resolve("crds");
    Path inChart = RenderedChart.chart().resolve("crds");
    List<String> names;
    try (Stream<Path> files = Files.list(generated)) {
      names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yml"))
              .sorted()
              .toList();
    }
    List<String> chartNames;
    try (Stream<Path> files = Files.list(inChart)) {
      chartNames = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(names, chartNames);
    for (String name : names) {
      assertEquals(
          Files.readString(generated.resolve(name)),
          Files.readString(inChart.resolve(name)),
          name + ": run the build (it copies crds/ into the chart)");
    }
  }

  private static ExternalTool.Result helmTemplate(String... extraArgs) {
    List<String> args = new ArrayList<>(RenderedChart.templateArgs());
    args.addAll(List.of(extraArgs));
    return ExternalTool.find("helm")
        .run(RenderedChart.chart(), null, RenderedChart.HELM_TIMEOUT, args.toArray(String[]::new));
  }

  /** "group/resource:verb" for each resource and verb a Role grants ("resource:verb" in core). */
  private static Set<String> grants(JsonNode role) {
    Set<String> grants = new TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      for (String group : strings(rule.path("apiGroups"))) {
        for (String resource : strings(rule.path("resources"))) {
          for (String verb : strings(rule.path("verbs"))) {
            grants.add((group.isEmpty() ? "" : group + "/") + resource + ":" + verb);
          }
        }
      }
    }
    return grants;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static String volumeMountedAt(JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (path.equals(mount.path("mountPath").asText())) {
        return mount.path("name").asText();
      }
    }
    throw new AssertionError(container.path("name").asText() + " mounts nothing at " + path);
  }

  private static Set<String> emptyDirVolumes(JsonNode podSpec) {
    Set<String> names = new TreeSet<>();
    for (JsonNode volume : podSpec.path("volumes")) {
      if (volume.has("emptyDir")) {
        names.add(volume.path("name").asText());
      }
    }
    return names;
  }
}
