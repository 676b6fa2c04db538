package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Where traffic is shifted: the user's HTTPRoute in each region, and the two rater Services it
 * names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"route", "stableService", "canaryService"})
public class CanaryTrafficSpec {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription(
      "The HTTPRoute, in the raters' namespace of each region, whose backendRefs name"
          + " both Services. The operator sets only those two weights; it never creates, owns"
          + " or otherwise edits the route.")
  private String route;

  @Required
  @Pattern("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("The Service of the stable raters.")
  private String stableService;

  @Required
  @Pattern("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("The Service of the canary raters.")
  private String canaryService;

  public String getRoute() {
    return route;
  }

  public void setRoute(String route) {
    this.route = route;
  }

  public String getStableService() {
    return stableService;
  }

  public void setStableService(String stableService) {
    this.stableService = stableService;
  }

  public String getCanaryService() {
    return canaryService;
  }

  public void setCanaryService(String canaryService) {
    this.canaryService = canaryService;
  }
}
