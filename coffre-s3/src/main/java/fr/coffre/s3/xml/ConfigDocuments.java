package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/**
 * The configuration documents of buckets and objects: tagging, CORS, ACL, versioning, encryption.
 */
public final class ConfigDocuments {
  private ConfigDocuments() {}

  /**
   * Get/PutObjectTagging and Get/PutBucketTagging body. The TagSet wrapper is its own record:
   * Jackson cannot read a wrapped list into a record component.
   */
  @JacksonXmlRootElement(localName = "Tagging", namespace = S3Xml.NS)
  public record Tagging(@JsonProperty("TagSet") TagSet tagSet) {
    public List<Tag> tags() {
      return tagSet == null || tagSet.tags() == null ? List.of() : tagSet.tags();
    }
  }

  /** The tags of a Tagging document. */
  public record TagSet(
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Tag") List<Tag> tags) {}

  /** One tag. */
  @JsonPropertyOrder({"Key", "Value"})
  public record Tag(@JsonProperty("Key") String key, @JsonProperty("Value") String value) {}

  /** Get/PutBucketCors body. */
  @JacksonXmlRootElement(localName = "CORSConfiguration", namespace = S3Xml.NS)
  public record CorsConfiguration(@JsonProperty("CORSRule") List<CorsRule> rules) {}

  /** One CORS rule. */
  @JsonPropertyOrder({
    "ID",
    "AllowedHeader",
    "AllowedMethod",
    "AllowedOrigin",
    "ExposeHeader",
    "MaxAgeSeconds"
  })
  public record CorsRule(
      @JsonProperty("ID") String id,
      @JsonProperty("AllowedHeader") List<String> allowedHeaders,
      @JsonProperty("AllowedMethod") List<String> allowedMethods,
      @JsonProperty("AllowedOrigin") List<String> allowedOrigins,
      @JsonProperty("ExposeHeader") List<String> exposeHeaders,
      @JsonProperty("MaxAgeSeconds") Integer maxAgeSeconds) {}

  /** Get/PutBucketAcl and Get/PutObjectAcl body. */
  @JacksonXmlRootElement(localName = "AccessControlPolicy", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Owner", "AccessControlList"})
  public record AccessControlPolicy(
      @JsonProperty("Owner") Documents.Owner owner,
      @JsonProperty("AccessControlList") AccessControlList accessControlList) {
    public List<Grant> grants() {
      return accessControlList == null || accessControlList.grants() == null
          ? List.of()
          : accessControlList.grants();
    }
  }

  /** The grants of an ACL. */
  public record AccessControlList(
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Grant") List<Grant> grants) {}

  /** One grant of an ACL. */
  @JsonPropertyOrder({"Grantee", "Permission"})
  public record Grant(
      @JsonProperty("Grantee") Grantee grantee, @JsonProperty("Permission") String permission) {}

  /** Who a grant is for: a canonical user, or a group by URI. */
  @JsonPropertyOrder({"ID", "DisplayName", "URI", "EmailAddress"})
  public record Grantee(
      @JacksonXmlProperty(isAttribute = true, localName = "xmlns:xsi") String xmlnsXsi,
      @JacksonXmlProperty(isAttribute = true, localName = "xsi:type") String type,
      @JsonProperty("ID") String id,
      @JsonProperty("DisplayName") String displayName,
      @JsonProperty("URI") String uri,
      @JsonProperty("EmailAddress") String emailAddress) {}

  /** GetBucketVersioning response and PutBucketVersioning body. */
  @JacksonXmlRootElement(localName = "VersioningConfiguration", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Status", "MfaDelete"})
  public record VersioningConfiguration(
      @JsonProperty("Status") String status, @JsonProperty("MfaDelete") String mfaDelete) {}

  /** Get/PutBucketEncryption body. */
  @JacksonXmlRootElement(localName = "ServerSideEncryptionConfiguration", namespace = S3Xml.NS)
  public record ServerSideEncryptionConfiguration(
      @JsonProperty("Rule") List<EncryptionRule> rules) {}

  /** One encryption rule. */
  @JsonPropertyOrder({"ApplyServerSideEncryptionByDefault", "BucketKeyEnabled"})
  public record EncryptionRule(
      @JsonProperty("ApplyServerSideEncryptionByDefault") EncryptionDefault byDefault,
      @JsonProperty("BucketKeyEnabled") Boolean bucketKeyEnabled) {}

  /** The default encryption of new objects. */
  @JsonPropertyOrder({"SSEAlgorithm", "KMSMasterKeyID"})
  public record EncryptionDefault(
      @JsonProperty("SSEAlgorithm") String algorithm,
      @JsonProperty("KMSMasterKeyID") String kmsKeyId) {}
}
