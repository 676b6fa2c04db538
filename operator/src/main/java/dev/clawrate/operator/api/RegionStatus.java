package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What one region (cluster) serves for a resource, as last observed by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "digest",
  "revision",
  "synced",
  "ratersServing",
  "ratersTotal",
  "lastSyncTime",
  "message"
})
public class RegionStatus {

  @JsonPropertyDescription("Region name: 'local' or the clawrate.dev/region label of its Secret.")
  private String name;

  @JsonPropertyDescription(
      "Module digest (sha256:<hex>) the region's raters serve for this resource, as their"
          + " heartbeats report it.")
  private String digest;

  @JsonPropertyDescription("Revision of the region's config snapshot that carries it.")
  private Long revision;

  @JsonPropertyDescription(
      "True when every live rater of the region serves the resource exactly as published.")
  private Boolean synced;

  @JsonPropertyDescription("Live raters of the region that serve the resource as published.")
  private Integer ratersServing;

  @JsonPropertyDescription("Live raters of the region (heartbeat renewed within its duration).")
  private Integer ratersTotal;

  @JsonPropertyDescription("When the region was last written successfully (RFC 3339).")
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
