package dev.clawrate.operator.canary;

import java.util.List;

/**
 * The result of an analysis.
 *
 * @param verdict what it concludes
 * @param figures what it measured
 * @param reasons why it holds or fails, one short sentence each with the figure and the limit (e.g.
 *     "error rate 12.50% > 1.00%"); empty when it passes
 */
public record Analysis(Verdict verdict, Figures figures, List<String> reasons) {

  public Analysis {
    reasons = List.copyOf(reasons);
  }
}
