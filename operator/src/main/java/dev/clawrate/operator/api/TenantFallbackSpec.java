package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** What answers for a tenant when its model cannot: another model, a fixed decision, or both. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"modelRef", "decision"})
@ValidationRule(
    value = "has(self.modelRef) || has(self.decision)",
    message = "a fallback needs a modelRef, a decision or both")
public class TenantFallbackSpec {

  @JsonPropertyDescription(
      "Another RatingModel, in this namespace, that rates the request when the tenant's model"
          + " traps, runs out of time, returns no rating or cannot run (e.g. a simple champion"
          + " scorecard).")
  private ModelRef modelRef;

  @Pattern("^[a-z][a-z0-9_-]{0,31}$")
  @JsonPropertyDescription(
      "Decision answered, with a null rating, when no model can answer (e.g. 'refer'): after the"
          + " fallback model, when both are given.")
  private String decision;

  public ModelRef getModelRef() {
    return modelRef;
  }

  public void setModelRef(ModelRef modelRef) {
    this.modelRef = modelRef;
  }

  public String getDecision() {
    return decision;
  }

  public void setDecision(String decision) {
    this.decision = decision;
  }
}
