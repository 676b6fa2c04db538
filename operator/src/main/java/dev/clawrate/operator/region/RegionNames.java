package dev.clawrate.operator.region;

import dev.clawrate.operator.api.KubeNames;

/** How regions are named: member clusters by a label on their Secret, the hub by a fixed name. */
public final class RegionNames {

  /** The label that registers a Secret as a region, and names it; Argo CD marks clusters so. */
  public static final String LABEL = "clawrate.dev/region";

  /** The hub's own region, which no Secret may claim. */
  public static final String LOCAL = "local";

  private RegionNames() {}

  /**
   * Whether the name has the shape of a region name, a DNS-1123 label, since it ends up in object
   * names, labels and events. {@link #LOCAL} has it too: whether a Secret may use it is another
   * question.
   */
  public static boolean isValidName(String name) {
    return KubeNames.whyNotDnsLabel(name) == null;
  }
}
