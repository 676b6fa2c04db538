package dev.clawrate.rater.rating;

/** The tenant's decision for a rating: approve at or above its threshold. */
public enum Decision {
  APPROVE("approve"),
  DECLINE("decline");

  private final String label;

  Decision(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Decision of(double rating, double threshold) {
    return rating >= threshold ? APPROVE : DECLINE;
  }
}
