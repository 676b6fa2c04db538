package dev.clawrate.operator.publish;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Describes a failure for logs and status without what a message may carry: fabric8's messages
 * quote the request URL and the server's text, and a region's URL comes from a kubeconfig.
 */
public final class Errors {

  private Errors() {}

  public static String describe(Throwable error) {
    if (error instanceof KubernetesClientException k) {
      String reason = k.getStatus() == null ? null : k.getStatus().getReason();
      return k.getCode() == 0
          ? "no answer from the API server (" + rootCause(k) + ")"
          : "HTTP " + k.getCode() + (reason == null ? "" : " " + reason);
    }
    return error.getClass().getSimpleName();
  }

  private static String rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName();
  }
}
