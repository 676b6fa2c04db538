package dev.clawrate.contract.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class EnvironmentDefaultsTest {

  @Command(name = "sample", separator = " ")
  static final class Sample {
    @Option(
        names = "--health-port",
        paramLabel = "N",
        defaultValue = "8081",
        description = "port (default ${DEFAULT-VALUE})")
    String healthPort;

    @Option(names = "--kube")
    boolean kube;

    @Option(names = "--deny", split = ",")
    List<String> deny = new ArrayList<>();

    @Option(
        names = {"-h", "--help"},
        usageHelp = true)
    boolean help;
  }

  private static CommandLines.Parsed parse(Sample sample, Map<String, String> env, String... args) {
    return CommandLines.parse(CommandLines.of(sample, "CLAWRATE_TEST", env), args);
  }

  @Test
  void theVariableIsThePrefixAndTheOptionInCapitals() {
    EnvironmentDefaults defaults = new EnvironmentDefaults("CLAWRATE_RATER", Map.of());
    assertEquals("CLAWRATE_RATER_HEALTH_PORT", defaults.variable("--health-port"));
    assertEquals("CLAWRATE_RATER_PORT", defaults.variable("--port"));
  }

  @Test
  void aVariableSetsTheDefaultAndTheCommandLineWins() {
    Map<String, String> env =
        Map.of(
            "CLAWRATE_TEST_HEALTH_PORT", "9191",
            "CLAWRATE_TEST_KUBE", "true",
            "CLAWRATE_TEST_DENY", "10.96.0.0/12,10.244.0.0/16");
    Sample fromEnv = new Sample();
    assertTrue(parse(fromEnv, env).ok());
    assertEquals("9191", fromEnv.healthPort);
    assertTrue(fromEnv.kube);
    assertEquals(List.of("10.96.0.0/12", "10.244.0.0/16"), fromEnv.deny);

    Sample given = new Sample();
    assertTrue(parse(given, env, "--health-port", "7000").ok());
    assertEquals("7000", given.healthPort);

    Sample plain = new Sample();
    assertTrue(parse(plain, Map.of("CLAWRATE_TEST_HEALTH_PORT", "")).ok());
    assertEquals("8081", plain.healthPort, "an empty variable is no default");
    assertFalse(plain.kube);
  }

  @Test
  void theHelpShowsTheDefaultTheEnvironmentSets() {
    String usage =
        CommandLines.usage(
            CommandLines.of(
                new Sample(), "CLAWRATE_TEST", Map.of("CLAWRATE_TEST_HEALTH_PORT", "42")));
    assertTrue(usage.contains("--health-port N"), usage);
    assertTrue(usage.contains("(default 42)"), usage);
  }

  @Test
  void problemsAreOneLineNamingTheOption() {
    assertEquals("unknown option '--bogus'", parse(new Sample(), Map.of(), "--bogus").problem());
    assertEquals("unknown option 'serve'", parse(new Sample(), Map.of(), "serve").problem());
    assertEquals(
        "--health-port needs a value", parse(new Sample(), Map.of(), "--health-port").problem());
    CommandLines.Parsed help = parse(new Sample(), Map.of(), "--help");
    assertTrue(help.help());
    assertNull(help.problem());
    Sample twice = new Sample();
    assertTrue(parse(twice, Map.of(), "--health-port", "1", "--health-port", "2").ok());
    assertEquals("2", twice.healthPort, "the last of a repeated option wins");
    Sample literal = new Sample();
    assertTrue(parse(literal, Map.of(), "--deny", "@file").ok());
    assertEquals(List.of("@file"), literal.deny, "no @file expansion");
  }

  @Test
  void picocliIsOnlyTheParser() {
    assertEquals(CommandLine.class, CommandLines.of(new Sample(), "X", Map.of()).getClass());
  }
}
