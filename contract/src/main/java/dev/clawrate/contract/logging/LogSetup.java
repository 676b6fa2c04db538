package dev.clawrate.contract.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import java.util.Map;

/**
 * Logging for the rater and the operator, set up in code (found by logback through ServiceLoader):
 * parsing an XML configuration costs a cold JVM hundreds of milliseconds of start-up. {@code
 * CLAWRATE_LOG_FORMAT=json} writes one JSON object per line (for clusters), the default is text
 * with {@code key="value"} pairs; {@code CLAWRATE_LOG_LEVEL} sets the level. A {@code
 * -Dlogback.configurationFile} still takes precedence.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

  /** Libraries whose INFO lines are not news to an operator of clawrate. */
  private static final Map<String, Level> QUIET =
      Map.of(
          "io.undertow", Level.WARN,
          "org.xnio", Level.WARN,
          "org.jboss", Level.WARN,
          "io.fabric8.mockwebserver", Level.WARN,
          "okhttp3.mockwebserver", Level.WARN,
          "io.fabric8.kubernetes.client.informers", Level.WARN,
          "io.javaoperatorsdk", Level.WARN);

  /** Sets the level of every logger; when set, {@link #quietLibraries()} leaves levels alone. */
  public static final String LEVEL_ENV = "CLAWRATE_LOG_LEVEL";

  /** clawrate's own loggers. */
  private static final String OWN = "dev.clawrate";

  /**
   * fabric8 warns once per custom resource type that {@code v1alpha1} is not stable; of clawrate's
   * own types, a person trying clawrate on their machine knows.
   */
  private static final String UNSTABLE_VERSION_WARNING =
      "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";

  /**
   * For a run in a terminal (the operator's {@code local}): libraries say only what went wrong,
   * clawrate's own loggers keep the configured level, so the run's own lines stand out. Nothing
   * changes when {@code CLAWRATE_LOG_LEVEL} is set, or when logback is not the SLF4J backend.
   */
  public static void quietLibraries() {
    if (System.getenv(LEVEL_ENV) != null
        || !(org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    context.getLogger(OWN).setLevel(root.getLevel());
    root.setLevel(Level.WARN);
    context.getLogger(UNSTABLE_VERSION_WARNING).setLevel(Level.ERROR);
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder(context, System.getenv("CLAWRATE_LOG_FORMAT")));
    console.start();
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv(LEVEL_ENV), Level.INFO));
    root.addAppender(console);
    QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    if (format != null && format.toLowerCase(Locale.ROOT).equals("json")) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern(
        "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg %kvp{DOUBLE}%n%ex");
    text.start();
    return text;
  }
}
