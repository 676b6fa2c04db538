package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The tenant's service level objectives and the burn-rate alerts that watch them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"availability", "latency", "minRequests", "page", "ticket"})
public class TenantSloSpec {

  @JsonPropertyDescription("Share of requests that must not be server errors (default: 99.9%).")
  private AvailabilityObjectiveSpec availability;

  @JsonPropertyDescription(
      "Share of requests that must be answered within a threshold (default: 99% within 100ms).")
  private LatencyObjectiveSpec latency;

  @Min(1)
  @Max(1000000000)
  @JsonPropertyDescription(
      "Requests a long window must hold, in a region, before its burn rate is judged: fewer is too little traffic to page on (default 100).")
  private Long minRequests;

  @JsonPropertyDescription(
      "The fast pair, which pages (default longWindow 1h, shortWindow 5m, burnRate 14.4).")
  private BurnRateAlertSpec page;

  @JsonPropertyDescription(
      "The slow pair, which opens a ticket (default longWindow 6h, shortWindow 30m, burnRate 6).")
  private BurnRateAlertSpec ticket;

  public AvailabilityObjectiveSpec getAvailability() {
    return availability;
  }

  public void setAvailability(AvailabilityObjectiveSpec availability) {
    this.availability = availability;
  }

  public LatencyObjectiveSpec getLatency() {
    return latency;
  }

  public void setLatency(LatencyObjectiveSpec latency) {
    this.latency = latency;
  }

  public Long getMinRequests() {
    return minRequests;
  }

  public void setMinRequests(Long minRequests) {
    this.minRequests = minRequests;
  }

  public BurnRateAlertSpec getPage() {
    return page;
  }

  public void setPage(BurnRateAlertSpec page) {
    this.page = page;
  }

  public BurnRateAlertSpec getTicket() {
    return ticket;
  }

  public void setTicket(BurnRateAlertSpec ticket) {
    this.ticket = ticket;
  }
}
