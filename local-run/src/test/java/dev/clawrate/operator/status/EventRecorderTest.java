package dev.clawrate.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.api.RatingModel;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  private LocalCluster cluster;
  private EventRecorder events;

  @BeforeEach
  void start() {
    cluster = LocalCluster.start(0);
    events = new EventRecorder(cluster.client(), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static RatingModel model(String namespace, String name) {
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return model;
  }

  private int recorded() {
    return cluster.client().v1().events().inAnyNamespace().list().getItems().size();
  }

  @Test
  void anEventIsRecordedOnAWellFormedResource() {
    events.warning(model("team-a", "scorer"), "ValidationFailed", "refused");
    assertEquals(1, recorded());
  }

  @Test
  void noEventIsSentAboutAResourceWhoseNamesCannotBeInAnApiPath() {
    events.warning(model("team-a", "x/../../victim"), "ValidationFailed", "refused");
    events.warning(model("team-a/../kube-system", "scorer"), "ValidationFailed", "refused");
    events.normal(model("team-a", ""), "Validated", "ok");
    assertEquals(0, recorded());
  }
}
