package dev.clawrate.rater.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.snapshot.DirectorySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes config directories the way a careful writer (or kubelet) does: modules first, then
 * snapshot.json written to a temporary file and renamed over the old one.
 */
public final class ConfigDir {

  private final Path dir;
  private final Map<String, ModelEntry> models = new LinkedHashMap<>();
  private final Map<String, TenantEntry> tenants = new LinkedHashMap<>();
  private final Map<String, ShadowEntry> shadows = new LinkedHashMap<>();
  private long revision = 1;
  private String track = SnapshotCodec.TRACK_STABLE;

  public ConfigDir(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve(DirectorySource.MODULES_DIR));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return dir;
  }

  /** Adds module bytes under modules/ and returns their digest. */
  public String addModule(byte[] bytes) {
    String digest = ModuleDigest.of(bytes);
    writeAtomically(
        dir.resolve(DirectorySource.MODULES_DIR).resolve(ModuleDigest.hex(digest) + ".wasm"),
        bytes);
    return digest;
  }

  /** A model under {@link Fixtures#UNHURRIED} limits. */
  public ConfigDir model(String name, byte[] module) {
    return model(name, module, Fixtures.UNHURRIED);
  }

  public ConfigDir model(String name, byte[] module, ModelLimits limits) {
    models.put(name, new ModelEntry(addModule(module), "rate", limits));
    return this;
  }

  /** A model entry whose digest is given, whatever is (or is not) in modules/. */
  public ConfigDir modelWithDigest(String name, String digest) {
    models.put(name, new ModelEntry(digest, "rate", Fixtures.UNHURRIED));
    return this;
  }

  public ConfigDir removeModel(String name) {
    models.remove(name);
    return this;
  }

  public ConfigDir tenant(String id, String model, double threshold) {
    return tenant(id, model, threshold, JsonNodeFactory.instance.objectNode(), List.of());
  }

  public ConfigDir tenant(
      String id, String model, double threshold, ObjectNode parameters, List<String> keyHashes) {
    tenants.put(id, new TenantEntry(model, threshold, parameters, keyHashes));
    return this;
  }

  /** A tenant with no parameters or keys and the given fallback. */
  public ConfigDir tenant(String id, String model, double threshold, TenantFallback fallback) {
    tenants.put(
        id,
        new TenantEntry(
            model, threshold, JsonNodeFactory.instance.objectNode(), List.of(), fallback));
    return this;
  }

  public ConfigDir removeTenant(String id) {
    tenants.remove(id);
    return this;
  }

  /**
   * A shadow for a tenant: the candidate module under {@link Fixtures#UNHURRIED} limits, named
   * {@code candidate}, rated with {@code threshold} and no parameters.
   */
  public ConfigDir shadow(String tenant, double sampleRate, byte[] candidate, double threshold) {
    return shadow(tenant, sampleRate, candidate, Fixtures.UNHURRIED, threshold);
  }

  public ConfigDir shadow(
      String tenant, double sampleRate, byte[] candidate, ModelLimits limits, double threshold) {
    return shadowWithDigest(tenant, sampleRate, addModule(candidate), limits, threshold);
  }

  /** A shadow whose candidate digest is given, whatever is (or is not) in modules/. */
  public ConfigDir shadowWithDigest(
      String tenant, double sampleRate, String digest, ModelLimits limits, double threshold) {
    shadows.put(
        tenant,
        new ShadowEntry(
            sampleRate,
            new ModelEntry(digest, "rate", limits),
            new TenantEntry(
                "candidate", threshold, JsonNodeFactory.instance.objectNode(), List.of())));
    return this;
  }

  public ConfigDir removeShadow(String tenant) {
    shadows.remove(tenant);
    return this;
  }

  public ConfigDir revision(long revision) {
    this.revision = revision;
    return this;
  }

  public ConfigDir track(String track) {
    this.track = track;
    return this;
  }

  public long revision() {
    return revision;
  }

  /** Writes snapshot.json with the current revision, then bumps the revision for next time. */
  public ConfigDir publish() {
    writeSnapshot(
        SnapshotCodec.write(new SnapshotDocument(revision, track, models, tenants, shadows)));
    revision++;
    return this;
  }

  public void writeSnapshot(String json) {
    writeSnapshot(json.getBytes(StandardCharsets.UTF_8));
  }

  public void writeSnapshot(byte[] json) {
    writeAtomically(dir.resolve(DirectorySource.SNAPSHOT_FILE), json);
  }

  private static void writeAtomically(Path target, byte[] bytes) {
    try {
      Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
