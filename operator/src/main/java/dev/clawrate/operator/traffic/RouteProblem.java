package dev.clawrate.operator.traffic;

/**
 * Why the canary cannot move traffic through a route, or why a move does not count yet. The message
 * names only validated names (namespace, route, Services) and never quotes what the API server or a
 * gateway wrote, so it goes into status, events and logs as it is.
 *
 * @param kind what went wrong
 * @param message a sentence for a person
 */
public record RouteProblem(Kind kind, String message) {

  /** What went wrong, with the CamelCase reason a condition carries. */
  public enum Kind {
    /** A namespace, route or Service name given is not a valid Kubernetes name. */
    INVALID_NAME("InvalidName", false),
    /** The HTTPRoute does not exist (404). */
    ROUTE_NOT_FOUND("RouteNotFound", false),
    /** No rule of the route has a backendRef to either Service. */
    NO_RULE_FOR_SERVICES("NoRuleForServices", false),
    /** A rule refers to one of the two Services and not to the other. */
    MISSING_BACKEND_REF("MissingBackendRef", false),
    /** A rule refers to one of the Services more than once, so which weight to set is unclear. */
    AMBIGUOUS_BACKEND_REF("AmbiguousBackendRef", false),
    /** A gateway refused the route's current generation (its Accepted condition is False). */
    ROUTE_NOT_ACCEPTED("RouteNotAccepted", false),
    /** Someone else changed the route under every attempt to write it. */
    CONFLICT("RouteConflict", true),
    /** The API server did not answer (no connection, a time-out, 429 or a 5xx). */
    API_UNREACHABLE("ApiServerUnreachable", true),
    /** The API server refused the request (403, 422...): someone must act. */
    API_REFUSED("ApiServerRefused", false);

    private final String reason;
    private final boolean passes;

    Kind(String reason, boolean passes) {
      this.reason = reason;
      this.passes = passes;
    }

    /** The reason for a condition or an event. */
    public String reason() {
      return reason;
    }

    /** Whether trying again later may succeed with nobody acting. */
    public boolean passes() {
      return passes;
    }
  }

  public RouteProblem {
    if (kind == null || message == null) {
      throw new IllegalArgumentException("a route problem has a kind and a message");
    }
  }
}
