package dev.clawrate.operator.alert;

import dev.clawrate.operator.alert.slo.SloVerdict;
import dev.clawrate.operator.api.ObjectiveStatus;
import dev.clawrate.operator.api.SloStatus;
import java.util.List;
import java.util.Map;

/**
 * What a tenant's status shows of its objectives, as the last evaluation found them: each
 * objective's page-pair burn rates in the worst region, written coarsely ({@link BurnFigures}) so
 * that a status is rewritten only when what it shows changes.
 *
 * @param figures objective to its figures; objectives not evaluated are absent
 */
public record SloFigures(Map<AlertKind, Figure> figures) {

  /** One objective's figures, as status shows them. */
  public record Figure(String target, String judgedAt, String burnRate, String burnRateLong) {}

  public SloFigures {
    figures = Map.copyOf(figures);
  }

  /** From an evaluation's verdicts: each objective's page verdict. */
  public static SloFigures of(List<SloVerdict> verdicts, Map<AlertKind, String> targets) {
    java.util.Map<AlertKind, Figure> figures = new java.util.EnumMap<>(AlertKind.class);
    for (SloVerdict verdict : verdicts) {
      if (verdict.severity() != Severity.PAGE) {
        continue;
      }
      String judgedAt =
          Double.isNaN(verdict.judgedAtSeconds())
              ? null
              : TenantAlerting.millis(
                  java.time.Duration.ofNanos(Math.round(verdict.judgedAtSeconds() * 1e9)));
      figures.put(
          verdict.kind(),
          new Figure(
              targets.get(verdict.kind()),
              judgedAt,
              BurnFigures.display(verdict.burnRate()),
              BurnFigures.display(verdict.longBurnRate())));
    }
    return new SloFigures(figures);
  }

  /** As status shows them; null when no objective is evaluated. */
  public SloStatus toStatus() {
    if (figures.isEmpty()) {
      return null;
    }
    SloStatus status = new SloStatus();
    status.setAvailability(objective(figures.get(AlertKind.AVAILABILITY)));
    status.setLatency(objective(figures.get(AlertKind.LATENCY)));
    return status;
  }

  private static ObjectiveStatus objective(Figure figure) {
    if (figure == null) {
      return null;
    }
    ObjectiveStatus status = new ObjectiveStatus();
    status.setTarget(figure.target());
    status.setJudgedAt(figure.judgedAt());
    status.setBurnRate(figure.burnRate());
    status.setBurnRateLong(figure.burnRateLong());
    return status;
  }
}
