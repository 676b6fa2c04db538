package dev.clawrate.local.apiserver;

/** Field paths as the API server writes them: {@code spec.receivers[0].name}. Pure. */
final class FieldPath {

  private FieldPath() {}

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String index(String path, int index) {
    return path + "[" + index + "]";
  }

  static String key(String path, String key) {
    return path + "[" + key + "]";
  }
}
