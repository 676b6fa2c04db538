package dev.clawrate.operator.kube;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every watch of the operator does when listing or watching fails. */
public final class Informers {

  private static final Logger LOG = LoggerFactory.getLogger(Informers.class);

  private Informers() {}

  /**
   * Makes the informer retry for ever, with a WARN line per failure naming what it watches (never
   * the URL: a region's comes from a kubeconfig): a region whose API server is down must converge
   * when it returns, and one failed watch must never stop the operator.
   *
   * @param region the region watched, or null for the operator's own cluster alone
   */
  public static <T> SharedIndexInformer<T> retryForever(
      SharedIndexInformer<T> informer, String what, String region) {
    informer.exceptionHandler(
        (isStarted, error) -> {
          LOG.atWarn()
              .addKeyValue("watching", what)
              .addKeyValue("region", region)
              .addKeyValue("error", Errors.describe(error))
              .log("listing or watching failed; retrying");
          return true;
        });
    return informer;
  }
}
