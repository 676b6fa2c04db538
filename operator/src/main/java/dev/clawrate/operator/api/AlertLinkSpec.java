package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A link sent with every notification, such as a dashboard or a runbook. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"text", "url"})
public class AlertLinkSpec {

  @Required
  @Pattern("^[^\\x00-\\x1f]{1,64}$")
  @JsonPropertyDescription("What the link says (1 to 64 characters).")
  private String text;

  @Required
  @Pattern("^https?://[^\\s]{1,2000}$")
  @JsonPropertyDescription("An http(s) URL.")
  private String url;

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }
}
