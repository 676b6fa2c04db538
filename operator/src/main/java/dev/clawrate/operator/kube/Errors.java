package dev.clawrate.operator.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Describes a failure for logs and status without what a message may carry: fabric8's messages
 * quote the request URL and the server's text, and a region's URL comes from a kubeconfig.
 */
public final class Errors {

  private Errors() {}

  public static String describe(Throwable error) {
    if (error instanceof KubernetesClientException k) {
      // The reason is the server's word: kept only when it looks like one of Kubernetes' own.
      String reason = k.getStatus() == null ? null : k.getStatus().getReason();
      reason = reason != null && reason.matches("[A-Za-z]{1,64}") ? reason : null;
      return k.getCode() <= 0
          ? "no answer from the API server (" + rootCause(k) + ")"
          : "HTTP " + k.getCode() + (reason == null ? "" : " " + reason);
    }
    return error.getClass().getSimpleName();
  }

  /**
   * Whether the failure is the API server not answering (no connection, a time-out, 429 or a 5xx)
   * rather than refusing the request (403, 422...): the first passes with time, the second needs
   * someone to act.
   */
  public static boolean unreachable(Throwable error) {
    if (error instanceof KubernetesClientException k) {
      return k.getCode() <= 0 || k.getCode() == 429 || k.getCode() >= 500;
    }
    return true;
  }

  private static String rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName();
  }
}
