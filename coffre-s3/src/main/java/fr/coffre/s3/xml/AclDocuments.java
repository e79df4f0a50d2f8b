package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** The documents of Object Ownership, Block Public Access and GetBucketPolicyStatus. */
public final class AclDocuments {
  private AclDocuments() {}

  /** GetBucketOwnershipControls response and PutBucketOwnershipControls body. */
  @JacksonXmlRootElement(localName = "OwnershipControls", namespace = S3Xml.NS)
  public record OwnershipControls(
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Rule") List<Rule> rules) {}

  /** One rule of OwnershipControls (S3 allows exactly one). */
  public record Rule(@JsonProperty("ObjectOwnership") String objectOwnership) {}

  /** GetPublicAccessBlock response and PutPublicAccessBlock body. */
  @JacksonXmlRootElement(localName = "PublicAccessBlockConfiguration", namespace = S3Xml.NS)
  @JsonPropertyOrder({
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets"
  })
  public record PublicAccessBlockConfiguration(
      @JsonProperty("BlockPublicAcls") Boolean blockPublicAcls,
      @JsonProperty("IgnorePublicAcls") Boolean ignorePublicAcls,
      @JsonProperty("BlockPublicPolicy") Boolean blockPublicPolicy,
      @JsonProperty("RestrictPublicBuckets") Boolean restrictPublicBuckets) {}

  /** GetBucketPolicyStatus response. */
  @JacksonXmlRootElement(localName = "PolicyStatus", namespace = S3Xml.NS)
  public record PolicyStatus(@JsonProperty("IsPublic") boolean isPublic) {}
}
