package dev.clawrate.rater.http;

import java.util.Locale;

/** Whether a rating may run on the network thread that read the request. */
public enum NetworkThreadPolicy {
  /** When the model has proven quick; otherwise on a worker thread (the default). */
  AUTO,
  /** Always: lowest latency, but a slow model stalls the connections sharing its thread. */
  ALWAYS,
  /** Never: every rating is handed to a worker thread. */
  NEVER;

  public static NetworkThreadPolicy parse(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
