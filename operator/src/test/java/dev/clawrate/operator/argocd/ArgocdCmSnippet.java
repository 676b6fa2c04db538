package dev.clawrate.operator.argocd;

import java.io.IOException;
import java.util.List;

/**
 * argocd/argocd-cm-health.yaml: the health scripts as argocd-cm keys
 * (resource.customizations.health.clawrate.dev_KIND), for installations that configure Argo CD
 * through its ConfigMap rather than by building the scripts into its image.
 */
final class ArgocdCmSnippet {

  interface Script {
    String of(String kind) throws IOException;
  }

  private ArgocdCmSnippet() {}

  static String render(List<String> kinds, Script scripts) throws IOException {
    StringBuilder out =
        new StringBuilder(
            """
            # Argo CD health checks for clawrate's custom resources, to merge into argocd-cm:
            #   kubectl -n argocd patch configmap argocd-cm --patch-file argocd/argocd-cm-health.yaml
            # The same scripts as argocd/resource_customizations/clawrate.dev/*/health.lua, which
            # HealthChecksTest runs against their health_test.yaml and keeps equal to this file.
            data:
            """);
    for (String kind : kinds) {
      out.append("  resource.customizations.health.clawrate.dev_").append(kind).append(": |\n");
      for (String line : scripts.of(kind).split("\n", -1)) {
        if (!line.isEmpty()) {
          out.append("    ").append(line);
        }
        out.append('\n');
      }
    }
    return out.toString().replaceAll("\n+$", "\n");
  }
}
