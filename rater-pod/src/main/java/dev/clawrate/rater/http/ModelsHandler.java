package dev.clawrate.rater.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.rater.shadow.ShadowRoute;
import dev.clawrate.rater.snapshot.LiveSnapshot;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import dev.clawrate.rater.snapshot.ReloadStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.TreeMap;

/**
 * {@code GET /v1/models}: what is being served (revision, each model's digest, limits and instance
 * counts, each tenant's model and fallback, each shadow's candidate and whether it runs) and how
 * the last reload went, including why a rejected snapshot was rejected.
 */
final class ModelsHandler implements HttpHandler {

  private final LiveSnapshot live;
  private final Responses responses;
  private final NetworkThreadGate gate;

  ModelsHandler(LiveSnapshot live, Responses responses, NetworkThreadGate gate) {
    this.live = live;
    this.responses = responses;
    this.gate = gate;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    responses.sendJson(exchange, 200, render(live, gate));
  }

  static ObjectNode render(LiveSnapshot live, NetworkThreadGate gate) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("track", live.track());
    LoadedSnapshot snapshot = live.current();
    if (snapshot == null) {
      body.putNull("revision");
    } else {
      body.put("revision", snapshot.revision());
      body.put("loadedAt", snapshot.loadedAt().toString());
      ArrayNode models = body.putArray("models");
      long now = System.nanoTime();
      new TreeMap<>(snapshot.models())
          .forEach((name, runtime) -> models.add(model(name, runtime, gate, now)));
      ArrayNode tenants = body.putArray("tenants");
      new TreeMap<>(snapshot.tenants())
          .forEach(
              (id, route) -> {
                ObjectNode tenant = tenants.addObject();
                tenant.put("tenant", id);
                tenant.put("model", route.model());
                tenant.put("digest", route.digest());
                tenant.put("threshold", route.threshold());
                tenant.put("apiKeyRequired", route.requiresApiKey());
                TenantFallback fallback = snapshot.document().tenants().get(id).fallback();
                if (fallback != null) {
                  ObjectNode listed = tenant.putObject("fallback");
                  if (fallback.model() != null) {
                    listed.put("model", fallback.model());
                  }
                  if (fallback.decision() != null) {
                    listed.put("decision", fallback.decision());
                  }
                }
              });
      ArrayNode shadows = body.putArray("shadows");
      snapshot
          .document()
          .shadows()
          .forEach((id, shadow) -> shadows.add(shadow(id, shadow, snapshot)));
    }
    ReloadStatus reload = live.lastReload();
    if (reload != null) {
      ObjectNode last = body.putObject("lastReload");
      last.put("at", reload.at().toString());
      last.put("outcome", reload.accepted() ? "accepted" : "rejected");
      if (reload.revision() >= 0) {
        last.put("revision", reload.revision());
      }
      if (reload.error() != null) {
        last.put("error", reload.error());
      }
    }
    return body;
  }

  /** A shadow of the document: running, or left out when the snapshot went live, and then why. */
  private static ObjectNode shadow(String tenant, ShadowEntry shadow, LoadedSnapshot snapshot) {
    ObjectNode listed = JsonNodeFactory.instance.objectNode();
    listed.put("tenant", tenant);
    listed.put("model", shadow.tenant().model());
    listed.put("digest", shadow.model().digest());
    listed.put("sampleRate", shadow.sampleRate());
    listed.put("threshold", shadow.tenant().threshold());
    ShadowRoute route = snapshot.shadows().get(tenant);
    listed.put("active", route != null);
    if (route == null) {
      listed.put("error", snapshot.unavailableShadows().get(tenant));
    } else {
      listed.put("averageCallMicros", route.candidate().runtime().averageCallNanos() / 1000.0);
    }
    return listed;
  }

  private static ObjectNode model(
      String name, ModelRuntime runtime, NetworkThreadGate gate, long now) {
    ObjectNode model = JsonNodeFactory.instance.objectNode();
    model.put("name", name);
    model.put("digest", runtime.digest());
    model.put("sizeBytes", runtime.model().validated().sizeBytes());
    model.put("entrypoint", runtime.entrypoint());
    model.put("execution", runtime.model().mode().name().toLowerCase(java.util.Locale.ROOT));
    model.put("interpretedFunctions", runtime.model().interpretedFunctions().size());
    ObjectNode limits = model.putObject("limits");
    limits.put("maxMemoryPages", runtime.limits().maxMemoryPages());
    limits.put("timeoutMillis", runtime.limits().timeoutMillis());
    limits.put("maxInputBytes", runtime.limits().maxInputBytes());
    ArrayNode exports = model.putArray("exports");
    runtime.model().validated().exports().forEach(exports::add);
    ObjectNode instances = model.putObject("instances");
    instances.put("idle", runtime.instancesIdle());
    instances.put("created", runtime.instancesCreated());
    instances.put("discarded", runtime.instancesDiscarded());
    instances.put("evicted", runtime.instancesEvicted());
    instances.put("memoryBytes", runtime.memoryHeldBytes());
    model.put("averageCallMicros", runtime.averageCallNanos() / 1000.0);
    model.put("runsOnNetworkThreads", runtime.isQuick() && !gate.isDemoted(runtime, now));
    model.put("networkThreadDemotions", gate.demotions(runtime));
    return model;
  }
}
