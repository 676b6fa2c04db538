package dev.clawrate.operator.traffic;

/** A route could not be read or written as asked; {@link #problem()} says why, safely. */
public final class RouteException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient RouteProblem problem;

  public RouteException(RouteProblem.Kind kind, String message) {
    super(message, null, false, false);
    this.problem = new RouteProblem(kind, message);
  }

  public RouteProblem problem() {
    return problem;
  }

  public RouteProblem.Kind kind() {
    return problem.kind();
  }
}
