package dev.clawrate.operator.metrics;

/**
 * What was read holds more than a read may keep (tenants of an instance, pods of a region), so it
 * is not kept at all rather than kept in part. The message is in our words.
 */
final class ReadLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private ReadLimitException(String message) {
    super(message);
  }

  static ReadLimitException tenants(int limit) {
    return new ReadLimitException("more than " + limit + " tenants in one instance's figures");
  }

  static ReadLimitException pods(int limit) {
    return new ReadLimitException("more than " + limit + " pods in the answers");
  }
}
