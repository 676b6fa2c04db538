package dev.clawrate.contract.engine;

/**
 * Per-model resource limits. Every model runs under all three, whatever the module itself declares:
 * a module with no memory maximum is still capped at {@link #maxMemoryPages()}.
 *
 * @param maxMemoryPages largest linear memory, in 64 KiB pages
 * @param timeoutMillis wall-clock budget for one {@code rate} call
 * @param maxInputBytes largest request body (after decompression) the model is given
 */
public record ModelLimits(int maxMemoryPages, int timeoutMillis, int maxInputBytes) {

  public static final int DEFAULT_MAX_MEMORY_PAGES = 256;
  public static final int DEFAULT_TIMEOUT_MILLIS = 50;
  public static final int DEFAULT_MAX_INPUT_BYTES = 64 * 1024;

  /** 256 MiB: a pool holds one memory per concurrent call, so this bounds the heap it needs. */
  public static final int MAX_MEMORY_PAGES = 4096;

  public static final int MAX_TIMEOUT_MILLIS = 10_000;
  public static final int MAX_INPUT_BYTES = 4 * 1024 * 1024;

  /** Output is produced by untrusted code; reading more than this is refused, not attempted. */
  public static final int MAX_OUTPUT_BYTES = 1024 * 1024;

  public static final ModelLimits DEFAULTS =
      new ModelLimits(DEFAULT_MAX_MEMORY_PAGES, DEFAULT_TIMEOUT_MILLIS, DEFAULT_MAX_INPUT_BYTES);

  public ModelLimits {
    requireInRange("maxMemoryPages", maxMemoryPages, 1, MAX_MEMORY_PAGES);
    requireInRange("timeoutMillis", timeoutMillis, 1, MAX_TIMEOUT_MILLIS);
    requireInRange("maxInputBytes", maxInputBytes, 1, MAX_INPUT_BYTES);
  }

  private static void requireInRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
