package dev.clawrate.operator.status;

import dev.clawrate.operator.api.RegionStatus;
import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.render.Exclusion;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.served.RegionServing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Derives a resource's per-region status from what each region's snapshot carries and how its
 * raters serve it. Pure.
 */
public final class RegionStatuses {

  /**
   * @param regions one entry per targeted region
   * @param synced regions whose every live rater serves the resource as published
   * @param serving raters serving it as published, over all regions
   * @param total live raters, over all regions
   * @param published whether some region's snapshot carries the resource
   * @param outdated whether a region's snapshot carries an older generation of it
   * @param excluded why the resource is not in a region's snapshot, or null
   * @param rejection why a rater refused the snapshot that carries it, or null
   * @param raterless the first region with no live rater, or null
   * @param unreachable the first region whose publishing fails, or null
   */
  public record Summary(
      List<RegionStatus> regions,
      int synced,
      int serving,
      int total,
      boolean published,
      boolean outdated,
      Exclusion excluded,
      String rejection,
      String raterless,
      String unreachable) {

    public String syncedOf() {
      return synced + "/" + regions.size();
    }

    public String ratersOf() {
      return serving + "/" + total;
    }

    public boolean allSynced() {
      return synced == regions.size();
    }
  }

  private RegionStatuses() {}

  /**
   * @param generation the generation status is written for: a region carrying an older one is not
   *     synced, whatever its raters serve
   * @param servings how each region's raters serve the resource, in the order of {@code
   *     publications}
   * @param named the regions the resource names, or null for all: a named region that is not
   *     registered is listed as pending, one not named is left out
   * @param previous the regions of the status written before, where a restarted operator finds the
   *     revision and time it cannot know, or null
   */
  public static Summary of(
      ResourceKey key,
      long generation,
      List<Publication> publications,
      List<RegionServing> servings,
      List<String> named,
      List<RegionStatus> previous) {
    List<RegionStatus> regions = new ArrayList<>();
    int synced = 0;
    int serving = 0;
    int total = 0;
    boolean carried = false;
    boolean outdated = false;
    Exclusion excluded = null;
    String rejection = null;
    String raterless = null;
    String unreachable = null;
    Set<String> unregistered = named == null ? new TreeSet<>() : new TreeSet<>(named);
    for (int i = 0; i < publications.size(); i++) {
      Publication publication = publications.get(i);
      unregistered.remove(publication.region());
      if (publication.elsewhere().contains(key)
          || (named != null && !named.contains(publication.region()))) {
        continue;
      }
      RegionServing served = i < servings.size() ? servings.get(i) : RegionServing.NONE;
      Publication.Published published = publication.published().get(key);
      Exclusion reason = publication.excluded().get(key);
      boolean current = published != null && published.generation() >= generation;
      boolean isSynced = current && served.all();
      RegionStatus region = new RegionStatus();
      region.setName(publication.region());
      region.setState(state(publication, reason, published, current, served));
      region.setDigest(served.digest());
      region.setSynced(isSynced);
      region.setRatersServing(served.serving());
      region.setRatersTotal(served.total());
      // The revision and time this form was first written: they move when the resource changes,
      // never on a publish that leaves it alone (that would mean a write per resource per publish).
      region.setRevision(published == null ? null : published.since());
      region.setLastSyncTime(published == null ? null : published.at().toString());
      if (published != null && !published.exact()) {
        keepRecorded(region, published, previous);
      }
      region.setMessage(message(publication, reason, published, current, served));
      regions.add(region);
      synced += isSynced ? 1 : 0;
      serving += served.serving();
      total += served.total();
      carried |= published != null;
      outdated |= published != null && !current;
      excluded = excluded != null ? excluded : reason;
      rejection = first(rejection, published == null ? null : served.rejection());
      raterless = first(raterless, served.total() == 0 ? publication.region() : null);
      unreachable = first(unreachable, publication.error() == null ? null : publication.region());
    }
    for (String name : unregistered) {
      RegionStatus region = new RegionStatus();
      region.setName(name);
      region.setState(RegionStatus.PENDING);
      region.setSynced(false);
      region.setRatersServing(0);
      region.setRatersTotal(0);
      region.setMessage("no region of this name is registered");
      regions.add(region);
      raterless = first(raterless, name);
    }
    return new Summary(
        regions,
        synced,
        serving,
        total,
        carried,
        outdated,
        excluded,
        rejection,
        raterless,
        unreachable);
  }

  /**
   * A restarted operator knows the resource's form went out at or before the revision it found;
   * what status recorded for the same digest at or below that revision is the better figure.
   */
  private static void keepRecorded(
      RegionStatus region, Publication.Published published, List<RegionStatus> previous) {
    if (previous == null) {
      return;
    }
    for (RegionStatus before : previous) {
      if (region.getName().equals(before.getName())
          && published.digest().equals(before.getDigest())
          && before.getRevision() != null
          && before.getRevision() <= published.since()
          && before.getLastSyncTime() != null) {
        region.setRevision(before.getRevision());
        region.setLastSyncTime(before.getLastSyncTime());
        return;
      }
    }
  }

  private static String state(
      Publication publication,
      Exclusion excluded,
      Publication.Published published,
      boolean current,
      RegionServing served) {
    if (publication.error() != null) {
      return publication.unreachable() ? RegionStatus.UNREACHABLE : RegionStatus.FAILED;
    }
    if (excluded != null
        && !excluded.carriedOver()
        && !Exclusion.MODULE_MISSING.equals(excluded.reason())) {
      return RegionStatus.FAILED;
    }
    if (current && served.all()) {
      return RegionStatus.SYNCED;
    }
    if (served.rejection() != null && published != null) {
      return RegionStatus.FAILED;
    }
    return RegionStatus.PENDING;
  }

  private static String message(
      Publication publication,
      Exclusion excluded,
      Publication.Published published,
      boolean current,
      RegionServing served) {
    if (publication.error() != null) {
      return (publication.unreachable()
              ? "the region's API server does not answer ("
              : "the region refuses the operator's writes (")
          + publication.error()
          + (publication.revision() < 0
              ? "); nothing has been published there yet"
              : "); its raters serve their last snapshot");
    }
    if (excluded != null) {
      return excluded.message();
    }
    if (published == null) {
      return "not published yet";
    }
    if (!current) {
      return "publishing the new version";
    }
    if (served.rejection() != null && !served.all()) {
      return served.rejection();
    }
    if (served.total() == 0) {
      return "no live rater in this region";
    }
    if (!served.all()) {
      return "served by " + served.serving() + " of " + served.total() + " raters";
    }
    return null;
  }

  private static String first(String current, String candidate) {
    return current != null ? current : candidate;
  }
}
