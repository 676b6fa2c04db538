package dev.clawrate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.rater.testing.RaterClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local}: what it says, that its alert demo pages and resolves, and that a run that cannot
 * start leaves nothing behind.
 */
class LocalRunTest {

  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Set<Thread> threadsBefore;

  @BeforeEach
  void noteThreads() {
    threadsBefore = nonDaemonThreads();
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }

  /**
   * Threads that would keep the JVM alive once main returned, other than the tests' own, each with
   * where it runs, so a failure says whose it is.
   */
  private Set<String> leftBehind() {
    return nonDaemonThreads().stream()
        .filter(t -> !threadsBefore.contains(t))
        .map(t -> t.getName() + " at " + Arrays.toString(t.getStackTrace()))
        .collect(Collectors.toSet());
  }

  private List<Path> tmpEntries() throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.toList();
    }
  }

  private int run(String... args) throws Exception {
    return LocalRun.run(
        LocalOptions.parse(args),
        tmp,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private void assertNothingLeftBehind() throws IOException {
    assertEquals(List.of(), tmpEntries(), "the working directory is removed");
    Await.value("no thread of the local run is left", this::leftBehind, Set::isEmpty);
  }

  @Test
  void aTakenRaterPortIsOneLineAndLeavesNothingBehind() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = held.getLocalPort();
      assertEquals(1, run("--rater-port", Integer.toString(port)));
      assertEquals(
          "error: port "
              + port
              + " is in use; pass --rater-port 0 to pick a free one"
              + System.lineSeparator(),
          err.toString(StandardCharsets.UTF_8));
    }
    assertNothingLeftBehind();
  }

  @Test
  void aTakenApiPortIsOneLineAndLeavesNothingBehind() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = held.getLocalPort();
      assertEquals(1, run("--rater-port", "0", "--api-port", Integer.toString(port)));
      assertEquals(
          "error: port "
              + port
              + " is in use; pass --api-port 0 to pick a free one"
              + System.lineSeparator(),
          err.toString(StandardCharsets.UTF_8));
    }
    assertNothingLeftBehind();
  }

  private boolean said(String start) {
    return out.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith(start));
  }

  /** What the README's kubectl patch does: a merge patch of the spec, whatever the version. */
  private static void editSampleTenant(LocalRun run, String model) {
    run.hubClient()
        .resources(TenantConfig.class)
        .inNamespace(LocalCluster.NAMESPACE)
        .withName(LocalRun.SAMPLE_TENANT)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"modelRef\":{\"name\":\"" + model + "\"}}}");
  }

  @Test
  void saysHowToUseItOnlyOnceReady() throws Exception {
    LocalRun run = new LocalRun(tmp, new PrintStream(out, true, StandardCharsets.UTF_8));
    try (run) {
      run.start(LocalOptions.parse(new String[] {"--rater-port", "0"}));
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      int ready = lines.indexOf("ready");
      Path kubeconfig = run.workDir().resolve("kubeconfig");
      assertTrue(ready > 0, "no 'ready' in " + lines);
      assertEquals(
          List.of(
              "export KUBECONFIG="
                  + kubeconfig
                  + "   (then: kubectl get rmodel,tenant,canary; kubectl explain ratingmodel.spec; kubectl apply -f ...)",
              "curl -s http://127.0.0.1:"
                  + run.raterPort()
                  + "/v1/rate -H 'X-Tenant-Id: acme-bank' -H 'Content-Type: application/json'"
                  + " -d @examples/requests/applicant.json",
              "traffic 5/s per region for acme-bank   (its SLOs judge it; try: kubectl patch"
                  + " tenant acme-bank --type merge -p"
                  + " '{\"spec\":{\"modelRef\":{\"name\":\"always-traps\"}}}')"),
          lines.subList(ready + 1, ready + 4));
      assertTrue(
          lines.subList(0, ready).stream().anyMatch(l -> l.startsWith("alert receiver http://")),
          "the demo receiver is said: " + lines);

      // What the README promises a newcomer: break the sample tenant, watch the page; fix it,
      // watch the resolve.
      editSampleTenant(run, "always-traps");
      Await.until(
          "the demo receiver prints acme-bank's availability page",
          java.time.Duration.ofSeconds(120),
          () -> said("alert acme-bank firing availability severity=page"));
      editSampleTenant(run, "credit-scorecard");
      Await.until(
          "the demo receiver prints its resolve",
          java.time.Duration.ofSeconds(120),
          () -> said("alert acme-bank resolved availability severity=page"));
      assertTrue(
          lines.subList(0, ready).stream().noneMatch(l -> l.contains("KUBECONFIG")),
          "the hint comes after ready: " + lines);
      assertTrue(Files.isRegularFile(kubeconfig));
      assertEquals(
          200, new RaterClient(run.raterHealthPort()).get("/readyz").status(), "health port");
    }
    assertNothingLeftBehind();
  }
}
