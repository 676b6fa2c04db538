package dev.clawrate.operator.region;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Reads a Secret's values as the API server would hand them to a pod. */
final class SecretData {

  private SecretData() {}

  /**
   * The value of the key, or null when the Secret lacks it. {@code stringData} wins over {@code
   * data}, as it does when the API server merges them on write; the mock API server keeps it apart.
   *
   * @param reason the reason to refuse with when the value is not valid base64
   */
  static byte[] bytes(Secret secret, String key, String reason) throws Refusal {
    String plain = valueOf(secret.getStringData(), key);
    if (plain != null) {
      return plain.getBytes(StandardCharsets.UTF_8);
    }
    String encoded = valueOf(secret.getData(), key);
    if (encoded == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // The exception names the offending character: a byte of the Secret.
      throw new Refusal(reason, "key '" + key + "' is not valid base64");
    }
  }

  /**
   * The value of a key that holds a name, or null when absent or blank. Surrounding whitespace is
   * dropped: a value written from a file usually ends in a newline.
   */
  static String name(Secret secret, String key, String reason) throws Refusal {
    byte[] bytes = bytes(secret, key, reason);
    if (bytes == null) {
      return null;
    }
    String name = new String(bytes, StandardCharsets.UTF_8).strip();
    return name.isEmpty() ? null : name;
  }

  private static String valueOf(Map<String, String> values, String key) {
    return values == null ? null : values.get(key);
  }
}
