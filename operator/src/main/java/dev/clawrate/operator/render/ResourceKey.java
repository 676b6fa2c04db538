package dev.clawrate.operator.render;

/** A namespaced custom resource: kind, namespace and name. */
public record ResourceKey(String kind, String namespace, String name) {

  public static ResourceKey model(String namespace, String name) {
    return new ResourceKey("RatingModel", namespace, name);
  }

  public static ResourceKey tenant(String namespace, String name) {
    return new ResourceKey("TenantConfig", namespace, name);
  }

  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
