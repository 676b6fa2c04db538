package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Where a tenant's alerts go: exactly one of slack, pagerduty or webhook, its address or key read
 * from a Secret in the tenant's namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "severities", "slack", "pagerduty", "webhook"})
@ValidationRule(
    value =
        "(has(self.slack) ? 1 : 0) + (has(self.pagerduty) ? 1 : 0) + (has(self.webhook) ? 1 : 0)"
            + " == 1",
    message = "exactly one of slack, pagerduty or webhook must be set")
public class AlertReceiverSpec {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("Name of the receiver, unique in the TenantConfig (a DNS label).")
  private String name;

  @Size(min = 1, max = 2)
  @JsonPropertyDescription("Severities sent to this receiver: page, ticket (default both).")
  private List<@Pattern("^(page|ticket)$") String> severities;

  @JsonPropertyDescription("Slack incoming webhook: the Secret key holding the webhook URL.")
  private SecretKeyRef slack;

  @JsonPropertyDescription(
      "PagerDuty Events API v2: the Secret key holding the integration (routing) key.")
  private SecretKeyRef pagerduty;

  @JsonPropertyDescription(
      "A webhook sent Alertmanager's webhook payload (version 4): the Secret key holding its URL.")
  private SecretKeyRef webhook;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<@Pattern("^(page|ticket)$") String> getSeverities() {
    return severities;
  }

  public void setSeverities(List<@Pattern("^(page|ticket)$") String> severities) {
    this.severities = severities;
  }

  public SecretKeyRef getSlack() {
    return slack;
  }

  public void setSlack(SecretKeyRef slack) {
    this.slack = slack;
  }

  public SecretKeyRef getPagerduty() {
    return pagerduty;
  }

  public void setPagerduty(SecretKeyRef pagerduty) {
    this.pagerduty = pagerduty;
  }

  public SecretKeyRef getWebhook() {
    return webhook;
  }

  public void setWebhook(SecretKeyRef webhook) {
    this.webhook = webhook;
  }
}
