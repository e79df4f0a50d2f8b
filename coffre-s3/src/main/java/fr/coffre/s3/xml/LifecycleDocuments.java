package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * The Get/PutBucketLifecycleConfiguration document. Numbers are read as numbers (text there is
 * MalformedXML); the date is kept as text and checked by the handler, which owns the messages.
 */
public final class LifecycleDocuments {
  private LifecycleDocuments() {}

  /** The whole configuration: its rules, in order. */
  @JacksonXmlRootElement(localName = "LifecycleConfiguration", namespace = S3Xml.NS)
  public record LifecycleConfiguration(@JsonProperty("Rule") List<Rule> rules) {}

  /**
   * One rule. {@code prefix} is the legacy top-level Prefix (kept as the client wrote it, so that
   * GET answers the same shape); the transitions are read only to refuse them.
   */
  @JsonPropertyOrder({
    "ID",
    "Filter",
    "Prefix",
    "Status",
    "Expiration",
    "Transition",
    "NoncurrentVersionTransition",
    "NoncurrentVersionExpiration",
    "AbortIncompleteMultipartUpload"
  })
  public record Rule(
      @JsonProperty("ID") String id,
      @JsonProperty("Filter") Filter filter,
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("Status") String status,
      @JsonProperty("Expiration") Expiration expiration,
      @JsonProperty("Transition") List<Transition> transitions,
      @JsonProperty("NoncurrentVersionTransition") List<Transition> noncurrentTransitions,
      @JsonProperty("NoncurrentVersionExpiration") NoncurrentVersionExpiration noncurrent,
      @JsonProperty("AbortIncompleteMultipartUpload") AbortIncompleteMultipartUpload abort) {

    public Rule withId(String newId) {
      return new Rule(
          newId,
          filter,
          prefix,
          status,
          expiration,
          transitions,
          noncurrentTransitions,
          noncurrent,
          abort);
    }

    public Rule withExpiration(Expiration e) {
      return new Rule(
          id, filter, prefix, status, e, transitions, noncurrentTransitions, noncurrent, abort);
    }
  }

  /** Which objects a rule applies to: at most one of its elements (several go in And). */
  @JsonPropertyOrder({"Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And"})
  public record Filter(
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("Tag") ConfigDocuments.Tag tag,
      @JsonProperty("ObjectSizeGreaterThan") Long sizeGreaterThan,
      @JsonProperty("ObjectSizeLessThan") Long sizeLessThan,
      @JsonProperty("And") And and) {}

  /** Several conditions that must all hold. */
  @JsonPropertyOrder({"Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"})
  public record And(
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("Tag") List<ConfigDocuments.Tag> tags,
      @JsonProperty("ObjectSizeGreaterThan") Long sizeGreaterThan,
      @JsonProperty("ObjectSizeLessThan") Long sizeLessThan) {}

  /** Expiration of current versions (Days or Date), or of lone delete markers. */
  @JsonPropertyOrder({"Date", "Days", "ExpiredObjectDeleteMarker"})
  public record Expiration(
      @JsonProperty("Date") String date,
      @JsonProperty("Days") Integer days,
      @JsonProperty("ExpiredObjectDeleteMarker") Boolean expiredObjectDeleteMarker) {}

  /** Removal of noncurrent versions. */
  @JsonPropertyOrder({"NoncurrentDays", "NewerNoncurrentVersions"})
  public record NoncurrentVersionExpiration(
      @JsonProperty("NoncurrentDays") Integer noncurrentDays,
      @JsonProperty("NewerNoncurrentVersions") Integer newerNoncurrentVersions) {}

  /** Abort of unfinished multipart uploads. */
  public record AbortIncompleteMultipartUpload(
      @JsonProperty("DaysAfterInitiation") Integer daysAfterInitiation) {}

  /** A Transition or NoncurrentVersionTransition: read only to be refused. */
  public record Transition(
      @JsonProperty("Date") String date,
      @JsonProperty("Days") Integer days,
      @JsonProperty("NoncurrentDays") Integer noncurrentDays,
      @JsonProperty("StorageClass") String storageClass) {}
}
