package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Observed state of a {@link TenantConfig}, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "observedGeneration",
  "model",
  "digest",
  "message",
  "conditions",
  "regions",
  "regionsSynced",
  "raters",
  "alertSummary",
  "slo",
  "alerts",
  "receivers"
})
public class TenantConfigStatus extends ServedStatus {

  @JsonPropertyDescription("Name of the RatingModel the tenant resolved to.")
  private String model;

  @JsonPropertyDescription(
      "Digest (sha256:<hex>) of the model module the tenant's raters serve it with.")
  private String digest;

  @JsonPropertyDescription(
      "The firing alerts in short (e.g. latency-page), or OK; None when no objective is watched.")
  private String alertSummary;

  @JsonPropertyDescription("How the objectives are doing.")
  private SloStatus slo;

  @JsonPropertyDescription(
      "Alerts firing, and those resolved within the last hour. What the operator has told each"
          + " receiver is kept here, so a restart neither loses a firing alert nor pages twice.")
  private List<AlertStatus> alerts;

  @JsonPropertyDescription("Whether each receiver takes the tenant's notifications.")
  private List<ReceiverStatus> receivers;

  public String getAlertSummary() {
    return alertSummary;
  }

  public void setAlertSummary(String alertSummary) {
    this.alertSummary = alertSummary;
  }

  public SloStatus getSlo() {
    return slo;
  }

  public void setSlo(SloStatus slo) {
    this.slo = slo;
  }

  public List<AlertStatus> getAlerts() {
    return alerts;
  }

  public void setAlerts(List<AlertStatus> alerts) {
    this.alerts = alerts;
  }

  public List<ReceiverStatus> getReceivers() {
    return receivers;
  }

  public void setReceivers(List<ReceiverStatus> receivers) {
    this.receivers = receivers;
  }

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }
}
