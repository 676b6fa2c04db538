package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Who is notified of the tenant's alerts, and of what. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"receivers", "links", "events"})
public class TenantAlertingSpec {

  @Size(max = 8)
  @ValidationRule(
      value = "self.all(r, self.exists_one(s, s.name == r.name))",
      message = "receiver names must be unique")
  @JsonPropertyDescription(
      "Where the tenant's notifications go; each gets every notification of the severities it takes.")
  private List<AlertReceiverSpec> receivers;

  @Size(max = 5)
  @JsonPropertyDescription("Links sent with every notification (dashboard, runbook).")
  private List<AlertLinkSpec> links;

  @JsonPropertyDescription("Which events besides SLO burn notify (default: all).")
  private AlertEventsSpec events;

  public List<AlertReceiverSpec> getReceivers() {
    return receivers;
  }

  public void setReceivers(List<AlertReceiverSpec> receivers) {
    this.receivers = receivers;
  }

  public List<AlertLinkSpec> getLinks() {
    return links;
  }

  public void setLinks(List<AlertLinkSpec> links) {
    this.links = links;
  }

  public AlertEventsSpec getEvents() {
    return events;
  }

  public void setEvents(AlertEventsSpec events) {
    this.events = events;
  }
}
