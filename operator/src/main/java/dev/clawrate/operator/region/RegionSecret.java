package dev.clawrate.operator.region;

import dev.clawrate.operator.api.KubeNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A member region as its Secret registers it, labelled {@value RegionNames#LABEL}: either a
 * connection the operator can use or why it cannot. Pure: reads no files, environment or network.
 *
 * <p>The Secret's keys: {@code kubeconfig} (required), {@code context} (default: the kubeconfig's
 * current-context, else its only context) and {@code namespace}, the raters' namespace in the
 * region (default: the context's, else the operator's default).
 */
public sealed interface RegionSecret {

  // Reasons of Invalid, stable: they become the reasons of Kubernetes Events.
  String INVALID_REGION_NAME = "InvalidRegionName";
  String RESERVED_REGION_NAME = "ReservedRegionName";
  String MISSING_KUBECONFIG = "MissingKubeconfig";
  String INVALID_KUBECONFIG = "InvalidKubeconfig";
  String UNKNOWN_CONTEXT = "UnknownContext";
  String UNSUPPORTED_CREDENTIALS = "UnsupportedCredentials";
  String INVALID_NAMESPACE = "InvalidNamespace";

  /**
   * @param region null when the label names no region a Secret may register
   * @param message fit for an Event or a log: it names keys and fields of the Secret, never their
   *     values, except names that were found valid
   */
  record Invalid(String region, String reason, String message) implements RegionSecret {}

  /**
   * @param config to build the region's client from; it gives up within seconds and retries
   *     nothing, since the caller retries with its own backoff
   * @param fingerprint SHA-256 of the kubeconfig, context and namespace: an edit of the Secret that
   *     leaves it unchanged leaves the connection unchanged
   */
  record Valid(String region, Config config, String namespace, String fingerprint)
      implements RegionSecret {

    /** Whether the kubeconfig asks for insecure-skip-tls-verify, worth a warning. */
    public boolean skipsTlsVerification() {
      return config.isTrustCerts();
    }

    /** Without the Config, which holds the credentials. */
    @Override
    public String toString() {
      return "Valid[region="
          + region
          + ", namespace="
          + namespace
          + ", fingerprint="
          + fingerprint.substring(0, Math.min(12, fingerprint.length()))
          + "]";
    }
  }

  static RegionSecret parse(Secret secret, String defaultNamespace) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    String region = labels == null ? null : labels.get(RegionNames.LABEL);
    String why = KubeNames.whyNotDnsLabel(region);
    if (why != null) {
      return new Invalid(null, INVALID_REGION_NAME, "label " + RegionNames.LABEL + " " + why);
    }
    if (region.equals(RegionNames.LOCAL)) {
      return new Invalid(
          null,
          RESERVED_REGION_NAME,
          "label "
              + RegionNames.LABEL
              + " must not be '"
              + RegionNames.LOCAL
              + "', the name of the operator's own cluster");
    }
    try {
      return connect(region, secret, defaultNamespace);
    } catch (Refusal refusal) {
      return refusal.invalid(region);
    }
  }

  private static Valid connect(String region, Secret secret, String defaultNamespace)
      throws Refusal {
    byte[] kubeconfig = SecretData.bytes(secret, "kubeconfig", INVALID_KUBECONFIG);
    if (kubeconfig == null) {
      throw new Refusal(MISSING_KUBECONFIG, "the Secret has no key 'kubeconfig'");
    }
    if (kubeconfig.length == 0) {
      throw new Refusal(MISSING_KUBECONFIG, "key 'kubeconfig' is empty");
    }
    String requested = SecretData.name(secret, "context", UNKNOWN_CONTEXT);
    String namespaceKey = SecretData.name(secret, "namespace", INVALID_NAMESPACE);

    var context =
        KubeconfigContext.select(new String(kubeconfig, StandardCharsets.UTF_8), requested);
    context.requireInlineCredentials();
    String namespace = namespace(namespaceKey, context, defaultNamespace);
    Config config = context.toConfig(namespace);
    String contextName = context.context().getName();
    return new Valid(region, config, namespace, fingerprint(kubeconfig, contextName, namespace));
  }

  private static String namespace(
      String namespaceKey, KubeconfigContext context, String defaultNamespace) throws Refusal {
    String namespace;
    String source;
    if (namespaceKey != null) {
      namespace = namespaceKey;
      source = "key 'namespace'";
    } else if (context.namespace() != null && !context.namespace().isEmpty()) {
      namespace = context.namespace();
      source = "the namespace of " + KubeconfigContext.describe(context.context().getName());
    } else {
      namespace = defaultNamespace;
      source = "the default namespace";
    }
    String why = KubeNames.whyNotDnsLabel(namespace);
    if (why != null) {
      throw new Refusal(INVALID_NAMESPACE, source + " " + why);
    }
    return namespace;
  }

  private static String fingerprint(byte[] kubeconfig, String context, String namespace) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    for (byte[] part :
        new byte[][] {
          kubeconfig,
          context.getBytes(StandardCharsets.UTF_8),
          namespace.getBytes(StandardCharsets.UTF_8)
        }) {
      // Length first, so no two different triples hash the same bytes.
      sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
      sha256.update(part);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }
}
