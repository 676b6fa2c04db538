package dev.clawrate.operator.metrics;

/**
 * Where a region's rater metrics are queried.
 *
 * @param baseUrl the Prometheus server's base URL ({@code https://prometheus.example:9090}, or with
 *     a path prefix), http or https, without credentials
 * @param bearerToken sent as {@code Authorization: Bearer}, or null; never logged or shown
 * @param namespace the region's rater namespace: the {@code namespace} label of the raters' series
 */
public record PrometheusEndpoint(String baseUrl, String bearerToken, String namespace) {

  @Override
  public String toString() {
    return "PrometheusEndpoint[namespace="
        + namespace
        + ", bearerToken="
        + (bearerToken == null ? "none" : "(set)")
        + "]";
  }
}
