package dev.clawrate.rater.snapshot;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells several listeners, in order. A listener that throws is logged and skipped: the reloader has
 * already swapped the snapshot in, and a listener's failure must not report it as rejected.
 */
public final class CompositeReloadListener implements ReloadListener {

  private static final Logger LOG = LoggerFactory.getLogger(CompositeReloadListener.class);

  private final List<ReloadListener> listeners;

  private CompositeReloadListener(List<ReloadListener> listeners) {
    this.listeners = listeners;
  }

  public static ReloadListener of(ReloadListener... listeners) {
    return new CompositeReloadListener(List.of(listeners));
  }

  @Override
  public void accepted(LoadedSnapshot snapshot) {
    for (ReloadListener listener : listeners) {
      try {
        listener.accepted(snapshot);
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
  }

  @Override
  public void rejected(String track, String error) {
    for (ReloadListener listener : listeners) {
      try {
        listener.rejected(track, error);
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
  }

  @Override
  public void recovered(LoadedSnapshot snapshot) {
    for (ReloadListener listener : listeners) {
      try {
        listener.recovered(snapshot);
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
  }

  private static void failed(ReloadListener listener, RuntimeException e) {
    LOG.atError()
        .addKeyValue("listener", listener.getClass().getSimpleName())
        .setCause(e)
        .log("reload listener failed");
  }
}
