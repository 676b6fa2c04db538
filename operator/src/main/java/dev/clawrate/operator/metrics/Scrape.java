package dev.clawrate.operator.metrics;

/**
 * What reading one instance's metrics gave: the parsed exposition, or why there is none.
 *
 * @param instance the instance's key: a pod name or a URL without credentials
 * @param metrics what was read, or null when it could not be
 * @param problem why not, in words of this operator's (a status code, an exception's class), never
 *     text the instance sent; null when read
 */
record Scrape(String instance, ParsedMetrics metrics, String problem) {

  static Scrape read(String instance, ParsedMetrics metrics) {
    return new Scrape(instance, metrics, null);
  }

  static Scrape failed(String instance, String problem) {
    return new Scrape(instance, null, problem);
  }
}
