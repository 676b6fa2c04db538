package dev.clawrate.operator;

import dev.clawrate.contract.cli.CommandLines;
import dev.clawrate.operator.alert.AlertSettings;
import dev.clawrate.operator.api.GoDuration;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.egress.Cidr;
import dev.clawrate.operator.egress.EgressPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import picocli.CommandLine;

/**
 * Command line of {@code java -jar clawrate-operator.jar [options]}; the local run takes the same
 * options and a few of its own.
 *
 * @param raterNamespace null: POD_NAMESPACE, else the kube context's namespace, else default
 * @param leaderElection null: on when running inside a cluster, off elsewhere
 * @param localRegion whether the operator's own cluster is the region {@code local}
 * @param egressAllow blocks the operator may reach on a tenant's behalf despite the built-in
 *     refusals
 * @param egressDeny blocks it never reaches on a tenant's behalf (the cluster's pod and service
 *     CIDRs)
 * @param clusterDomain the cluster's DNS domain, whose names are refused on a tenant's behalf
 * @param alerts how SLOs are evaluated and receivers reached
 */
public record OperatorOptions(
    String watchNamespace,
    String raterNamespace,
    Boolean leaderElection,
    boolean localRegion,
    int healthPort,
    Duration moduleGcGrace,
    Map<String, URI> prometheusUrls,
    List<Cidr> egressAllow,
    List<Cidr> egressDeny,
    String clusterDomain,
    AlertSettings alerts) {

  public OperatorOptions {
    prometheusUrls = Map.copyOf(prometheusUrls);
    egressAllow = List.copyOf(egressAllow);
    egressDeny = List.copyOf(egressDeny);
  }

  /** Where the operator may connect on a tenant's behalf, as the options say. */
  public EgressPolicy egressPolicy() {
    return new EgressPolicy(egressAllow, egressDeny, clusterDomain);
  }

  /** The help: every option, its default (as the environment sets it) and what it does. */
  public static String usage() {
    return CommandLines.usage(commandLine(new OperatorCommandLine(), System.getenv()));
  }

  /**
   * What the local run's jar alone takes; named in the error so a command from before the local run
   * had its own jar says where it went.
   */
  private static final Set<String> LOCAL_ONLY =
      Set.of("local", "--rater-port", "--api-port", "--demo-canary");

  /** Bad arguments (with a message) or --help (without). */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  public static OperatorOptions parse(String[] args) throws UsageException {
    return parse(args, System.getenv());
  }

  /** Parses {@code args}, option defaults taken from {@code environment}. */
  static OperatorOptions parse(String[] args, Map<String, String> environment)
      throws UsageException {
    OperatorCommandLine given = new OperatorCommandLine();
    CommandLines.Parsed parsed = CommandLines.parse(commandLine(given, environment), args);
    if (parsed.help()) {
      throw new UsageException(null);
    }
    if (parsed.unmatched() != null && LOCAL_ONLY.contains(parsed.unmatched())) {
      String what =
          parsed.unmatched().equals("local")
              ? "'local' is"
              : parsed.unmatched() + " only applies to 'local', which is";
      throw new UsageException(
          what + " the local run, its own jar now: java -jar clawrate-local.jar");
    }
    if (parsed.problem() != null) {
      throw new UsageException(parsed.problem());
    }
    return from(given);
  }

  private static CommandLine commandLine(
      OperatorCommandLine given, Map<String, String> environment) {
    return CommandLines.of(given, OperatorCommandLine.ENV_PREFIX, environment);
  }

  /** Checks the options as given and makes them values. */
  public static OperatorOptions from(OperatorCommandLine given) throws UsageException {
    Map<String, URI> prometheus = new TreeMap<>();
    for (String value : given.prometheusUrls) {
      prometheus(value, prometheus);
    }
    List<Cidr> egressAllow = new ArrayList<>();
    for (String value : given.egressAllow) {
      egressAllow.add(cidr(value, "--egress-allow"));
    }
    List<Cidr> egressDeny = new ArrayList<>();
    for (String value : given.egressDeny) {
      egressDeny.add(cidr(value, "--egress-deny"));
    }
    return new OperatorOptions(
        given.namespace,
        given.raterNamespace,
        given.leaderElection == null ? null : bool(given.leaderElection, "--leader-election"),
        bool(given.localRegion, "--local-region"),
        integer(given.healthPort, "--health-port", 0, 65535),
        Duration.ofSeconds(
            integer(given.moduleGcGraceSeconds, "--module-gc-grace-seconds", 0, 7 * 86_400)),
        prometheus,
        egressAllow,
        egressDeny,
        clusterDomain(given.clusterDomain, "--cluster-domain"),
        new AlertSettings(
            sloInterval(given.sloInterval, "--slo-interval"),
            httpUrl(given.pagerDutyUrl, "--pagerduty-url"),
            given.allowHttpReceivers));
  }

  private static Duration sloInterval(String value, String option) throws UsageException {
    Duration interval = GoDuration.parse(value, null);
    if (interval == null || interval.toMillis() < 100 || interval.toHours() > 1) {
      throw new UsageException(
          option + " needs a duration from 100ms to 1h (e.g. 30s), got '" + value + "'");
    }
    return interval;
  }

  private static URI httpUrl(String value, String option) throws UsageException {
    HttpUrl url = HttpUrl.parse(value);
    if (url == null || !url.username().isEmpty() || !url.password().isEmpty()) {
      throw new UsageException(option + " needs an http(s) URL without credentials");
    }
    return url.uri();
  }

  private static Cidr cidr(String value, String option) throws UsageException {
    try {
      return Cidr.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": " + e.getMessage() + ", got '" + value + "'");
    }
  }

  private static String clusterDomain(String value, String option) throws UsageException {
    String why = KubeNames.whyNotDnsSubdomain(value);
    if (why != null) {
      throw new UsageException(option + " " + why + ", got '" + value + "'");
    }
    return value;
  }

  /** {@code region=url}: an http(s) URL with a host, for a region named like a DNS label. */
  private static void prometheus(String value, Map<String, URI> into) throws UsageException {
    int equals = value.indexOf('=');
    String region = equals < 0 ? "" : value.substring(0, equals);
    if (!REGION.matcher(region).matches()) {
      throw new UsageException("--prometheus-url needs REGION=URL, REGION a DNS label");
    }
    try {
      URI url = new URI(value.substring(equals + 1));
      if (url.getHost() == null
          || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
        throw new URISyntaxException(value, "not an http(s) URL with a host");
      }
      into.put(region, url);
    } catch (URISyntaxException e) {
      throw new UsageException("--prometheus-url for region " + region + " is not an http(s) URL");
    }
  }

  private static final Pattern REGION = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private static boolean bool(String value, String option) throws UsageException {
    if (!value.equals("true") && !value.equals("false")) {
      throw new UsageException(option + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  /**
   * {@code raw} as an integer from {@code min} to {@code max}, else a message naming {@code
   * option}.
   */
  public static int integer(String raw, String option, int min, int max) throws UsageException {
    try {
      int parsed = Integer.parseInt(raw);
      if (parsed < min || parsed > max) {
        throw new UsageException(
            option + " must be between " + min + " and " + max + ", got '" + raw + "'");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be an integer, got '" + raw + "'");
    }
  }
}
