package dev.clawrate.operator.publish;

import dev.clawrate.operator.render.ResourceKey;
import java.util.Set;

/** Told which resources' published state changed, so their status can be brought up to date. */
@FunctionalInterface
public interface PublishListener {

  void changed(Set<ResourceKey> resources);
}
