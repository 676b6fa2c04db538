package dev.clawrate.rater.kube;

import dev.clawrate.rater.snapshot.DirectorySource;
import dev.clawrate.rater.snapshot.ModuleStore;
import dev.clawrate.rater.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's snapshot when the ConfigMap cache holds one, otherwise the last good copy a {@link
 * dev.clawrate.rater.snapshot.SnapshotPersister} kept in the state directory. At start-up the cache
 * is still empty, so the first load serves the persisted copy at once, without waiting for an API
 * server that may be down; the cluster's snapshot replaces it when the informer lists it, through
 * the reloader's usual checks (a revision older than the live one is rejected).
 */
public final class LastGoodFallbackSource implements SnapshotSource {

  private static final Logger LOG = LoggerFactory.getLogger(LastGoodFallbackSource.class);

  private final ConfigMapSource cluster;
  private final DirectorySource lastGood;
  private final Path stateDir;
  // The source of the last snapshot read, whose modules the reloader asks for next. Written and
  // read on the reloader's single thread; volatile for the persister's benefit all the same.
  private volatile SnapshotSource readFrom;

  public LastGoodFallbackSource(ConfigMapSource cluster, Path stateDir) {
    this.cluster = cluster;
    this.stateDir = stateDir;
    this.lastGood = new DirectorySource(stateDir);
    this.readFrom = cluster;
  }

  @Override
  public void start(Runnable onChange) throws IOException {
    Files.createDirectories(stateDir);
    if (Files.exists(stateDir.resolve(DirectorySource.SNAPSHOT_FILE))) {
      LOG.atInfo()
          .addKeyValue("stateDir", stateDir)
          .log("serving the last good snapshot until the cluster's arrives");
      // The persisted copy answers the first load; the informer reports when it has listed.
      cluster.startWatching(onChange);
    } else {
      cluster.start(onChange);
    }
    // The state directory is not watched: only this rater writes it.
  }

  @Override
  public Duration settle() {
    return cluster.settle();
  }

  @Override
  public byte[] readSnapshot() throws IOException {
    byte[] fromCluster = cluster.readSnapshot();
    if (fromCluster != null) {
      readFrom = cluster;
      return fromCluster;
    }
    readFrom = lastGood;
    return lastGood.readSnapshot();
  }

  /** The modules of wherever the last snapshot was read from: the two are never mixed. */
  @Override
  public ModuleStore modules() {
    return readFrom.modules();
  }

  @Override
  public String describe() {
    return cluster.describe() + " (last good copy in " + stateDir + ")";
  }

  @Override
  public void close() {
    cluster.close();
  }
}
