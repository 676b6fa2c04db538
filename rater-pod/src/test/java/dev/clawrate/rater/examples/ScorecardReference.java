package dev.clawrate.rater.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Independent Java reference implementation of the {@code credit-scorecard} example model ({@code
 * examples/models/credit-scorecard}), used by tests to check what the Wasm module returns.
 *
 * <p>Model, in short (the bin table is in {@code examples/models/README.md}):
 *
 * <ul>
 *   <li>Each attribute value falls into exactly one bin, {@code lower <= value < nextLower}, and
 *       earns its points. Debt-to-income is derived: {@code monthlyDebtPayments * 12 /
 *       annualIncome}. {@code monthsAtAddress} is optional and earns {@value
 *       #ADDRESS_MISSING_POINTS} points when absent or null.
 *   <li>The model's calibration: at {@value #REF_POINTS} total points the good:bad odds are {@value
 *       #REF_ODDS}:1 and every {@value #REF_PDO} points double them. {@code probabilityOfDefault =
 *       1 / (1 + odds)}, rounded half-up to 6 decimals.
 *   <li>Tenant scaling (parameters {@code baseScore}=600, {@code baseOdds}=50, {@code pdo}=20 by
 *       default): {@code rating = baseScore + pdo * log2(odds / baseOdds)}, first rounded half-up
 *       to 6 decimals (to absorb floating-point noise) and then half-up to an integer. With the
 *       defaults, {@code rating = 400 + totalPoints}.
 *   <li>Reason codes: attributes whose points are below that attribute's maximum, largest shortfall
 *       first, ties in attribute (= reason code) order, at most {@value #MAX_REASONS}.
 * </ul>
 *
 * Invalid input yields a {@link Rejected} with the same message the Wasm module puts in {@code
 * {"error": ...}}.
 */
public final class ScorecardReference {

  public static final double REF_POINTS = 200;
  public static final double REF_ODDS = 50;
  public static final double REF_PDO = 20;
  public static final int ADDRESS_MISSING_POINTS = 10;
  public static final int MAX_REASONS = 4;

  /** What {@link #rate} returns: a {@link Result} or a {@link Rejected}. */
  public sealed interface Outcome permits Result, Rejected {}

  /**
   * A successful rating.
   *
   * @param rating integer-valued rating (kept as double to match JSON numbers)
   * @param probabilityOfDefault rounded half-up to 6 decimals
   * @param totalPoints sum of {@code points}
   * @param debtToIncome derived ratio, rounded half-up to 4 decimals
   * @param points points per attribute, in attribute order
   * @param reasonCodes e.g. {@code ["R02", "R04"]}
   * @param reasons human-readable texts matching {@code reasonCodes}
   */
  public record Result(
      double rating,
      double probabilityOfDefault,
      int totalPoints,
      double debtToIncome,
      Map<String, Integer> points,
      List<String> reasonCodes,
      List<String> reasons)
      implements Outcome {
    public Result {
      points = Collections.unmodifiableMap(new LinkedHashMap<>(points));
      reasonCodes = List.copyOf(reasonCodes);
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * The model rejected the request; {@code error} is the exact message of the Wasm module's {@code
   * error}.
   */
  public record Rejected(String error) implements Outcome {}

  /** One scorecard attribute: its bins and its reason code. */
  private record Attribute(
      String name, String reasonCode, String reason, double[] lowerBounds, int[] points) {
    int pointsFor(double value) {
      int bin = 0;
      while (bin + 1 < lowerBounds.length && value >= lowerBounds[bin + 1]) {
        bin++;
      }
      return points[bin];
    }

    int maxPoints() {
      int max = Integer.MIN_VALUE;
      for (int p : points) {
        max = Math.max(max, p);
      }
      return max;
    }
  }

  // Attribute order = output order of "points" = tie-break order of reason codes.
  private static final List<Attribute> ATTRIBUTES =
      List.of(
          new Attribute(
              "age",
              "R01",
              "Age band associated with higher risk",
              new double[] {0, 25, 35, 45, 60},
              new int[] {22, 28, 34, 38, 40}),
          new Attribute(
              "annualIncome",
              "R02",
              "Annual income too low",
              new double[] {0, 20_000, 40_000, 70_000, 120_000},
              new int[] {5, 15, 28, 40, 50}),
          new Attribute(
              "debtToIncome",
              "R03",
              "Debt-to-income ratio too high",
              new double[] {0, 0.10, 0.20, 0.35, 0.50},
              new int[] {55, 45, 30, 15, 0}),
          new Attribute(
              "revolvingUtilization",
              "R04",
              "Revolving credit utilisation too high",
              new double[] {0, 0.10, 0.30, 0.50, 0.75, 1.00},
              new int[] {60, 50, 35, 20, 10, 0}),
          new Attribute(
              "delinquencies24m",
              "R05",
              "Delinquencies in the last 24 months",
              new double[] {0, 1, 2, 3},
              new int[] {55, 30, 15, 0}),
          new Attribute(
              "creditHistoryMonths",
              "R06",
              "Credit history too short",
              new double[] {0, 12, 36, 84, 180},
              new int[] {5, 15, 30, 40, 48}),
          new Attribute(
              "monthsAtAddress",
              "R07",
              "Time at current address too short or unknown",
              new double[] {0, 6, 24, 60},
              new int[] {4, 10, 16, 22}));

  /**
   * A numeric field with its valid range; {@code rangeMessage} is appended to the field's path on
   * error.
   */
  private record Field(String name, double min, double max, boolean integer, String rangeMessage) {}

  private static final Field AGE = new Field("age", 18, 120, false, " must be between 18 and 120");
  private static final Field ANNUAL_INCOME =
      new Field("annualIncome", 1, 1e9, false, " must be between 1 and 1000000000");
  private static final Field MONTHLY_DEBT =
      new Field("monthlyDebtPayments", 0, 1e8, false, " must be between 0 and 100000000");
  private static final Field UTILIZATION =
      new Field("revolvingUtilization", 0, 10, false, " must be between 0 and 10");
  private static final Field DELINQUENCIES =
      new Field("delinquencies24m", 0, 1000, true, " must be an integer between 0 and 1000");
  private static final Field HISTORY =
      new Field("creditHistoryMonths", 0, 1200, true, " must be an integer between 0 and 1200");
  private static final Field ADDRESS =
      new Field("monthsAtAddress", 0, 1200, true, " must be an integer between 0 and 1200");

  private static final Field BASE_SCORE =
      new Field("baseScore", 0, 10_000, false, " must be between 0 and 10000");
  private static final Field BASE_ODDS =
      new Field("baseOdds", 0.001, 1e6, false, " must be between 0.001 and 1000000");
  private static final Field PDO = new Field("pdo", 1, 500, false, " must be between 1 and 500");

  /** Signals a rejected request inside this class. */
  private static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private ScorecardReference() {}

  /**
   * Rates one request.
   *
   * @param input the request's {@code input} object (may be null or missing)
   * @param parameters the tenant's {@code parameters} object (may be null, missing or empty)
   */
  public static Outcome rate(JsonNode input, JsonNode parameters) {
    try {
      return score(input, parameters);
    } catch (Invalid e) {
      return new Rejected(e.getMessage());
    }
  }

  private static Result score(JsonNode input, JsonNode parameters) throws Invalid {
    // Parameters are checked before the input.
    if (isAbsent(parameters)) {
      parameters = null;
    } else if (!parameters.isObject()) {
      throw new Invalid("parameters must be an object");
    }
    double baseScore = optional(parameters, "parameters.", BASE_SCORE).orElse(600.0);
    double baseOdds = optional(parameters, "parameters.", BASE_ODDS).orElse(50.0);
    double pdo = optional(parameters, "parameters.", PDO).orElse(20.0);

    if (isAbsent(input)) {
      throw new Invalid("input is required");
    }
    if (!input.isObject()) {
      throw new Invalid("input must be an object");
    }
    double age = required(input, AGE);
    double income = required(input, ANNUAL_INCOME);
    double monthlyDebt = required(input, MONTHLY_DEBT);
    double utilization = required(input, UTILIZATION);
    double delinquencies = required(input, DELINQUENCIES);
    double history = required(input, HISTORY);
    Optional<Double> address = optional(input, "input.", ADDRESS);

    double debtToIncome = monthlyDebt * 12 / income;
    double[] values = {
      age, income, debtToIncome, utilization, delinquencies, history, address.orElse(0.0)
    };

    Map<String, Integer> points = new LinkedHashMap<>();
    int total = 0;
    for (int a = 0; a < ATTRIBUTES.size(); a++) {
      Attribute attribute = ATTRIBUTES.get(a);
      int p =
          attribute.name().equals("monthsAtAddress") && address.isEmpty()
              ? ADDRESS_MISSING_POINTS
              : attribute.pointsFor(values[a]);
      points.put(attribute.name(), p);
      total += p;
    }

    double log2OddsOverRef = (total - REF_POINTS) / REF_PDO;
    double odds = REF_ODDS * Math.pow(2, log2OddsOverRef);
    double probabilityOfDefault = 1 / (1 + odds);
    double log2RefOverBase = (Math.log(REF_ODDS) - Math.log(baseOdds)) / Math.log(2);
    double scaled = baseScore + pdo * (log2OddsOverRef + log2RefOverBase);
    double rating = roundHalfUp(roundHalfUp(scaled, 6), 0);

    List<Attribute> adverse =
        ATTRIBUTES.stream()
            .filter(attribute -> shortfall(attribute, points) > 0)
            .sorted(
                Comparator.comparingInt((Attribute attribute) -> -shortfall(attribute, points))
                    .thenComparing(Attribute::reasonCode))
            .limit(MAX_REASONS)
            .toList();
    List<String> reasonCodes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Attribute attribute : adverse) {
      reasonCodes.add(attribute.reasonCode());
      reasons.add(attribute.reason());
    }
    return new Result(
        rating,
        roundHalfUp(probabilityOfDefault, 6),
        total,
        roundHalfUp(debtToIncome, 4),
        points,
        reasonCodes,
        reasons);
  }

  private static int shortfall(Attribute attribute, Map<String, Integer> points) {
    return attribute.maxPoints() - points.get(attribute.name());
  }

  /** Half-up rounding to {@code decimals} places: floor(x * 10^d + 0.5) / 10^d. */
  static double roundHalfUp(double x, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.floor(x * scale + 0.5) / scale;
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull();
  }

  private static double required(JsonNode object, Field field) throws Invalid {
    return optional(object, "input.", field)
        .orElseThrow(() -> new Invalid("input." + field.name() + " is required"));
  }

  /** Empty when the member is missing or null; otherwise a validated number. */
  private static Optional<Double> optional(JsonNode object, String prefix, Field field)
      throws Invalid {
    JsonNode node = object == null ? null : object.get(field.name());
    if (isAbsent(node)) {
      return Optional.empty();
    }
    if (!node.isNumber()) {
      throw new Invalid(prefix + field.name() + " must be a number");
    }
    double value = node.doubleValue();
    boolean inRange = value >= field.min() && value <= field.max();
    if (!inRange || (field.integer() && Math.floor(value) != value)) {
      throw new Invalid(prefix + field.name() + field.rangeMessage());
    }
    return Optional.of(value);
  }
}
