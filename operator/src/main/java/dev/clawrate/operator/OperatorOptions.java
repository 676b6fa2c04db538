package dev.clawrate.operator;

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
import java.util.TreeMap;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Command line of {@code java -jar clawrate-operator.jar [local] [options]}.
 *
 * @param local start the embedded API server, the operator, a rater and the examples
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
    boolean local,
    String watchNamespace,
    String raterNamespace,
    Boolean leaderElection,
    boolean localRegion,
    int healthPort,
    Duration moduleGcGrace,
    int raterPort,
    int apiPort,
    Map<String, URI> prometheusUrls,
    List<Cidr> egressAllow,
    List<Cidr> egressDeny,
    String clusterDomain,
    boolean demoCanary,
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

  public static final String USAGE =
      """
      usage: java -jar clawrate-operator.jar [options]         run the operator (in-cluster or current kube context)
             java -jar clawrate-operator.jar local [options]   run everything on this machine, no cluster needed

        --namespace NS              watch RatingModels and TenantConfigs in NS only (default: all)
        --rater-namespace NS        write snapshots and modules to NS (default: POD_NAMESPACE,
                                    else the kube context's namespace, else default)
        --leader-election BOOL      take a Lease before reconciling (default: true in a cluster)
        --local-region BOOL         serve the operator's own cluster as region 'local' (default
                                    true); member regions are Secrets labelled clawrate.dev/region
        --health-port N             /healthz, /readyz, /metrics (default 8081; 0 picks a free one)
        --module-gc-grace-seconds N keep unreferenced module ConfigMaps this long (default 600)
        --prometheus-url REGION=URL canary analyses read REGION's raters from this Prometheus
                                    (repeat per region; a bearer token in CLAWRATE_PROMETHEUS_TOKEN;
                                    default: each rater pod through the region's API server)
        --egress-allow CIDR         let tenants' URLs (module downloads) reach this block although
                                    it is loopback, private, link-local or otherwise internal
                                    (repeat per block; default none)
        --egress-deny CIDR          never let tenants' URLs reach this block, even if allowed: the
                                    cluster's pod and service CIDRs (repeat per block)
        --cluster-domain DOMAIN     the cluster's DNS domain: tenants' URLs naming a host in it, in
                                    .svc or .local, or localhost are refused (default cluster.local)
        --slo-interval DURATION     time between SLO evaluations (default 30s; at least 100ms); every
                                    burn-rate window of a TenantConfig must be at least this long
        --pagerduty-url URL         where PagerDuty receivers' events go (default
                                    https://events.pagerduty.com/v2/enqueue)
        --allow-http-receivers      let Slack and webhook receivers be plain http URLs (default:
                                    https only, since the URL is the receiver's credential)
      local only:
        --rater-port N              port of the local rater (default 8080; 0 picks a free one)
        --api-port N                port of the embedded Kubernetes API server (default: a free one)
        --demo-canary               once ready, release a new version of credit-scorecard through
                                    its CanaryRelease and print its phase and weights as they move
      """;

  /** Bad arguments (with a message) or --help (without). */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  public static OperatorOptions parse(String[] args) throws UsageException {
    boolean local = false;
    String watch = null;
    String raterNamespace = null;
    Boolean leader = null;
    boolean localRegion = true;
    int healthPort = 8081;
    int gcSeconds = 600;
    int raterPort = 8080;
    int apiPort = 0;
    Map<String, URI> prometheus = new TreeMap<>();
    List<Cidr> egressAllow = new ArrayList<>();
    List<Cidr> egressDeny = new ArrayList<>();
    String clusterDomain = EgressPolicy.DEFAULT_CLUSTER_DOMAIN;
    boolean demoCanary = false;
    Duration sloInterval = AlertSettings.DEFAULT_INTERVAL;
    URI pagerDuty = AlertSettings.defaults().pagerDuty();
    boolean httpReceivers = false;
    int i = 0;
    if (args.length > 0 && args[0].equals("local")) {
      local = true;
      i = 1;
    }
    for (; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--namespace" -> watch = value(args, ++i, arg);
        case "--rater-namespace" -> raterNamespace = value(args, ++i, arg);
        case "--leader-election" -> leader = bool(args, ++i, arg);
        case "--local-region" -> localRegion = bool(args, ++i, arg);
        case "--health-port" -> healthPort = integer(args, ++i, arg, 0, 65535);
        case "--module-gc-grace-seconds" -> gcSeconds = integer(args, ++i, arg, 0, 7 * 86_400);
        case "--rater-port" -> raterPort = localOnly(local, arg, integer(args, ++i, arg, 0, 65535));
        case "--api-port" -> apiPort = localOnly(local, arg, integer(args, ++i, arg, 0, 65535));
        case "--prometheus-url" -> prometheus(value(args, ++i, arg), prometheus);
        case "--egress-allow" -> egressAllow.add(cidr(args, ++i, arg));
        case "--egress-deny" -> egressDeny.add(cidr(args, ++i, arg));
        case "--cluster-domain" -> clusterDomain = clusterDomain(args, ++i, arg);
        case "--demo-canary" -> demoCanary = localOnly(local, arg, true);
        case "--slo-interval" -> sloInterval = sloInterval(value(args, ++i, arg), arg);
        case "--pagerduty-url" -> pagerDuty = httpUrl(value(args, ++i, arg), arg);
        case "--allow-http-receivers" -> httpReceivers = true;
        case "--help", "-h" -> throw new UsageException(null);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    return new OperatorOptions(
        local,
        watch,
        raterNamespace,
        leader,
        localRegion,
        healthPort,
        Duration.ofSeconds(gcSeconds),
        raterPort,
        apiPort,
        prometheus,
        egressAllow,
        egressDeny,
        clusterDomain,
        demoCanary,
        new AlertSettings(sloInterval, pagerDuty, httpReceivers));
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

  private static Cidr cidr(String[] args, int i, String option) throws UsageException {
    String value = value(args, i, option);
    try {
      return Cidr.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": " + e.getMessage() + ", got '" + value + "'");
    }
  }

  private static String clusterDomain(String[] args, int i, String option) throws UsageException {
    String value = value(args, i, option);
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

  private static <T> T localOnly(boolean local, String option, T value) throws UsageException {
    if (!local) {
      throw new UsageException(option + " only applies to 'local'");
    }
    return value;
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static boolean bool(String[] args, int i, String option) throws UsageException {
    String value = value(args, i, option);
    if (!value.equals("true") && !value.equals("false")) {
      throw new UsageException(option + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  private static int integer(String[] args, int i, String option, int min, int max)
      throws UsageException {
    String raw = value(args, i, option);
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
