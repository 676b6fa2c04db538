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
   *
   * @throws IllegalArgumentException when the one chosen is not a DNS label; it goes into every API
   *     path the rater uses
   */
  public static String resolve(String explicit, String podNamespace, String clientNamespace) {
    String[] sources = {"--namespace", "$" + POD_NAMESPACE_ENV, "the Kubernetes client's config"};
    String[] candidates = {explicit, podNamespace, clientNamespace};
    for (int i = 0; i < candidates.length; i++) {
      String candidate = candidates[i];
      if (candidate != null && !candidate.isBlank()) {
        if (!KubeNames.isDnsLabel(candidate)) {
          throw new IllegalArgumentException(
              "namespace '" + candidate + "' from " + sources[i] + " is not a DNS label");
        }
        return candidate;
      }
    }
    return FALLBACK;
  }
}
