package dev.clawrate.rater.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.rater.snapshot.LiveSnapshot;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import dev.clawrate.rater.snapshot.ReloadStatus;
import io.undertow.server.HttpHandler;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (a snapshot is live, its models on
 * their compiled code).
 */
final class HealthHandlers {

  private HealthHandlers() {}

  static HttpHandler liveness(Responses responses) {
    return exchange -> {
      ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", "ok");
      responses.sendJson(exchange, 200, body);
    };
  }

  /**
   * @param draining true once shutdown began: the pod stops taking new traffic before it stops
   */
  static HttpHandler readiness(LiveSnapshot live, BooleanSupplier draining, Responses responses) {
    return exchange -> {
      LoadedSnapshot snapshot = live.current();
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      if (draining.getAsBoolean()) {
        body.put("status", "draining");
        responses.sendJson(exchange, 503, body);
      } else if (snapshot == null) {
        body.put("status", "waiting for config");
        ReloadStatus reload = live.lastReload();
        if (reload != null && reload.error() != null) {
          body.put("error", reload.error());
        }
        responses.sendJson(exchange, 503, body);
      } else if (!live.compiledCodeReady()) {
        body.put("status", "compiling");
        body.put("revision", snapshot.revision());
        responses.sendJson(exchange, 503, body);
      } else {
        body.put("status", "ready");
        body.put("track", snapshot.track());
        body.put("revision", snapshot.revision());
        ReloadStatus reload = live.lastReload();
        if (reload != null && reload.error() != null) {
          // Still serving the last good snapshot; say why the source's current one is not live.
          body.put("lastReloadError", reload.error());
        }
        responses.sendJson(exchange, 200, body);
      }
    };
  }
}
