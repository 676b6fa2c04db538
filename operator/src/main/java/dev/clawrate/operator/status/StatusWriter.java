package dev.clawrate.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.operator.api.KubeNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a custom resource's status only when it differs from what the resource has, with an update
 * of the status subresource guarded by resourceVersion: a stale view fails with a conflict and the
 * reconcile is retried on fresh data, instead of overwriting newer state.
 */
public final class StatusWriter {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final KubernetesClient client;
  private final MeterRegistry registry;

  /**
   * @param registry counts the writes by kind: each is a request to the API server, and a count
   *     that keeps climbing while nothing changes is a loop worth an alert
   */
  public StatusWriter(KubernetesClient client, MeterRegistry registry) {
    this.client = client;
    this.registry = registry;
  }

  /**
   * @param current the resource as the reconcile saw it; left unmodified
   * @param status the status it should have
   * @return true if a write was made; false also when the resource's namespace or name could not be
   *     part of an API path
   */
  public <S, R extends CustomResource<?, S>> boolean write(
      R current, S status, Consumer<R> setStatus) {
    if (!needsWrite(current, status)) {
      return false;
    }
    @SuppressWarnings("unchecked")
    R copy = (R) Serialization.clone((HasMetadata) current);
    setStatus.accept(copy);
    try {
      client.resource(copy).updateStatus();
      counted(current);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND
          && e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // Expected races: the resource was deleted meanwhile (nothing left to report on), or it
      // changed since it was read (the change's own event reconciles it again, on fresh data).
      LOG.atDebug()
          .addKeyValue(
              "resource",
              current.getMetadata().getNamespace() + "/" + current.getMetadata().getName())
          .addKeyValue("code", e.getCode())
          .log("status not written; the resource changed or went away");
      return false;
    }
  }

  /**
   * As {@link #write}, for a caller that must know the status is stored before it acts on it: an
   * alert is sent only once the status records it, so a restart never sends it twice.
   *
   * @return whether the resource now holds the status: it was written, or already held it
   */
  public <S, R extends CustomResource<?, S>> boolean store(
      R current, S status, Consumer<R> setStatus) {
    return sameJson(current.getStatus(), status) || write(current, status, setStatus);
  }

  /**
   * As {@link #write}, for a controller whose next reconcile must see this write, however far its
   * informer lags: the written resource goes into the controller's cache at once. A release acts on
   * its own status every half second; acting twice on a state it already left would repeat a step.
   * On a conflict the resource is read again and the status set on it.
   */
  public <S, R extends CustomResource<?, S>> boolean writeAndCache(
      R current, S status, Consumer<R> setStatus, Context<R> context) {
    if (!needsWrite(current, status)) {
      return false;
    }
    try {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
          current,
          context,
          resource -> {
            setStatus.accept(resource);
            return resource;
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      return false;
    }
    counted(current);
    return true;
  }

  /** Whether the status differs from the resource's and the resource can be addressed at all. */
  private boolean needsWrite(CustomResource<?, ?> current, Object status) {
    if (sameJson(current.getStatus(), status)) {
      return false;
    }
    String unaddressable =
        KubeNames.whyNotObjectPath(
            current.getMetadata().getNamespace(), current.getMetadata().getName());
    if (unaddressable != null) {
      // Only a server that validates nothing stores such an object; its path would lead elsewhere.
      LOG.atWarn()
          .addKeyValue("kind", current.getKind())
          .addKeyValue("uid", current.getMetadata().getUid())
          .addKeyValue("problem", unaddressable)
          .log("status not written: the resource's name cannot be used in an API path");
      return false;
    }
    return true;
  }

  private void counted(HasMetadata written) {
    Counter.builder("clawrate.operator.status.writes")
        .description("Status writes, by the kind of custom resource")
        .tag("kind", written.getKind())
        .register(registry)
        .increment();
  }

  static boolean sameJson(Object a, Object b) {
    JsonNode left = a == null ? null : MAPPER.valueToTree(a);
    JsonNode right = b == null ? null : MAPPER.valueToTree(b);
    return Objects.equals(left, right);
  }
}
