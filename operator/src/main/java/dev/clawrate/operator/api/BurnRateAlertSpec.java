package dev.clawrate.operator.api;

import static dev.clawrate.operator.api.ClawrateApi.DURATION;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * One multi-window burn-rate alert: it fires when the error budget burns faster than burnRate over
 * both windows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"longWindow", "shortWindow", "burnRate"})
public class BurnRateAlertSpec {

  @Pattern(DURATION)
  @JsonPropertyDescription(
      "The window that says the budget is really being spent (page default 1h, ticket 6h).")
  private String longWindow;

  @Pattern(DURATION)
  @JsonPropertyDescription(
      "The window that says it is still being spent, so the alert resolves soon after a fix (page default 5m, ticket 30m).")
  private String shortWindow;

  @Min(0.000001)
  @Max(1000000)
  @JsonPropertyDescription(
      "How many times faster than the SLO allows the budget must burn (page default 14.4: 2% of a 30-day budget in an hour; ticket default 6: 5% in six hours).")
  private Double burnRate;

  public String getLongWindow() {
    return longWindow;
  }

  public void setLongWindow(String longWindow) {
    this.longWindow = longWindow;
  }

  public String getShortWindow() {
    return shortWindow;
  }

  public void setShortWindow(String shortWindow) {
    this.shortWindow = shortWindow;
  }

  public Double getBurnRate() {
    return burnRate;
  }

  public void setBurnRate(Double burnRate) {
    this.burnRate = burnRate;
  }
}
