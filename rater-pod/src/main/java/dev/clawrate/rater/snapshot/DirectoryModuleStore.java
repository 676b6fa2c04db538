package dev.clawrate.rater.snapshot;

import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.engine.ModuleDigest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Modules stored as {@code <dir>/<64 hex sha256>.wasm}. */
public final class DirectoryModuleStore implements ModuleStore {

  private final Path dir;

  public DirectoryModuleStore(Path dir) {
    this.dir = dir;
  }

  public Path pathOf(String digest) {
    return dir.resolve(ModuleDigest.hex(digest) + ".wasm");
  }

  @Override
  public byte[] read(String digest) throws ModelValidationException {
    Path path = pathOf(digest);
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes(MAX_MODULE_BYTES + 1);
      if (bytes.length > MAX_MODULE_BYTES) {
        throw new ModelValidationException(
            "module " + path + " is larger than " + MAX_MODULE_BYTES + " bytes");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ModelValidationException("module file " + path + " not found");
    } catch (IOException e) {
      throw new ModelValidationException("cannot read module file " + path + ": " + e, e);
    }
  }
}
