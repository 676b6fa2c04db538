package dev.clawrate.operator.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.status.EventRecorder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Region Secrets coming, changing and going, against the mock API server: what connects, what
 * reconnects, what is only reported.
 */
class RegionRegistryTest {

  private static final String NS = LocalCluster.NAMESPACE;

  private LocalCluster cluster;
  private KubernetesClient client;
  private RegionRegistry registry;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicBoolean leader = new AtomicBoolean(true);

  @BeforeEach
  void start() {
    cluster = LocalCluster.start(0);
    client = cluster.newClient();
    registry =
        new RegionRegistry(
            client,
            NS,
            "raters",
            new RegionRegistry.Connections() {
              @Override
              public void connect(String region, Config config, String namespace) {
                calls.add("connect " + region + " " + config.getMasterUrl() + " " + namespace);
              }

              @Override
              public void disconnect(String region) {
                calls.add("disconnect " + region);
              }
            },
            new EventRecorder(client, Clock.systemUTC()),
            leader::get,
            meters);
    registry.start();
    Await.until("the Secrets listed", registry::synced);
  }

  @AfterEach
  void stop() {
    registry.close();
    client.close();
    cluster.close();
  }

  private static String kubeconfig(String server) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: %s}
        contexts:
        - name: c
          context: {cluster: c, user: u}
        current-context: c
        users:
        - name: u
          user: {token: t0k3n}
        """
        .formatted(server);
  }

  private Secret secret(String name, String region, String kubeconfig) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels(RegionNames.LABEL, region)
        .endMetadata()
        .addToStringData("kubeconfig", kubeconfig)
        .build();
  }

  private Secret apply(Secret secret) {
    return client.secrets().inNamespace(NS).resource(secret).createOr(s -> s.update());
  }

  private double invalid() {
    return meters.get("clawrate.operator.region.secrets.invalid").gauge().value();
  }

  private List<Event> events(String secret) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> secret.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @Test
  void addedChangedAndDeletedSecretsConnectReconnectAndDisconnect() {
    apply(secret("region-eu", "eu-west", kubeconfig("https://eu.example:6443")));
    Await.until("connected", () -> calls.size() == 1);
    assertEquals("connect eu-west https://eu.example:6443/ raters", calls.get(0));

    // A label added changes nothing the connection is made of.
    Secret labelled = secret("region-eu", "eu-west", kubeconfig("https://eu.example:6443"));
    labelled.getMetadata().getLabels().put("team", "platform");
    apply(labelled);
    apply(secret("region-us", "us-east", kubeconfig("https://us.example:6443")));
    Await.until("us-east connected", () -> calls.size() == 2);
    assertEquals("connect us-east https://us.example:6443/ raters", calls.get(1));

    apply(secret("region-eu", "eu-west", kubeconfig("https://eu2.example:6443")));
    Await.until("reconnected", () -> calls.size() == 3);
    assertEquals("connect eu-west https://eu2.example:6443/ raters", calls.get(2));

    client.secrets().inNamespace(NS).withName("region-us").delete();
    Await.until("disconnected", () -> calls.size() == 4);
    assertEquals("disconnect us-east", calls.get(3));
  }

  @Test
  void aBadEditIsReportedAndTheRegionKeepsItsConnection() {
    apply(secret("region-eu", "eu-west", kubeconfig("https://eu.example:6443")));
    Await.until("connected", () -> calls.size() == 1);

    apply(secret("region-eu", "eu-west", "clusters: [ {server: t0k3n-leak"));
    Await.until("reported", () -> invalid() == 1);
    Event event =
        Await.value("an Event on the Secret", () -> events("region-eu"), e -> !e.isEmpty()).get(0);
    assertEquals("Warning", event.getType());
    assertEquals(RegionSecret.INVALID_KUBECONFIG, event.getReason());
    assertTrue(!event.getMessage().contains("t0k3n"), event.getMessage());

    apply(secret("region-eu", "eu-west", kubeconfig("https://eu.example:6443")));
    Await.until("fixed", () -> invalid() == 0);
    assertEquals(List.of("connect eu-west https://eu.example:6443/ raters"), calls);
  }

  @Test
  void twoSecretsNamingOneRegionLeaveItToTheOlder() {
    apply(secret("region-eu", "eu-west", kubeconfig("https://eu.example:6443")));
    Await.until("connected", () -> calls.size() == 1);
    apply(secret("region-eu-copy", "eu-west", kubeconfig("https://other.example:6443")));
    Await.until("the copy reported", () -> invalid() == 1);
    assertEquals(
        "DuplicateRegion",
        Await.value("an Event on the copy", () -> events("region-eu-copy"), e -> !e.isEmpty())
            .get(0)
            .getReason());
    assertEquals(List.of("connect eu-west https://eu.example:6443/ raters"), calls);
  }

  @Test
  void theHubsNameIsNotARegionSecretsToTake() {
    apply(secret("region-local", "local", kubeconfig("https://x.example:6443")));
    Await.until("reported", () -> invalid() == 1);
    assertEquals(List.of(), calls);
  }

  @Test
  void aStandbyLogsAndCountsButLeavesTheEventToTheLeader() {
    leader.set(false);
    apply(secret("region-eu", "eu-west", "not: [a kubeconfig"));
    Await.until("counted", () -> invalid() == 1);
    assertEquals(List.of(), events("region-eu"), "one Event per problem, from the leader");

    leader.set(true);
    registry.leading();
    Await.until("recorded once leading", () -> events("region-eu").size() == 1);
  }
}
