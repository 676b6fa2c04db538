package dev.clawrate.operator.status;

import dev.clawrate.operator.api.RegionStatus;
import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.publish.ResourceKey;
import java.util.ArrayList;
import java.util.List;

/** Derives a resource's per-region status from what each region serves. Pure. */
public final class RegionStatuses {

  /**
   * @param regions one entry per targeted region
   * @param synced how many regions serve the wanted digest
   */
  public record Summary(List<RegionStatus> regions, int synced) {
    public String syncedOf() {
      return synced + "/" + regions.size();
    }

    public boolean allSynced() {
      return synced == regions.size();
    }
  }

  private RegionStatuses() {}

  /**
   * @param wanted the digest the resource should be served with, or null when none validated
   */
  public static Summary of(ResourceKey key, String wanted, List<Publication> publications) {
    List<RegionStatus> regions = new ArrayList<>();
    int synced = 0;
    for (Publication publication : publications) {
      String served = publication.served().get(key);
      boolean isSynced = wanted != null && wanted.equals(served);
      RegionStatus region = new RegionStatus();
      region.setName(publication.region());
      region.setDigest(served);
      region.setSynced(isSynced);
      // No revision or time here: they move on every publish, and a status that changes on
      // every publish would mean a write per resource per publish.
      region.setMessage(message(publication, key, served, isSynced));
      regions.add(region);
      if (isSynced) {
        synced++;
      }
    }
    return new Summary(regions, synced);
  }

  private static String message(
      Publication publication, ResourceKey key, String served, boolean synced) {
    if (publication.error() != null) {
      return "publishing to this region is failing; it serves its last snapshot";
    }
    String excluded = publication.excluded().get(key);
    if (excluded != null) {
      return excluded;
    }
    if (synced) {
      return null;
    }
    return served == null ? "not published yet" : "publishing the new version";
  }
}
