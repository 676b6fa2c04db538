package dev.clawrate.operator.served;

/**
 * How the live raters of one region serve one resource.
 *
 * @param serving raters that serve the resource exactly as the region's snapshot carries it
 * @param total live raters of the track in the region
 * @param digest the module digest most raters serve for the resource's model, or null
 * @param rejection why a rater refused the snapshot that carries the resource, in the rater's words
 *     prefixed by which rater and revision, or null
 */
public record RegionServing(int serving, int total, String digest, String rejection) {

  public static final RegionServing NONE = new RegionServing(0, 0, null, null);

  public boolean all() {
    return total > 0 && serving == total;
  }
}
