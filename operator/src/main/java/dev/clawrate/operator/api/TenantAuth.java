package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * API-key authentication of a tenant. Only SHA-256 hashes of the keys are held, so the resource can
 * live in Git; callers send the key itself and the rater compares hashes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenantAuth {

  /** At most this many keys at once: enough to rotate without downtime. */
  public static final int MAX_KEYS = 10;

  @Required
  @Size(min = 1, max = MAX_KEYS)
  @JsonPropertyDescription(
      "Hex SHA-256 (64 lowercase hex digits) of each API key accepted for this tenant, e.g. the"
          + " output of: printf %s \"$KEY\" | sha256sum. List old and new key while rotating.")
  private List<@Pattern("^[0-9a-f]{64}$") String> apiKeySha256 = new ArrayList<>();

  public TenantAuth() {}

  public TenantAuth(List<String> apiKeySha256) {
    this.apiKeySha256 = apiKeySha256;
  }

  public List<String> getApiKeySha256() {
    return apiKeySha256;
  }

  public void setApiKeySha256(List<String> apiKeySha256) {
    this.apiKeySha256 = apiKeySha256;
  }
}
