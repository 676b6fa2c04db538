package dev.clawrate.operator.region;

import dev.clawrate.operator.api.KubeNames;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one context of a kubeconfig a region connects with, its cluster and its user, each checked
 * before fabric8 sees them: fabric8 runs a user's {@code exec} command and reads the files a
 * kubeconfig names while it builds a Config, and those would run and be read on the hub.
 *
 * <p>Messages name keys and kubeconfig fields, never their values; the context's name only when it
 * is a DNS subdomain, since it comes from the Secret too.
 */
record KubeconfigContext(NamedContext context, NamedCluster cluster, NamedAuthInfo user) {

  /** A region must never hold up the others for long. */
  static final int CONNECTION_TIMEOUT_MILLIS = 5_000;

  static final int REQUEST_TIMEOUT_MILLIS = 10_000;

  /**
   * First wait before a lost watch is opened again; fabric8 doubles it up to 32 times this, so a
   * region that comes back is watched again within 8 s, not the 32 s of the 1 s default.
   */
  static final int WATCH_RECONNECT_MILLIS = 250;

  static final String NOT_A_KUBECONFIG =
      "key 'kubeconfig' is not a valid kubeconfig (YAML with clusters, contexts and users)";

  /**
   * @param requested the context named by the Secret's key {@code context}, or null to take the
   *     kubeconfig's current-context, or else its only context
   */
  static KubeconfigContext select(String kubeconfigYaml, String requested) throws Refusal {
    io.fabric8.kubernetes.api.model.Config kubeconfig = parse(kubeconfigYaml);
    List<NamedContext> contexts = listOrEmpty(kubeconfig.getContexts());
    List<NamedCluster> clusters = listOrEmpty(kubeconfig.getClusters());
    List<NamedAuthInfo> users = listOrEmpty(kubeconfig.getUsers());
    // kubectl refuses these too; and a lookup by name must find the entry fabric8 would use.
    requireUniqueNames(contexts, NamedContext::getName, "contexts");
    requireUniqueNames(clusters, NamedCluster::getName, "clusters");
    requireUniqueNames(users, NamedAuthInfo::getName, "users");

    NamedContext context = chooseContext(contexts, requested, kubeconfig.getCurrentContext());
    String name = context.getName();
    if (context.getContext() == null) {
      throw invalid(describe(name) + " in key 'kubeconfig' is empty");
    }
    NamedCluster cluster =
        find(clusters, NamedCluster::getName, context.getContext().getCluster())
            .orElseThrow(
                () -> invalid(describe(name) + " names no cluster that key 'kubeconfig' has"));
    requireServer(cluster.getCluster(), name);
    String userName = context.getContext().getUser();
    NamedAuthInfo user = null;
    if (userName != null && !userName.isEmpty()) {
      user =
          find(users, NamedAuthInfo::getName, userName)
              .orElseThrow(
                  () -> invalid(describe(name) + " names no user that key 'kubeconfig' has"));
    }
    return new KubeconfigContext(context, cluster, user);
  }

  /** The namespace the context names, or null. */
  String namespace() {
    return context.getContext().getNamespace();
  }

  /**
   * Refuses credentials that run commands or read files on the hub: whatever they produce would be
   * the hub's (its service account token, its files), sent to the member cluster.
   */
  void requireInlineCredentials() throws Refusal {
    String ofContext = " of " + describe(context.getName());
    if (isSet(cluster.getCluster().getCertificateAuthority())) {
      throw unsupported(
          "the cluster"
              + ofContext
              + " reads certificate-authority from a file; give certificate-authority-data");
    }
    AuthInfo auth = user == null ? null : user.getUser();
    if (auth == null) {
      return;
    }
    if (auth.getExec() != null) {
      throw unsupported(
          "the user"
              + ofContext
              + " runs a command (exec) for its credentials, which the operator never does;"
              + " give a token or client-certificate-data and client-key-data");
    }
    if (auth.getAuthProvider() != null) {
      throw unsupported(
          "the user"
              + ofContext
              + " uses an auth-provider plugin, which the operator does not support;"
              + " give a token or client-certificate-data and client-key-data");
    }
    if (isSet(auth.getClientCertificate()) || isSet(auth.getClientKey())) {
      throw unsupported(
          "the user"
              + ofContext
              + " reads client-certificate or client-key from a file;"
              + " give client-certificate-data and client-key-data");
    }
    if (isSet(auth.getTokenFile())) {
      throw unsupported("the user" + ofContext + " reads tokenFile from a file; give token");
    }
  }

