package dev.clawrate.rater.testing;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.RaterOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real rater on a free port, serving a config directory or a (mock) cluster's ConfigMaps, for
 * tests over real HTTP.
 */
public final class RunningRater implements AutoCloseable {

  private static final List<String> COMMON_ARGS =
      List.of(
          "--port",
          "0",
          "--health-port",
          "0",
          "--host",
          "127.0.0.1",
          "--poll-seconds",
          "1",
          "--worker-threads",
          "16");

  private final RaterMain rater;
  private final RaterClient client;
  private final RaterClient health;

  private RunningRater(RaterMain rater) {
    this.rater = rater;
    this.client = new RaterClient(rater.port());
    this.health = new RaterClient(rater.healthPort());
  }

  public static RunningRater serve(Path configDir, String... extraArgs) {
    return start(null, List.of("--config-dir", configDir.toString()), extraArgs);
  }

  /**
   * A rater in cluster mode watching {@code namespace} through {@code kube} (the test keeps owning
   * the client), with any extra options, e.g. {@code --state-dir}.
   */
  public static RunningRater serveKube(
      KubernetesClient kube, String namespace, String... extraArgs) {
    return start(
        kube,
        // Long enough for a busy machine's first list; a test about an absent API server passes
        // its own.
        List.of("--kube", "--namespace", namespace, "--kube-sync-timeout-seconds", "30"),
        extraArgs);
  }

  private static RunningRater start(
      KubernetesClient kube, List<String> sourceArgs, String... extraArgs) {
    List<String> args = new ArrayList<>(sourceArgs);
    args.addAll(COMMON_ARGS);
    args.addAll(List.of(extraArgs));
    RaterMain rater;
    try {
      rater = new RaterMain(RaterOptions.parse(args.toArray(String[]::new)), kube);
    } catch (RaterOptions.UsageException e) {
      throw new IllegalArgumentException(e);
    }
    try {
      rater.start();
      return new RunningRater(rater);
    } catch (IOException e) {
      rater.close();
      throw new UncheckedIOException(e);
    }
  }

  /** A client of the rating port: POST /v1/rate. */
  public RaterClient client() {
    return client;
  }

  /** A client of the health port: /healthz, /readyz, /metrics, /v1/models. */
  public RaterClient health() {
    return health;
  }

  public RaterMain rater() {
    return rater;
  }

  /**
   * Waits until the live snapshot has at least this revision and runs its models' compiled code, as
   * {@code /readyz} does.
   */
  public void awaitRevision(long revision) {
    Await.until(
        "revision " + revision + " is live",
        () ->
            rater.live().current() != null
                && rater.live().current().revision() >= revision
                && rater.live().compiledCodeReady());
  }

  @Override
  public void close() {
    rater.close();
  }
}
