package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What one receiver has been told of an alert. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"receiver", "sequence"})
public class AlertDeliveryStatus {

  @JsonPropertyDescription("The receiver's name.")
  private String receiver;

  @JsonPropertyDescription(
      "The alert's last notification the receiver accepted (status.alerts[].sequence when up to date).")
  private Long sequence;

  public String getReceiver() {
    return receiver;
  }

  public void setReceiver(String receiver) {
    this.receiver = receiver;
  }

  public Long getSequence() {
    return sequence;
  }

  public void setSequence(Long sequence) {
    this.sequence = sequence;
  }
}
