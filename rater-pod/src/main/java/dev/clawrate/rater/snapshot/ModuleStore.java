package dev.clawrate.rater.snapshot;

import dev.clawrate.contract.engine.ModelValidationException;

/** Where module bytes are found by digest: a directory, ConfigMaps, a persisted state copy. */
public interface ModuleStore {

  /** The largest module accepted; one ConfigMap holds at most 1 MiB anyway. */
  int MAX_MODULE_BYTES = 64 * 1024 * 1024;

  /**
   * @throws ModelValidationException when the module is missing or unreadable, saying where it was
   *     looked for
   */
  byte[] read(String digest) throws ModelValidationException;
}
