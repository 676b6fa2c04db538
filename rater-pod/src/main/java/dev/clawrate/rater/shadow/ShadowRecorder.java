package dev.clawrate.rater.shadow;

/** Where shadow evaluations are counted: the metrics. */
public interface ShadowRecorder {

  /** A sample evaluated on {@code route}; ignored when the route is no longer live. */
  void compared(ShadowRoute route, ShadowComparison comparison);

  /**
   * A sample skipped because the shadow queue was full. Called on the request path: it must cost no
   * more than a map lookup.
   */
  void queueFull(ShadowRoute route);
}
