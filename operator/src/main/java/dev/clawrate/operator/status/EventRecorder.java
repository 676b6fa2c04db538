package dev.clawrate.operator.status;

import dev.clawrate.operator.api.KubeNames;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on the custom resources, as {@code kubectl describe} shows them.
 * Callers record on condition transitions only, so a resync does not repeat them. Failing to record
 * an event never fails a reconcile.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "clawrate-operator";

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata resource, String reason, String message) {
    record(resource, "Normal", reason, message);
  }

  public void warning(HasMetadata resource, String reason, String message) {
    record(resource, "Warning", reason, message);
  }

  private void record(HasMetadata resource, String type, String reason, String message) {
    var metadata = resource.getMetadata();
    String unaddressable = KubeNames.whyNotObjectPath(metadata.getNamespace(), metadata.getName());
    if (unaddressable != null) {
      // Only a server that validates nothing stores such an object; its namespace is in the path.
      LOG.atWarn()
          .addKeyValue("kind", resource.getKind())
          .addKeyValue("uid", metadata.getUid())
          .addKeyValue("reason", reason)
          .addKeyValue("problem", unaddressable)
          .log("event not recorded: the resource's name cannot be used in an API path");
      return;
    }
    String now = clock.instant().toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(metadata.getNamespace())
            .withName(metadata.getName() + "." + UUID.randomUUID().toString().substring(0, 13))
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(resource.getApiVersion())
                    .withKind(resource.getKind())
                    .withName(metadata.getName())
                    .withNamespace(metadata.getNamespace())
                    .withUid(metadata.getUid())
                    .withResourceVersion(metadata.getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(metadata.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.atWarn()
          .addKeyValue("resource", metadata.getNamespace() + "/" + metadata.getName())
          .addKeyValue("reason", reason)
          .addKeyValue("error", e.getMessage())
          .log("could not record event");
    }
  }
}
