package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** Object Lock documents: the bucket's configuration, a version's retention and legal hold. */
public final class LockDocuments {
  private LockDocuments() {}

  /** Get/PutObjectLockConfiguration body. */
  @JacksonXmlRootElement(localName = "ObjectLockConfiguration", namespace = S3Xml.NS)
  @JsonPropertyOrder({"ObjectLockEnabled", "Rule"})
  public record ObjectLockConfiguration(
      @JsonProperty("ObjectLockEnabled") String objectLockEnabled,
      @JsonProperty("Rule") Rule rule) {}

  /** The configuration's rule. */
  public record Rule(@JsonProperty("DefaultRetention") DefaultRetention defaultRetention) {}

  /** The default retention of new versions. */
  @JsonPropertyOrder({"Mode", "Days", "Years"})
  public record DefaultRetention(
      @JsonProperty("Mode") String mode,
      @JsonProperty("Days") Integer days,
      @JsonProperty("Years") Integer years) {}

  /** Get/PutObjectRetention body. */
  @JacksonXmlRootElement(localName = "Retention", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Mode", "RetainUntilDate"})
  public record Retention(
      @JsonProperty("Mode") String mode, @JsonProperty("RetainUntilDate") String retainUntilDate) {}

  /** Get/PutObjectLegalHold body. */
  @JacksonXmlRootElement(localName = "LegalHold", namespace = S3Xml.NS)
  public record LegalHold(@JsonProperty("Status") String status) {}
}
