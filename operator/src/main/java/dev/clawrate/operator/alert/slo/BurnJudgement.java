package dev.clawrate.operator.alert.slo;

/**
 * What {@link BurnRateJudge} makes of one rule over one region's windows.
 *
 * @param rule the rule judged
 * @param cause why the state is what it is
 * @param longBurnRate the burn rate over what the long window holds; NaN without requests
 * @param shortBurnRate the burn rate over the short window; NaN without requests
 * @param longWindow the long window's counts
 * @param shortWindow the short window's counts
 * @param minRequests the requests the long window needed (at least 1)
 */
public record BurnJudgement(
    BurnRule rule,
    Cause cause,
    double longBurnRate,
    double shortBurnRate,
    WindowCounts longWindow,
    WindowCounts shortWindow,
    long minRequests) {

  /** Why a judgement is what it is. */
  public enum Cause {
    /** Both windows burn at least the factor: firing. */
    BURNING(SloState.FIRING),
    /** The short window burns less than the factor, or had no requests: not firing. */
    SHORT_WINDOW_BELOW(SloState.OK),
    /**
     * A firing alert's short window had no requests: nothing says the burn stopped, so the alert
     * stays (a stalled or saturated rater answers nothing for a moment while it still burns).
     */
    SHORT_WINDOW_QUIET(SloState.UNKNOWN),
    /** The long window, seen whole, burns less than the factor: not firing. */
    LONG_WINDOW_BELOW(SloState.OK),
    /** A firing alert's long window, seen whole, held no request: resolved. */
    NO_TRAFFIC(SloState.OK),
    /** The long window, seen whole, holds too few requests to judge. */
    TOO_LITTLE_TRAFFIC(SloState.UNKNOWN),
    /**
     * The long window is not seen whole yet, and what was seen can tell neither way: it holds too
     * few requests, or the short window burns but what the long one saw is not enough on its own.
     * Unlike too little traffic, a later evaluation may find this was firing all along.
     */
    TOO_LITTLE_HISTORY(SloState.UNKNOWN);

    private final SloState state;

    Cause(SloState state) {
      this.state = state;
    }

    public SloState state() {
      return state;
    }
  }

  public SloState state() {
    return cause.state();
  }

  /** One clause saying why, from numbers and durations only. */
  public String reason() {
    String factor = SloText.oneDecimal(rule.factor()) + "x";
    String shortName = SloText.duration(rule.shortWindow());
    String longName = SloText.duration(rule.longWindow());
    return switch (cause) {
      case BURNING ->
          "burn rate "
              + SloText.oneDecimal(shortBurnRate)
              + "x over "
              + shortName
              + " and "
              + SloText.oneDecimal(longBurnRate)
              + "x over "
              + longSeen(longName)
              + ", at or above "
              + factor;
      case SHORT_WINDOW_BELOW ->
          shortWindow.total() > 0
              ? "burn rate "
                  + SloText.oneDecimal(shortBurnRate)
                  + "x over "
                  + shortName
                  + ", below "
                  + factor
              : "no requests over " + shortName;
      case LONG_WINDOW_BELOW ->
          "burn rate "
              + SloText.oneDecimal(longBurnRate)
              + "x over "
              + longName
              + ", below "
              + factor
              + " ("
              + SloText.oneDecimal(shortBurnRate)
              + "x over "
              + shortName
              + ")";
      case SHORT_WINDOW_QUIET ->
          "no requests over " + shortName + " to tell whether it still burns";
      case NO_TRAFFIC -> "no traffic to judge: " + tooFew(longName);
      case TOO_LITTLE_TRAFFIC -> "too little traffic to judge: " + tooFew(longName);
      case TOO_LITTLE_HISTORY ->
          longWindow.total() < minRequests
              ? "too little traffic to judge yet: " + tooFew(longSeen(longName))
              : "burn rate "
                  + SloText.oneDecimal(shortBurnRate)
                  + "x over "
                  + shortName
                  + " and "
                  + SloText.oneDecimal(longBurnRate)
                  + "x over "
                  + longSeen(longName)
                  + ": too little history to tell whether "
                  + longName
                  + " burns "
                  + factor;
    };
  }

  /** {@code 42 requests over 1h, fewer than 100}. */
  private String tooFew(String over) {
    return SloText.count(longWindow.total())
        + " requests over "
        + over
        + ", fewer than "
        + minRequests;
  }

  private String longSeen(String longName) {
    return longWindow.fullHistory()
        ? longName
        : "the " + SloText.duration(longWindow.history()) + " of " + longName + " seen so far";
  }
}
