package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.local.LocalCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@link SnapshotPublisher} against a real (mock) API server over HTTP. */
class SnapshotPublisherTest {

  private static final String DIGEST_A = "sha256:" + "a".repeat(64);
  private static final String DIGEST_B = "sha256:" + "b".repeat(64);
  private static final String NAME = ClusterLayout.snapshotConfigMapName("stable");

  private static LocalCluster cluster;
  private String namespace;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void freshNamespace(TestInfo info) {
    namespace = "ns-" + info.getTestMethod().orElseThrow().getName().toLowerCase();
  }

  static SnapshotDocument document(String digest, int tenants) {
    Map<String, TenantEntry> entries = new TreeMap<>();
    ObjectNode parameters = JsonNodeFactory.instance.objectNode().put("baseRateBps", 450);
    for (int i = 0; i < tenants; i++) {
      entries.put(
          String.format("tenant-%05d", i),
          new TenantEntry(
              "scorecard", 600 + i % 100, i % 2 == 0 ? parameters : empty(), List.of()));
    }
    return new SnapshotDocument(
        0,
        "stable",
        Map.of("scorecard", new ModelEntry(digest, "rate", ModelLimits.DEFAULTS)),
        entries);
  }

  private static ObjectNode empty() {
    return JsonNodeFactory.instance.objectNode();
  }

  private ConfigMap stored() {
    return cluster.client().configMaps().inNamespace(namespace).withName(NAME).get();
  }

  private static SnapshotDocument decode(ConfigMap configMap) throws Exception {
    return SnapshotCodec.read(ClusterLayout.load(configMap.getData(), configMap.getBinaryData()));
  }

  /** A hand edit of the stored snapshot ConfigMap, as kubectl edit would make it. */
  private void editStored(java.util.function.UnaryOperator<ConfigMapBuilder> edit) {
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .withName(NAME)
        .edit(cm -> edit.apply(new ConfigMapBuilder(cm)).build());
  }

  /** {@code document} as the data a snapshot ConfigMap holds, at {@code revision}. */
  private static Map<String, String> data(SnapshotDocument document, long revision) {
    return ClusterLayout.store(
            SnapshotCodec.write(SnapshotPublisher.withRevision(document, revision)))
        .data();
  }

  private SnapshotPublisher publisher(KubernetesClient client) {
    return new SnapshotPublisher(client, namespace, "local", () -> -1);
  }

