package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What one region (cluster) serves for a resource, as last observed by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "state",
  "digest",
  "revision",
  "synced",
  "ratersServing",
  "ratersTotal",
  "lastSyncTime",
  "message"
})
public class RegionStatus {

  /** Every live rater of the region serves the resource as published. */
  public static final String SYNCED = "Synced";

  /** On its way: being written, raters loading it, no live rater, or the region not known. */
  public static final String PENDING = "Pending";

  /** The region's API server does not answer; its raters keep serving their last snapshot. */
  public static final String UNREACHABLE = "Unreachable";

  /**
   * The region refused the write, or its raters refused the snapshot, or it cannot be published.
   */
  public static final String FAILED = "Failed";

  @JsonPropertyDescription("Region name: 'local' or the clawrate.dev/region label of its Secret.")
  private String name;

  @JsonPropertyDescription("Synced, Pending, Unreachable or Failed.")
  private String state;

  @JsonPropertyDescription(
      "Module digest (sha256:<hex>) the region's raters serve for this resource, as their"
          + " heartbeats report it.")
  private String digest;

  @JsonPropertyDescription(
      "First revision of the region's config snapshot that carried the resource as it is now.")
  private Long revision;

  @JsonPropertyDescription(
      "True when every live rater of the region serves the resource exactly as published.")
  private Boolean synced;

  @JsonPropertyDescription("Live raters of the region that serve the resource as published.")
  private Integer ratersServing;

  @JsonPropertyDescription("Live raters of the region (heartbeat renewed within its duration).")
  private Integer ratersTotal;

  @JsonPropertyDescription(
      "When that revision was written to the region: its last sync of this resource (RFC 3339).")
  private String lastSyncTime;

  @JsonPropertyDescription("Why the region is not synced, when it is not (e.g. unreachable).")
  private String message;

  public RegionStatus() {}

  public RegionStatus(
      String name,
      String digest,
      Long revision,
      Boolean synced,
      String lastSyncTime,
      String message) {
    this.name = name;
    this.digest = digest;
    this.revision = revision;
    this.synced = synced;
    this.lastSyncTime = lastSyncTime;
    this.message = message;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public Long getRevision() {
    return revision;
  }

  public void setRevision(Long revision) {
    this.revision = revision;
  }

  public Boolean getSynced() {
    return synced;
  }

  public void setSynced(Boolean synced) {
    this.synced = synced;
  }

  public Integer getRatersServing() {
    return ratersServing;
  }

  public void setRatersServing(Integer ratersServing) {
    this.ratersServing = ratersServing;
  }

  public Integer getRatersTotal() {
    return ratersTotal;
  }

  public void setRatersTotal(Integer ratersTotal) {
    this.ratersTotal = ratersTotal;
  }

  public String getLastSyncTime() {
    return lastSyncTime;
  }

  public void setLastSyncTime(String lastSyncTime) {
    this.lastSyncTime = lastSyncTime;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