  /**
   * A Config holding this context alone and nothing of the process it runs in. {@link
   * Config#fromKubeconfig(String, String, String)} would add the hub's environment and system
   * properties (a token, a master URL, key files) and {@link Config#autoConfigure(String)} the
   * hub's kubeconfig or service account; merging into {@link Config#empty()} is what {@link
   * Config#fromKubeconfig(String)} does, with our choice of context.
   */
  Config toConfig(String namespace) {
    var kubeconfig =
        new ConfigBuilder()
            .withCurrentContext(context.getName())
            .withContexts(context)
            .withClusters(cluster)
            .withUsers(user == null ? List.of() : List.of(user))
            .build();
    Config config = Config.empty();
    KubeConfigUtils.merge(config, context.getName(), kubeconfig);
    // Config.empty() leaves it off already; said outright since, on, refresh() reads the hub's
    // files.
    config.setAutoConfigure(false);
    config.setNamespace(namespace);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
    // The caller retries with its own backoff; fabric8's own retries would only add to the wait.
    config.setRequestRetryBackoffLimit(0);
    config.setWatchReconnectInterval(WATCH_RECONNECT_MILLIS);
    return config;
  }

  /** How a message names a context: by its name when that is safe to publish. */
  static String describe(String contextName) {
    return contextName != null && KubeNames.whyNotDnsSubdomain(contextName) == null
        ? "context '" + contextName + "'"
        : "the named context";
  }

  private static io.fabric8.kubernetes.api.model.Config parse(String yaml) throws Refusal {
    Object parsed;
    try {
      parsed = Serialization.unmarshal(yaml, io.fabric8.kubernetes.api.model.Config.class);
    } catch (RuntimeException e) {
      // Parser messages quote the input they choke on, which may be a token.
      throw invalid(NOT_A_KUBECONFIG);
    }
    // Several YAML documents come back as a list despite the type asked for.
    if (!(parsed instanceof io.fabric8.kubernetes.api.model.Config kubeconfig)) {
      throw invalid(NOT_A_KUBECONFIG);
    }
    return kubeconfig;
  }

  private static NamedContext chooseContext(
      List<NamedContext> contexts, String requested, String current) throws Refusal {
    if (requested != null) {
      return find(contexts, NamedContext::getName, requested)
          .orElseThrow(
              () ->
                  unknown(
                      "key 'kubeconfig' lacks "
                          + describe(requested)
                          + ", which key 'context' asks for"));
    }
    if (current != null && !current.isEmpty()) {
      return find(contexts, NamedContext::getName, current)
          .orElseThrow(
              () ->
                  unknown(
                      "key 'kubeconfig' lacks "
                          + describe(current)
                          + ", which is its current-context"));
    }
    if (contexts.isEmpty()) {
      throw invalid("key 'kubeconfig' has no contexts");
    }
    if (contexts.size() > 1) {
      throw unknown(
          "key 'kubeconfig' has several contexts and no current-context;"
              + " name one in key 'context'");
    }
    return contexts.get(0);
  }

  private static void requireServer(Cluster cluster, String contextName) throws Refusal {
    String ofContext = " of " + describe(contextName);
    if (cluster == null || !isSet(cluster.getServer())) {
      throw invalid("the cluster" + ofContext + " has no server");
    }
    try {
      URI server = new URI(cluster.getServer());
      String scheme = server.getScheme();
      if (("https".equals(scheme) || "http".equals(scheme)) && server.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // Refused below; the exception quotes the URL.
    }
    throw invalid(
        "the cluster" + ofContext + " has a server that is not an https:// or http:// URL");
  }

  private static <T> void requireUniqueNames(List<T> entries, Function<T, String> name, String what)
      throws Refusal {
    var seen = new HashSet<String>();
    for (T entry : entries) {
      if (!seen.add(name.apply(entry))) {
        throw invalid("key 'kubeconfig' has two " + what + " of the same name");
      }
    }
  }

  private static <T> Optional<T> find(List<T> entries, Function<T, String> name, String wanted) {
    return entries.stream().filter(e -> Objects.equals(name.apply(e), wanted)).findFirst();
  }

  /** Without the nulls a YAML list such as {@code contexts: [~]} holds. */
  private static <T> List<T> listOrEmpty(List<T> list) {
    return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
  }

  private static boolean isSet(String value) {
    return value != null && !value.isEmpty();
  }

  private static Refusal invalid(String message) {
    return new Refusal(RegionSecret.INVALID_KUBECONFIG, message);
  }

  private static Refusal unknown(String message) {
    return new Refusal(RegionSecret.UNKNOWN_CONTEXT, message);
  }

  private static Refusal unsupported(String message) {
    return new Refusal(RegionSecret.UNSUPPORTED_CREDENTIALS, message);
  }
}
