package dev.clawrate.rater.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool a test drives (helm, kubectl, lua5.4, tsc, node), found where {@code
 * .ci/tools.sh} installs it ({@code $CLAWRATE_TOOLS/bin}, else the repository's {@code .tools/bin})
 * or on the PATH. A missing tool fails the test with the command that installs it: a test that
 * skipped itself would pass on a machine that checked nothing.
 */
public record ExternalTool(Path executable) {

  /** What a finished command printed. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + exitCode + "\n" + stdout + "\n" + stderr);
      }
      return this;
    }
  }

  public static ExternalTool find(String name) {
    List<Path> places = new ArrayList<>();
    String configured = System.getenv("CLAWRATE_TOOLS");
    if (configured != null && !configured.isBlank()) {
      places.add(Path.of(configured, "bin"));
    }
    places.add(repositoryRoot().resolve(".tools/bin"));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        places.add(Path.of(dir));
      }
    }
    for (Path place : places) {
      Path candidate = place.resolve(name);
      if (Files.isExecutable(candidate)) {
        return new ExternalTool(candidate);
      }
    }
    throw new AssertionError(name + " not found in " + places + ": run .ci/tools.sh first");
  }

  /** The repository's root: the nearest directory up from the working directory with .ci/. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path at = dir; at != null; at = at.getParent()) {
      if (Files.isDirectory(at.resolve(".ci"))) {
        return at;
      }
    }
    return dir;
  }

  /** Runs the tool with these arguments in {@code workDir}, feeding {@code stdin} if not null. */
  public Result run(Path workDir, String stdin, Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(executable.toString()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("tool-out", ".txt");
      Path err = Files.createTempFile("tool-err", ".txt");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (stdin == null) {
          builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = builder.start();
        if (stdin != null) {
          try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
        }
        return new Result(
            command,
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  /** Runs it and fails the test unless it exits 0. */
  public Result succeed(Path workDir, Duration timeout, String... args) {
    return run(workDir, null, timeout, args).requireSuccess();
  }
}
