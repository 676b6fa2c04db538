package dev.clawrate.contract.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from environment variables, for containers configured by their environment:
 * {@code --health-port} of the command with prefix {@code CLAWRATE_RATER} is read from {@code
 * CLAWRATE_RATER_HEALTH_PORT}. A variable stands for the option given on the command line, so it is
 * checked the same way; the command line still wins. Without one, the option's own default.
 *
 * @param prefix the command's variables' common start, without the trailing {@code _}
 * @param environment the variables, {@link System#getenv()} outside tests
 */
public record EnvironmentDefaults(String prefix, Map<String, String> environment)
    implements IDefaultValueProvider {

  public EnvironmentDefaults {
    environment = Map.copyOf(environment);
  }

  @Override
  public String defaultValue(ArgSpec argument) {
    if (argument instanceof OptionSpec option) {
      String value = environment.get(variable(option.longestName()));
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  /** The variable that sets {@code option}'s default. */
  public String variable(String option) {
    return prefix + "_" + option.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
