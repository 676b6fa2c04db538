package dev.clawrate.rater.rating;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.contract.snapshot.TenantFallback;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything needed to rate one tenant, resolved when a snapshot is loaded so the request path does
 * no lookups: the model's runtime, the threshold, the accepted API key hashes, the fallback, and
 * the constant JSON around each request's input and each response.
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
  private final FallbackRoute fallback;

  /**
   * @param fallbackRuntime the runtime of the model the entry's fallback names, or null when it
   *     names none
   */
  public TenantRoute(
      String tenant,
      String model,
      String track,
      TenantEntry entry,
      ModelRuntime runtime,
      ModelRuntime fallbackRuntime) {
    this.tenant = tenant;
    this.model = model;
    this.track = track;
    this.runtime = runtime;
    this.threshold = entry.threshold();
    this.apiKeySha256 = entry.apiKeySha256().stream().map(HexFormat.of()::parseHex).toList();
    this.inputPrefix = inputPrefix(tenant, entry);
    this.responsePrefix = responsePrefix(tenant, model, runtime, track);
    this.fallback = fallback(tenant, track, entry.fallback(), fallbackRuntime);
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

  /**
   * Whether every model a request of this tenant may call has been quick (see {@link
   * ModelRuntime#isQuick()}): a fallback model runs on the same thread as the model it stands in
   * for, and one that is rarely called never shows it is quick.
   */
  public boolean isQuick() {
    return runtime.isQuick()
        && (fallback == null || fallback.runtime() == null || fallback.runtime().isQuick());
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

  /** The model the tenant's fallback names, or null when it names none or there is no fallback. */
  public String fallbackModel() {
    return fallback == null ? null : fallback.model();
  }

  /** The tenant's fallback, or null when it has none. */
  FallbackRoute fallback() {
    return fallback;
  }

  private static FallbackRoute fallback(
      String tenant, String track, TenantFallback fallback, ModelRuntime runtime) {
    String model = fallback == null ? null : fallback.model();
    if ((model == null) != (runtime == null)) {
      throw new IllegalArgumentException(
          "tenant " + tenant + " needs a fallback runtime exactly when its fallback names a model");
    }
    if (fallback == null) {
      return null;
    }
    return new FallbackRoute(
        model,
        runtime,
        fallback.decision(),
        model == null ? null : responsePrefix(tenant, model, runtime, track));
  }

  private static byte[] responsePrefix(
      String tenant, String model, ModelRuntime runtime, String track) {
    return ("{\"tenant\":"
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
