package dev.clawrate.rater;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rater that cannot start says why in one line and leaves nothing running behind it. */
class RaterStartFailureTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Set<Thread> threadsBefore;

  @BeforeEach
  void publish() {
    new ConfigDir(dir).model("m", Fixtures.module("constant-a")).tenant("t", "m", 600).publish();
    threadsBefore = nonDaemonThreads();
  }

  private int run(String... extraArgs) {
    List<String> args =
        new java.util.ArrayList<>(List.of("--config-dir", dir.toString(), "--host", "127.0.0.1"));
    args.addAll(List.of(extraArgs));
    return RaterMain.run(
        args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }

  /** Threads that would keep a JVM alive after main returned, other than the test's own. */
  private Set<String> leftBehind() {
    return nonDaemonThreads().stream()
        .filter(t -> !threadsBefore.contains(t))
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  @Test
  void aTakenRatingPortIsOneLineNamingTheOption() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = held.getLocalPort();
      assertEquals(1, run("--port", Integer.toString(port), "--health-port", "0"));
      assertEquals(
          "error: port "
              + port
              + " is in use; pass --port 0 to pick a free one"
              + System.lineSeparator(),
          err.toString(StandardCharsets.UTF_8));
      assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
    Await.value("no thread of the rater is left", this::leftBehind, Set::isEmpty);
  }

  @Test
  void aTakenHealthPortIsOneLineNamingTheOption() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = held.getLocalPort();
      assertEquals(1, run("--port", "0", "--health-port", Integer.toString(port)));
      assertEquals(
          "error: port "
              + port
              + " is in use; pass --health-port 0 to pick a free one"
              + System.lineSeparator(),
          err.toString(StandardCharsets.UTF_8));
    }
    Await.value("no thread of the rater is left", this::leftBehind, Set::isEmpty);
  }

  @Test
  void aMissingConfigDirectoryIsOneLine() {
    Path missing = dir.resolve("nowhere");
    String[] args = {"--config-dir", missing.toString(), "--port", "0", "--health-port", "0"};
    int status =
        RaterMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, status);
    assertEquals(
        "error: config directory " + missing + " does not exist" + System.lineSeparator(),
        err.toString(StandardCharsets.UTF_8));
    Await.value("no thread of the rater is left", this::leftBehind, Set::isEmpty);
  }

  @Test
  void aDecisionLogThatCannotBeOpenedIsOneLine() {
    Path file = dir.resolve("no-such-dir").resolve("decisions.jsonl");
    assertEquals(2, run("--port", "0", "--health-port", "0", "--audit-log", file.toString()));
    assertEquals(
        "error: cannot open --audit-log: "
            + file
            + " (No such file or directory)"
            + System.lineSeparator(),
        err.toString(StandardCharsets.UTF_8));
    Await.value("no thread of the rater is left", this::leftBehind, Set::isEmpty);
  }
}
