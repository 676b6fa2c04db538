package dev.clawrate.operator.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.operator.api.CanaryVersionStatus;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One published form of a governed target: the snapshot entry a track serves for it, the module
 * digest it rates with, and an identity that changes exactly when the entry does. A release is
 * about one such version; status records them so a track keeps serving its version whatever the
 * spec says meanwhile, across restarts.
 *
 * @param config the first 16 hex of the SHA-256 of the entry's canonical JSON
 * @param digest the module digest the entry rates with
 * @param model the entry, for a RatingModel target; else null
 * @param tenant the entry, for a TenantConfig target; else null
 */
public record ConfigVersion(String config, String digest, ModelEntry model, TenantEntry tenant) {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .build();

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern CONFIG = Pattern.compile("[0-9a-f]{16}");

  public static ConfigVersion of(ModelEntry model) {
    return new ConfigVersion(identity(model), model.digest(), model, null);
  }

  /**
   * @param digest the digest of the model the tenant's entry names, as published with it
   */
  public static ConfigVersion of(TenantEntry tenant, String digest) {
    return new ConfigVersion(identity(tenant), digest, null, tenant);
  }

  public CanaryVersionStatus toStatus() {
    CanaryVersionStatus status = new CanaryVersionStatus();
    status.setConfig(config);
    status.setDigest(digest);
    status.setEntry(MAPPER.valueToTree(model != null ? model : tenant));
    return status;
  }

  /** The identity and digest only: what status keeps of a version nothing serves any more. */
  public CanaryVersionStatus toIdentityStatus() {
    CanaryVersionStatus status = new CanaryVersionStatus();
    status.setConfig(config);
    status.setDigest(digest);
    return status;
  }

  /**
   * Reads a version back from status, or null when it is absent or does not hold together (the
   * status subresource can be written by anyone allowed to): its entry must parse, and its identity
   * must be the entry's own, so a hand edit cannot make a track serve something else.
   */
  public static ConfigVersion fromStatus(CanaryVersionStatus status, boolean modelTarget) {
    if (status == null
        || status.getEntry() == null
        || status.getDigest() == null
        || !DIGEST.matcher(status.getDigest()).matches()) {
      return null;
    }
    try {
      ConfigVersion version =
          modelTarget
              ? of(MAPPER.treeToValue(status.getEntry(), ModelEntry.class))
              : of(MAPPER.treeToValue(status.getEntry(), TenantEntry.class), status.getDigest());
      boolean consistent =
          version.config().equals(status.getConfig())
              && (!modelTarget || version.digest().equals(status.getDigest()))
              && (!modelTarget || DIGEST.matcher(version.model().digest()).matches());
      return consistent ? version : null;
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  /** Whether status names this config, by identity. */
  public boolean sameConfig(CanaryVersionStatus status) {
    return status != null && config.equals(status.getConfig());
  }

  /** Whether {@code text} could be a config identity: what an annotation must hold. */
  public static boolean looksLikeConfig(String text) {
    return text != null && CONFIG.matcher(text).matches();
  }

  private static String identity(Object entry) {
    try {
      byte[] json = MAPPER.writeValueAsBytes(entry);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("a snapshot entry could not be hashed", e);
    }
  }
}
