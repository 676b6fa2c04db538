package dev.clawrate.rater.kube;

/** Which namespace a rater watches when --namespace is not given. */
public final class KubeNamespace {

  /** Set from the downward API ({@code fieldRef: metadata.namespace}) in the rater's pod spec. */
  public static final String POD_NAMESPACE_ENV = "POD_NAMESPACE";

  public static final String FALLBACK = "default";

  private KubeNamespace() {}

  /**
   * The first of: the namespace given on the command line, the pod's own namespace, the namespace
   * the client is configured with (a kubeconfig context or the service account), {@code default}.
   */
  public static String resolve(String explicit, String podNamespace, String clientNamespace) {
    for (String candidate : new String[] {explicit, podNamespace, clientNamespace}) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    return FALLBACK;
  }
}
