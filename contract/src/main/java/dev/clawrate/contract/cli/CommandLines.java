package dev.clawrate.contract.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Parses a picocli-annotated command the way all clawrate commands parse: the last of a repeated
 * single-value option wins, no {@code @file} expansion, defaults from the environment (see {@link
 * EnvironmentDefaults}), and problems said in one line that names the option.
 */
public final class CommandLines {

  private CommandLines() {}

  /** What parsing found: help asked for, a problem, or neither (the command's fields are set). */
  public record Parsed(boolean help, String problem, String unmatched) {

    public boolean ok() {
      return !help && problem == null;
    }
  }

  /** The command line of {@code command}, its defaults read from {@code environment}. */
  public static CommandLine of(Object command, String envPrefix, Map<String, String> environment) {
    return new CommandLine(command)
        .setDefaultValueProvider(new EnvironmentDefaults(envPrefix, environment))
        .setOverwrittenOptionsAllowed(true)
        .setExpandAtFiles(false)
        .setUsageHelpWidth(100);
  }

  /** Parses {@code args} into the command's fields. */
  public static Parsed parse(CommandLine line, String[] args) {
    try {
      line.parseArgs(args);
    } catch (UnmatchedArgumentException e) {
      List<String> unmatched = e.getUnmatched();
      String first = unmatched.isEmpty() ? "" : unmatched.get(0);
      return new Parsed(false, "unknown option '" + first + "'", first);
    } catch (MissingParameterException e) {
      List<ArgSpec> missing = e.getMissing();
      if (!missing.isEmpty() && missing.get(0) instanceof OptionSpec option) {
        return new Parsed(false, option.longestName() + " needs a value", null);
      }
      return new Parsed(false, e.getMessage(), null);
    } catch (ParameterException e) {
      return new Parsed(false, e.getMessage(), null);
    }
    return new Parsed(line.isUsageHelpRequested(), null, null);
  }

  /** The help text, defaults as the environment sets them. */
  public static String usage(CommandLine line) {
    StringWriter text = new StringWriter();
    line.usage(new PrintWriter(text), CommandLine.Help.Ansi.OFF);
    return text.toString();
  }
}
