package dev.clawrate.rater.testing;

import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.RaterOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A real rater on a free port, serving a config directory, for tests over real HTTP. */
public final class RunningRater implements AutoCloseable {

  private final RaterMain rater;
  private final RaterClient client;

  private RunningRater(RaterMain rater) {
    this.rater = rater;
    this.client = new RaterClient(rater.port());
  }

  public static RunningRater serve(Path configDir, String... extraArgs) {
    String[] base = {
      "--config-dir",
      configDir.toString(),
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--poll-seconds",
      "1",
      "--worker-threads",
      "16"
    };
    String[] args = new String[base.length + extraArgs.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extraArgs, 0, args, base.length, extraArgs.length);
    try {
      RaterMain rater = new RaterMain(RaterOptions.parse(args));
      rater.start();
      return new RunningRater(rater);
    } catch (RaterOptions.UsageException e) {
      throw new IllegalArgumentException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RaterClient client() {
    return client;
  }

  public RaterMain rater() {
    return rater;
  }

  /** Waits until the live snapshot has at least this revision. */
  public void awaitRevision(long revision) {
    Await.until(
        "revision " + revision + " is live",
        () -> rater.live().current() != null && rater.live().current().revision() >= revision);
  }

  @Override
  public void close() {
    rater.close();
  }
}
