package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import java.util.List;

/** The S3 XML documents Coffre reads and writes, as records mapped by Jackson. */
public final class Documents {
  private Documents() {}

  /** Owner element of listings. */
  public record Owner(
      @JsonProperty("ID") String id, @JsonProperty("DisplayName") String displayName) {}

  /** ListBuckets response. */
  @JacksonXmlRootElement(localName = "ListAllMyBucketsResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Owner", "Buckets", "ContinuationToken", "Prefix"})
  public record ListAllMyBucketsResult(
      @JsonProperty("Owner") Owner owner,
      @JacksonXmlElementWrapper(localName = "Buckets", namespace = S3Xml.NS) @JsonProperty("Bucket")
          List<BucketEntry> buckets,
      @JsonProperty("ContinuationToken") String continuationToken,
      @JsonProperty("Prefix") String prefix) {}

  /** One bucket of ListBuckets. */
  public record BucketEntry(
      @JsonProperty("Name") String name, @JsonProperty("CreationDate") String creationDate) {}

  /** CreateBucket request body. */
  @JacksonXmlRootElement(localName = "CreateBucketConfiguration")
  public record CreateBucketConfiguration(
      @JsonProperty("LocationConstraint") String locationConstraint) {}

  /** GetBucketLocation response: the region, empty for us-east-1. */
  @JacksonXmlRootElement(localName = "LocationConstraint", namespace = S3Xml.NS)
  public record LocationConstraint(@JacksonXmlText String value) {}

  /** One object of a listing. */
  @JsonPropertyOrder({"Key", "LastModified", "ETag", "Size", "StorageClass", "Owner"})
  public record Contents(
      @JsonProperty("Key") String key,
      @JsonProperty("LastModified") String lastModified,
      @JsonProperty("ETag") String etag,
      @JsonProperty("Size") long size,
      @JsonProperty("StorageClass") String storageClass,
      @JsonProperty("Owner") Owner owner) {}

  /** A common prefix of a delimiter listing. */
  public record CommonPrefix(@JsonProperty("Prefix") String prefix) {}

  /** ListObjects (v1) response. */
  @JacksonXmlRootElement(localName = "ListBucketResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({
    "Name",
    "Prefix",
    "Marker",
    "MaxKeys",
    "Delimiter",
    "IsTruncated",
    "NextMarker",
    "EncodingType",
    "Contents",
    "CommonPrefixes"
  })
  public record ListBucketResult(
      @JsonProperty("Name") String name,
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("Marker") String marker,
      @JsonProperty("MaxKeys") int maxKeys,
      @JsonProperty("Delimiter") String delimiter,
      @JsonProperty("IsTruncated") boolean truncated,
      @JsonProperty("NextMarker") String nextMarker,
      @JsonProperty("EncodingType") String encodingType,
      @JsonProperty("Contents") List<Contents> contents,
      @JsonProperty("CommonPrefixes") List<CommonPrefix> commonPrefixes) {}

  /** ListObjectsV2 response. */
  @JacksonXmlRootElement(localName = "ListBucketResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({
    "Name", "Prefix", "StartAfter", "ContinuationToken", "NextContinuationToken", "KeyCount",
    "MaxKeys", "Delimiter", "IsTruncated", "EncodingType", "Contents", "CommonPrefixes"
  })
  public record ListBucketResultV2(
      @JsonProperty("Name") String name,
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("StartAfter") String startAfter,
      @JsonProperty("ContinuationToken") String continuationToken,
      @JsonProperty("NextContinuationToken") String nextContinuationToken,
      @JsonProperty("KeyCount") int keyCount,
      @JsonProperty("MaxKeys") int maxKeys,
      @JsonProperty("Delimiter") String delimiter,
      @JsonProperty("IsTruncated") boolean truncated,
      @JsonProperty("EncodingType") String encodingType,
      @JsonProperty("Contents") List<Contents> contents,
      @JsonProperty("CommonPrefixes") List<CommonPrefix> commonPrefixes) {}

  /** CopyObject response. */
  @JacksonXmlRootElement(localName = "CopyObjectResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"LastModified", "ETag"})
  public record CopyObjectResult(
      @JsonProperty("LastModified") String lastModified, @JsonProperty("ETag") String etag) {}

  /** DeleteObjects request body. */
  @JacksonXmlRootElement(localName = "Delete")
  public record Delete(
      @JsonProperty("Quiet") Boolean quiet,
      @JsonProperty("Object") @JacksonXmlElementWrapper(useWrapping = false)
          List<ObjectIdentifier> objects) {}

  /** One key of a DeleteObjects request. */
  public record ObjectIdentifier(
      @JsonProperty("Key") String key, @JsonProperty("VersionId") String versionId) {}

  /** DeleteObjects response. */
  @JacksonXmlRootElement(localName = "DeleteResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Deleted", "Error"})
  public record DeleteResult(
      @JsonProperty("Deleted") List<Deleted> deleted,
      @JsonProperty("Error") List<DeleteError> errors) {}

  /** A key that DeleteObjects removed. */
  @JsonPropertyOrder({"Key", "VersionId", "DeleteMarker", "DeleteMarkerVersionId"})
  public record Deleted(
      @JsonProperty("Key") String key,
      @JsonProperty("VersionId") String versionId,
      @JsonProperty("DeleteMarker") Boolean deleteMarker,
      @JsonProperty("DeleteMarkerVersionId") String deleteMarkerVersionId) {}

  /** A key that DeleteObjects could not remove. */
  @JsonPropertyOrder({"Key", "VersionId", "Code", "Message"})
  public record DeleteError(
      @JsonProperty("Key") String key,
      @JsonProperty("VersionId") String versionId,
      @JsonProperty("Code") String code,
      @JsonProperty("Message") String message) {
    public DeleteError(String key, String code, String message) {
      this(key, null, code, message);
    }
  }

  /** CreateMultipartUpload response. */
  @JacksonXmlRootElement(localName = "InitiateMultipartUploadResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Bucket", "Key", "UploadId"})
  public record InitiateMultipartUploadResult(
      @JsonProperty("Bucket") String bucket,
      @JsonProperty("Key") String key,
      @JsonProperty("UploadId") String uploadId) {}

  /** CompleteMultipartUpload request body. */
  @JacksonXmlRootElement(localName = "CompleteMultipartUpload")
  public record CompleteMultipartUpload(
      @JsonProperty("Part") @JacksonXmlElementWrapper(useWrapping = false)
          List<CompletedPart> parts) {}

  /** One part named in a completion, with the part checksum the SDK states, if any. */
  public record CompletedPart(
      @JsonProperty("PartNumber") Integer partNumber,
      @JsonProperty("ETag") String etag,
      @JsonProperty("ChecksumCRC32") String crc32,
      @JsonProperty("ChecksumCRC32C") String crc32c,
      @JsonProperty("ChecksumCRC64NVME") String crc64nvme,
      @JsonProperty("ChecksumSHA1") String sha1,
      @JsonProperty("ChecksumSHA256") String sha256) {}

  /** CompleteMultipartUpload response. */
  @JacksonXmlRootElement(localName = "CompleteMultipartUploadResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({
    "Location",
    "Bucket",
    "Key",
    "ETag",
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumSHA1",
    "ChecksumSHA256",
    "ChecksumType"
  })
  public record CompleteMultipartUploadResult(
      @JsonProperty("Location") String location,
      @JsonProperty("Bucket") String bucket,
      @JsonProperty("Key") String key,
      @JsonProperty("ETag") String etag,
      @JsonUnwrapped VersionDocuments.Checksum checksum) {}

  /** PostObject response with success_action_status=201. */
  @JacksonXmlRootElement(localName = "PostResponse", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Location", "Bucket", "Key", "ETag"})
  public record PostResponse(
      @JsonProperty("Location") String location,
      @JsonProperty("Bucket") String bucket,
      @JsonProperty("Key") String key,
      @JsonProperty("ETag") String etag) {}

  /** UploadPartCopy response. */
  @JacksonXmlRootElement(localName = "CopyPartResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"LastModified", "ETag"})
  public record CopyPartResult(
      @JsonProperty("LastModified") String lastModified, @JsonProperty("ETag") String etag) {}

  /** One part of ListParts. */
  @JsonPropertyOrder({
    "PartNumber",
    "LastModified",
    "ETag",
    "Size",
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumSHA1",
    "ChecksumSHA256"
  })
  public record Part(
      @JsonProperty("PartNumber") int partNumber,
      @JsonProperty("LastModified") String lastModified,
      @JsonProperty("ETag") String etag,
      @JsonProperty("Size") long size,
      @JsonUnwrapped VersionDocuments.Checksum checksum) {}

  /** ListParts response. */
  @JacksonXmlRootElement(localName = "ListPartsResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({
    "Bucket",
    "Key",
    "UploadId",
    "Initiator",
    "Owner",
    "StorageClass",
    "PartNumberMarker",
    "NextPartNumberMarker",
    "MaxParts",
    "IsTruncated",
    "ChecksumAlgorithm",
    "ChecksumType",
    "Part"
  })
  public record ListPartsResult(
      @JsonProperty("Bucket") String bucket,
      @JsonProperty("Key") String key,
      @JsonProperty("UploadId") String uploadId,
      @JsonProperty("Initiator") Owner initiator,
      @JsonProperty("Owner") Owner owner,
      @JsonProperty("StorageClass") String storageClass,
      @JsonProperty("PartNumberMarker") int partNumberMarker,
      @JsonProperty("NextPartNumberMarker") int nextPartNumberMarker,
      @JsonProperty("MaxParts") int maxParts,
      @JsonProperty("IsTruncated") boolean truncated,
      @JsonProperty("ChecksumAlgorithm") String checksumAlgorithm,
      @JsonProperty("ChecksumType") String checksumType,
      @JsonProperty("Part") List<Part> parts) {}

  /** One upload of ListMultipartUploads. */
  @JsonPropertyOrder({"Key", "UploadId", "Initiator", "Owner", "StorageClass", "Initiated"})
  public record Upload(
      @JsonProperty("Key") String key,
      @JsonProperty("UploadId") String uploadId,
      @JsonProperty("Initiator") Owner initiator,
      @JsonProperty("Owner") Owner owner,
      @JsonProperty("StorageClass") String storageClass,
      @JsonProperty("Initiated") String initiated) {}

  /** ListMultipartUploads response. */
  @JacksonXmlRootElement(localName = "ListMultipartUploadsResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({
    "Bucket",
    "KeyMarker",
    "UploadIdMarker",
    "NextKeyMarker",
    "NextUploadIdMarker",
    "Prefix",
    "Delimiter",
    "MaxUploads",
    "IsTruncated",
    "Upload",
    "CommonPrefixes"
  })
  public record ListMultipartUploadsResult(
      @JsonProperty("Bucket") String bucket,
      @JsonProperty("KeyMarker") String keyMarker,
      @JsonProperty("UploadIdMarker") String uploadIdMarker,
      @JsonProperty("NextKeyMarker") String nextKeyMarker,
      @JsonProperty("NextUploadIdMarker") String nextUploadIdMarker,
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("Delimiter") String delimiter,
      @JsonProperty("MaxUploads") int maxUploads,
      @JsonProperty("IsTruncated") boolean truncated,
      @JsonProperty("Upload") List<Upload> uploads,
      @JsonProperty("CommonPrefixes") List<CommonPrefix> commonPrefixes) {}
}
