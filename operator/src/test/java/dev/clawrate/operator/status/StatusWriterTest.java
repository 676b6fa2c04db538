package dev.clawrate.operator.status;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

  private KubernetesClient nothing;
  private StatusWriter writer;

  /** An API server address with nothing listening: any request fails. */
  @BeforeEach
  void clientOfNothing() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    nothing =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:" + port)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    writer =
        new StatusWriter(nothing, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  @AfterEach
  void close() {
    nothing.close();
  }

  private static RatingModel model(String namespace, String name) {
    RatingModel model = new RatingModel();
    model.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withResourceVersion("1")
            .build());
    return model;
  }

  private boolean write(RatingModel model) {
    RatingModelStatus status = new RatingModelStatus();
    status.setMessage("refused");
    return writer.write(model, status, copy -> copy.setStatus(status));
  }

  @Test
  void aWellFormedResourceIsWritten() {
    assertThrows(KubernetesClientException.class, () -> write(model("team-a", "scorer")));
  }

  @Test
  void aResourceWhoseNamesWouldLeaveItsPathIsNotWritten() {
    for (RatingModel model :
        List.of(
            model("team-a", "x/../../../team-b/ratingmodels/victim"),
            model("team-a", ".."),
            model("team-a/../team-b", "scorer"),
            model("team-a", "Scorer"),
            model(null, "scorer"))) {
      assertFalse(write(model), model.getMetadata().toString());
    }
  }
}
