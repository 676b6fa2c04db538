package dev.clawrate.rater.rating;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.rater.engine.ModelRuntime;
import dev.clawrate.rater.snapshot.TenantEntry;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything needed to rate one tenant, resolved when a snapshot is loaded so the request path does
 * no lookups: the model's runtime, the threshold, the accepted API key hashes, and the constant
 * JSON around each request's input and each response.
 */
public final class TenantRoute {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String tenant;
  private final String model;
  private final String track;
  private final ModelRuntime runtime;
  private final double threshold;
  private final List<byte[]> apiKeySha256;
  // {"tenant":"…","parameters":{…},"input":   — the request body and "}" follow.
  private final byte[] inputPrefix;
  // {"tenant":"…","model":"…","digest":"…","track":"…","rating":   — the rest follows.
  private final byte[] responsePrefix;

  public TenantRoute(
      String tenant, String model, String track, TenantEntry entry, ModelRuntime runtime) {
    this.tenant = tenant;
    this.model = model;
    this.track = track;
    this.runtime = runtime;
    this.threshold = entry.threshold();
    this.apiKeySha256 = entry.apiKeySha256().stream().map(HexFormat.of()::parseHex).toList();
    this.inputPrefix = inputPrefix(tenant, entry);
    this.responsePrefix =
        ("{\"tenant\":"
                + quote(tenant)
                + ",\"model\":"
                + quote(model)
                + ",\"digest\":"
                + quote(runtime.digest())
                + ",\"track\":"
                + quote(track)
                + ",\"rating\":")
            .getBytes(StandardCharsets.UTF_8);
  }

  public String tenant() {
    return tenant;
  }

  public String model() {
    return model;
  }

  public String track() {
    return track;
  }

  public String digest() {
    return runtime.digest();
  }

  public ModelRuntime runtime() {
    return runtime;
  }

  public double threshold() {
    return threshold;
  }

  public int maxInputBytes() {
    return runtime.limits().maxInputBytes();
  }

  public boolean requiresApiKey() {
    return !apiKeySha256.isEmpty();
  }

  List<byte[]> apiKeySha256() {
    return apiKeySha256;
  }

  byte[] inputPrefix() {
    return inputPrefix;
  }

  byte[] responsePrefix() {
    return responsePrefix;
  }

  private static byte[] inputPrefix(String tenant, TenantEntry entry) {
    try {
      return ("{\"tenant\":"
              + quote(tenant)
              + ",\"parameters\":"
              + MAPPER.writeValueAsString(entry.parameters())
              + ",\"input\":")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree always serialises", e);
    }
  }

  private static String quote(String value) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
  }
}
