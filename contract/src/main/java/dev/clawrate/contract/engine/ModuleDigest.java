package dev.clawrate.contract.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The content address of a module: {@code sha256:<64 lowercase hex>}. */
public final class ModuleDigest {

  public static final String PREFIX = "sha256:";
  private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");

  private ModuleDigest() {}

  public static String of(byte[] bytes) {
    try {
      return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }

  public static boolean isWellFormed(String digest) {
    return digest != null && FORM.matcher(digest).matches();
  }

  /** The 64 hex characters, as used in file and ConfigMap names. */
  public static String hex(String digest) {
    if (!isWellFormed(digest)) {
      throw new IllegalArgumentException(
          "digest must look like sha256:<64 lowercase hex>, got '" + digest + "'");
    }
    return digest.substring(PREFIX.length());
  }
}