  @Test
  void aDeletedSnapshotComesBackAboveTheLastRevision() throws Exception {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 1));
    publisher.publish(document(DIGEST_B, 1));
    ConfigMap before = stored();
    cluster.client().configMaps().inNamespace(namespace).withName(NAME).delete();

    assertTrue(publisher.changedInCluster(before, true));
    SnapshotPublisher.Result result = publisher.publish(document(DIGEST_B, 1));

    assertTrue(result.written());
    assertEquals(3, result.revision(), "never restarts at 1, which raters would refuse");
    assertEquals(3, decode(stored()).revision());
  }

  @Test
  void aRevisionAboveWhatRatersSawIsChosenEvenForAFreshPublisher() throws Exception {
    // A restarted operator, the snapshot ConfigMap gone, raters holding revision 41.
    SnapshotPublisher publisher =
        new SnapshotPublisher(cluster.client(), namespace, "local", () -> 41);
    SnapshotPublisher.Result result = publisher.publish(document(DIGEST_A, 1));
    assertEquals(42, result.revision());
  }

  @Test
  void theSameContentIsWrittenAgainWhenRatersHoldAHigherRevision() throws Exception {
    publisher(cluster.client()).publish(document(DIGEST_A, 1));
    AtomicInteger ratersSaw = new AtomicInteger(-1);
    SnapshotPublisher publisher =
        new SnapshotPublisher(cluster.client(), namespace, "local", ratersSaw::get);
    assertFalse(publisher.publish(document(DIGEST_A, 1)).written());

    ratersSaw.set(9); // the ConfigMap was replaced by a lower revision behind our back
    SnapshotPublisher.Result result = publisher.publish(document(DIGEST_A, 1));

    assertTrue(result.written());
    assertEquals(10, result.revision());
  }

  @Test
  void ownWritesAreRecognisedAndOthersAreNot() {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 1));
    assertFalse(publisher.changedInCluster(stored(), false));

    editStored(cm -> cm.addToData("extra", "hand edit"));
    assertTrue(publisher.changedInCluster(stored(), false));
  }

  @Test
  void aHandEditedSnapshotIsRewrittenWithTheNextRevision() throws Exception {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 1));
    editStored(cm -> cm.withData(data(document(DIGEST_B, 5), 1)));
    assertTrue(publisher.changedInCluster(stored(), false));

    SnapshotPublisher.Result result = publisher.publish(document(DIGEST_A, 1));

    assertTrue(result.written());
    assertEquals(2, result.revision());
    assertEquals(SnapshotPublisher.withRevision(document(DIGEST_A, 1), 2), decode(stored()));
  }

  @Test
  void strippedLabelsAreRestored() throws Exception {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 1));
    editStored(cm -> cm.editMetadata().withLabels(null).endMetadata());
    publisher.changedInCluster(stored(), true);

    publisher.publish(document(DIGEST_A, 1));

    assertEquals(ClusterLayout.snapshotLabels("stable"), stored().getMetadata().getLabels());
  }

  @Test
  void aPublisherThatKnowsTheClusterWritesWithoutReadingFirst() throws Exception {
    AtomicInteger gets = new AtomicInteger();
    try (KubernetesClient counting =
        clientThatRunsBefore("GET", request -> gets.incrementAndGet())) {
      SnapshotPublisher publisher = publisher(counting);
      publisher.publish(document(DIGEST_A, 1));
      int afterFirst = gets.get();
      SnapshotPublisher.Result second = publisher.publish(document(DIGEST_B, 1));
      assertTrue(second.written());
      assertEquals(2, second.revision());
      assertEquals(afterFirst, gets.get(), "no read before the second write");
      assertEquals(SnapshotPublisher.withRevision(document(DIGEST_B, 1), 2), decode(stored()));
    }
  }

  @Test
  void aWriteByAnotherHandMeanwhileIsReadAndWrittenAbove() throws Exception {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 1));
    // Someone else writes revision 7 and the watch has not told this publisher yet.
    editStored(
        cm ->
            cm.editMetadata()
                .addToAnnotations(ClusterLayout.ANNOTATION_REVISION, "7")
                .endMetadata()
                .withData(data(document(DIGEST_A, 3), 7)));

    SnapshotPublisher.Result stale = publisher.publish(document(DIGEST_B, 1));
    assertTrue(stale.stale(), "the conflict says the region is not as this publisher left it");
    assertFalse(stale.written());

    SnapshotPublisher.Result result = publisher.publish(document(DIGEST_B, 1));
    assertTrue(result.written());
    assertEquals(8, result.revision(), "above what the other hand wrote");
    assertEquals(SnapshotPublisher.withRevision(document(DIGEST_B, 1), 8), decode(stored()));
  }

  @Test
  void firstPublishCreatesRevisionOneWithLabelsAndAnnotation() throws Exception {
    SnapshotPublisher publisher = publisher(cluster.client());
    SnapshotPublisher.Result result = publisher.publish(document(DIGEST_A, 2));

    assertTrue(result.written());
    assertEquals(1, result.revision());
    assertTrue(result.bytes() > 0);
    assertEquals(1, publisher.lastRevision());

    ConfigMap configMap = stored();
    assertNotNull(configMap);
    assertEquals(ClusterLayout.snapshotLabels("stable"), configMap.getMetadata().getLabels());
    assertEquals(
        "1", configMap.getMetadata().getAnnotations().get(ClusterLayout.ANNOTATION_REVISION));
    assertTrue(configMap.getData().containsKey(ClusterLayout.SNAPSHOT_KEY));
    assertTrue(configMap.getBinaryData() == null || configMap.getBinaryData().isEmpty());
    SnapshotDocument read = decode(configMap);
    assertEquals(1, read.revision());
    assertEquals(SnapshotPublisher.withRevision(document(DIGEST_A, 2), 1), read);
  }

  @Test
  void samePublishTwiceWritesNothing() {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 2));
    String version = stored().getMetadata().getResourceVersion();

    SnapshotPublisher.Result again = publisher.publish(document(DIGEST_A, 2));

    assertFalse(again.written());
    assertEquals(1, again.revision());
    assertEquals(version, stored().getMetadata().getResourceVersion());
  }

  @Test
  void aRestartedPublisherReadsAndComparesInsteadOfWriting() {
    publisher(cluster.client()).publish(document(DIGEST_A, 3));
    String version = stored().getMetadata().getResourceVersion();

    // A new instance, as after an operator restart: it knows nothing and must read the cluster.
    SnapshotPublisher restarted = publisher(cluster.client());
    assertEquals(-1, restarted.lastRevision());
    SnapshotPublisher.Result result = restarted.publish(document(DIGEST_A, 3));

    assertFalse(result.written());
    assertEquals(1, result.revision());
    assertEquals(1, restarted.lastRevision());
    assertEquals(version, stored().getMetadata().getResourceVersion());
  }

  @Test
  void forgetMakesTheNextPublishReadTheClusterAgainWithoutWriting() {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 1));
    String version = stored().getMetadata().getResourceVersion();
    publisher.forget();
    assertEquals(-1, publisher.lastRevision());
    assertFalse(publisher.publish(document(DIGEST_A, 1)).written());
    assertEquals(version, stored().getMetadata().getResourceVersion());
  }

  @Test
  void aChangedDocumentWritesTheNextRevision() throws Exception {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 2));
    String version = stored().getMetadata().getResourceVersion();

    SnapshotPublisher.Result result = publisher.publish(document(DIGEST_B, 2));

    assertTrue(result.written());
    assertEquals(2, result.revision());
    ConfigMap configMap = stored();
    assertFalse(version.equals(configMap.getMetadata().getResourceVersion()));
    assertEquals(
        "2", configMap.getMetadata().getAnnotations().get(ClusterLayout.ANNOTATION_REVISION));
    assertEquals(DIGEST_B, decode(configMap).models().get("scorecard").digest());
    assertEquals(2, decode(configMap).revision());

    // And a restarted publisher continues from the stored revision.
    SnapshotPublisher restarted = publisher(cluster.client());
    assertEquals(3, restarted.publish(document(DIGEST_A, 2)).revision());
  }

  @Test
  void theRenderedRevisionIsIgnored() {
    SnapshotPublisher publisher = publisher(cluster.client());
    publisher.publish(document(DIGEST_A, 1));
    SnapshotDocument sameContentOtherRevision =
        SnapshotPublisher.withRevision(document(DIGEST_A, 1), 42);
    SnapshotPublisher.Result result = publisher(cluster.client()).publish(sameContentOtherRevision);
    assertFalse(result.written());
    assertEquals(1, result.revision());
  }

  @Test
  void unreadableSnapshotIsReplacedContinuingFromItsRevisionAnnotation() throws Exception {
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .addToAnnotations(ClusterLayout.ANNOTATION_REVISION, "9")
                .endMetadata()
                .addToData(ClusterLayout.SNAPSHOT_KEY, "{not json")
                .build())
        .create();
    SnapshotPublisher.Result result = publisher(cluster.client()).publish(document(DIGEST_A, 1));
    assertTrue(result.written());
    assertEquals(10, result.revision());
    assertEquals(10, decode(stored()).revision());
  }

  @Test
  void tenThousandTenantsAreStoredGzippedUnderOneMebibyte() throws Exception {
    SnapshotDocument big = document(DIGEST_A, 10_000);
    int plainBytes = SnapshotCodec.write(big).length;
    assertTrue(
        plainBytes > ClusterLayout.PLAIN_SNAPSHOT_MAX_BYTES,
        "the test document must be over the plain limit, is " + plainBytes);

    SnapshotPublisher publisher = publisher(cluster.client());
    SnapshotPublisher.Result result = publisher.publish(big);
    assertTrue(result.written());

    ConfigMap configMap = stored();
    assertTrue(
        configMap.getData() == null
            || !configMap.getData().containsKey(ClusterLayout.SNAPSHOT_KEY));
    assertNotNull(configMap.getBinaryData());
    assertTrue(configMap.getBinaryData().containsKey(ClusterLayout.SNAPSHOT_GZIP_KEY));
    int objectBytes = Serialization.asJson(configMap).getBytes(StandardCharsets.UTF_8).length;
    assertTrue(objectBytes < 1024 * 1024, "snapshot ConfigMap is " + objectBytes + " bytes");

    SnapshotDocument read = decode(configMap);
    assertEquals(10_000, read.tenants().size());
    assertEquals(SnapshotPublisher.withRevision(big, 1), read);

    // Unchanged: no write, also through a fresh publisher that has to gunzip to compare.
    String version = configMap.getMetadata().getResourceVersion();
    assertFalse(publisher(cluster.client()).publish(big).written());
    assertEquals(version, stored().getMetadata().getResourceVersion());
  }

  @Test
  void aConcurrentUpdateBetweenReadAndWriteIsRetried() throws Exception {
    publisher(cluster.client()).publish(document(DIGEST_A, 1));
    SnapshotDocument theirs = SnapshotPublisher.withRevision(document(DIGEST_B, 5), 5);
    AtomicInteger interfered = new AtomicInteger();
    try (KubernetesClient racing =
        clientThatRunsBefore(
            "PUT",
            request -> {
              if (interfered.getAndIncrement() == 0) {
                // Another writer stores revision 5 between our read and our update.
                cluster
                    .client()
                    .configMaps()
                    .inNamespace(namespace)
                    .withName(NAME)
                    .edit(
                        cm ->
                            new ConfigMapBuilder(cm)
                                .editMetadata()
                                .addToAnnotations(ClusterLayout.ANNOTATION_REVISION, "5")
                                .endMetadata()
                                .withData(ClusterLayout.store(SnapshotCodec.write(theirs)).data())
                                .build());
              }
            })) {
      SnapshotPublisher publisher = publisher(racing);
      SnapshotPublisher.Result result = publisher.publish(document(DIGEST_A, 2));

      assertTrue(result.written());
      assertEquals(2, interfered.get(), "one conflicting update and one retried update");
      assertEquals(6, result.revision(), "continues after the concurrent writer's revision");
      SnapshotDocument read = decode(stored());
      assertEquals(SnapshotPublisher.withRevision(document(DIGEST_A, 2), 6), read);
    }
  }

  @Test
  void aConcurrentCreateIsRetried() throws Exception {
    SnapshotDocument theirs = SnapshotPublisher.withRevision(document(DIGEST_B, 1), 3);
    AtomicInteger interfered = new AtomicInteger();
    AtomicReference<String> createdBy = new AtomicReference<>();
    try (KubernetesClient racing =
        clientThatRunsBefore(
            "POST",
            request -> {
              if (interfered.getAndIncrement() == 0) {
                ClusterLayout.StoredSnapshot stored =
                    ClusterLayout.store(SnapshotCodec.write(theirs));
                createdBy.set(
                    cluster
                        .client()
                        .configMaps()
                        .inNamespace(namespace)
                        .resource(
                            new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName(NAME)
                                .withNamespace(namespace)
                                .addToAnnotations(ClusterLayout.ANNOTATION_REVISION, "3")
                                .endMetadata()
                                .withData(stored.data())
                                .build())
                        .create()
                        .getMetadata()
                        .getResourceVersion());
              }
            })) {
      SnapshotPublisher.Result result = publisher(racing).publish(document(DIGEST_A, 1));
      assertTrue(result.written());
      assertEquals(4, result.revision());
      assertEquals(1, interfered.get(), "the retry updates, it does not create again");
      assertEquals(4, decode(stored()).revision());
      assertEquals(DIGEST_A, decode(stored()).models().get("scorecard").digest());
    }
  }

  @Test
  void aConcurrentWriterWithTheSameContentMeansNoWrite() throws Exception {
    publisher(cluster.client()).publish(document(DIGEST_A, 1));
    SnapshotDocument wanted = document(DIGEST_B, 1);
    AtomicInteger puts = new AtomicInteger();
    try (KubernetesClient racing =
        clientThatRunsBefore(
            "PUT",
            request -> {
              if (puts.getAndIncrement() == 0) {
                // Another operator instance publishes the very same content first, as revision 2.
                cluster
                    .client()
                    .configMaps()
                    .inNamespace(namespace)
                    .withName(NAME)
                    .edit(
                        cm ->
                            new ConfigMapBuilder(cm)
                                .editMetadata()
                                .addToAnnotations(ClusterLayout.ANNOTATION_REVISION, "2")
                                .endMetadata()
                                .withData(
                                    ClusterLayout.store(
                                            SnapshotCodec.write(
                                                SnapshotPublisher.withRevision(wanted, 2)))
                                        .data())
                                .build());
              }
            })) {
      SnapshotPublisher.Result result = publisher(racing).publish(wanted);
      assertFalse(result.written());
      assertEquals(2, result.revision());
      assertEquals(1, puts.get());
    }
  }

  /**
   * A client of the cluster that calls {@code before} just before sending each request of {@code
   * method} to the snapshot ConfigMap: the window between the publisher's read and its write.
   */
  private KubernetesClient clientThatRunsBefore(String method, Consumer<Request> before) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(cluster.url())
            .withNamespace(namespace)
            .withRequestTimeout(10_000)
            .withConnectionTimeout(5_000)
            .build();
    OkHttpClientFactory factory =
        new OkHttpClientFactory() {
          @Override
          protected void additionalConfig(OkHttpClient.Builder builder) {
            builder.addInterceptor(
                chain -> {
                  Request request = chain.request();
                  String path = request.url().encodedPath();
                  boolean snapshot =
                      path.endsWith("/configmaps/" + NAME) || path.endsWith("/configmaps");
                  if (method.equals(request.method()) && snapshot) {
                    before.accept(request);
                  }
                  return chain.proceed(request);
                });
          }
        };
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(factory).build();
  }
}
