package dev.clawrate.operator.publish;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where a region finds the bytes of a module it lacks: the modules validated lately, held in memory
 * up to a budget, then any region's cache of module ConfigMaps (a member region that comes back
 * empty is filled from the others). A module found nowhere is fetched again from its source by
 * whoever listens to {@link #onLost}.
 */
public final class ModuleLibrary {

  private final long maxBytes;
  private final Supplier<Collection<RegionTarget>> regions;
  // Guarded by this; in access order, so the least recently used module is dropped first.
  private final LinkedHashMap<String, byte[]> recent = new LinkedHashMap<>(16, 0.75f, true);
  private long bytesHeld;
  private volatile Consumer<String> lost = digest -> {};

  /**
   * @param maxBytes how many bytes of recent modules to hold; the region caches hold them all, this
   *     only spares a refetch when no region has one yet
   */
  public ModuleLibrary(long maxBytes, Supplier<Collection<RegionTarget>> regions) {
    this.maxBytes = maxBytes;
    this.regions = regions;
  }

  /** Who fetches a module again when no region and no memory holds its bytes. */
  public void onLost(Consumer<String> lost) {
    this.lost = lost;
  }

  /** A module that validated, as fetched: every region will be asked for it soon. */
  public synchronized void remember(String digest, byte[] bytes) {
    if (bytes.length > maxBytes || recent.containsKey(digest)) {
      return;
    }
    recent.put(digest, bytes);
    bytesHeld += bytes.length;
    var eldest = recent.entrySet().iterator();
    while (bytesHeld > maxBytes && eldest.hasNext()) {
      Map.Entry<String, byte[]> entry = eldest.next();
      bytesHeld -= entry.getValue().length;
      eldest.remove();
    }
  }

  /** The module's bytes, or null when neither memory nor any region holds them intact. */
  public byte[] bytes(String digest) {
    synchronized (this) {
      byte[] held = recent.get(digest);
      if (held != null) {
        return held;
      }
    }
    for (RegionTarget region : regions.get()) {
      byte[] cached = region.owned().moduleBytes(digest);
      if (cached != null) {
        return cached;
      }
    }
    return null;
  }

  /** Whether the bytes are at hand, so a region that lacks the module can be given it. */
  public boolean available(String digest) {
    synchronized (this) {
      if (recent.containsKey(digest)) {
        return true;
      }
    }
    return regions.get().stream().anyMatch(region -> region.modules().exists(digest));
  }

  /** No one holds the module's bytes: ask for it to be fetched again. */
  public void lost(String digest) {
    lost.accept(digest);
  }
}
