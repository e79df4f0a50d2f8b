package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** ListObjectVersions and GetObjectAttributes responses. */
public final class VersionDocuments {
  private VersionDocuments() {}

  /** ListObjectVersions response. */
  @JacksonXmlRootElement(localName = "ListVersionsResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({
    "Name",
    "Prefix",
    "KeyMarker",
    "VersionIdMarker",
    "NextKeyMarker",
    "NextVersionIdMarker",
    "MaxKeys",
    "Delimiter",
    "IsTruncated",
    "EncodingType",
    "Version",
    "DeleteMarker",
    "CommonPrefixes"
  })
  public record ListVersionsResult(
      @JsonProperty("Name") String name,
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("KeyMarker") String keyMarker,
      @JsonProperty("VersionIdMarker") String versionIdMarker,
      @JsonProperty("NextKeyMarker") String nextKeyMarker,
      @JsonProperty("NextVersionIdMarker") String nextVersionIdMarker,
      @JsonProperty("MaxKeys") int maxKeys,
      @JsonProperty("Delimiter") String delimiter,
      @JsonProperty("IsTruncated") boolean truncated,
      @JsonProperty("EncodingType") String encodingType,
      @JsonProperty("Version") @JacksonXmlElementWrapper(useWrapping = false)
          List<Version> versions,
      @JsonProperty("DeleteMarker") @JacksonXmlElementWrapper(useWrapping = false)
          List<DeleteMarkerEntry> deleteMarkers,
      @JsonProperty("CommonPrefixes") @JacksonXmlElementWrapper(useWrapping = false)
          List<Documents.CommonPrefix> commonPrefixes) {}

  /** One delete marker of ListObjectVersions. */
  @JsonPropertyOrder({"Key", "VersionId", "IsLatest", "LastModified", "Owner"})
  public record DeleteMarkerEntry(
      @JsonProperty("Key") String key,
      @JsonProperty("VersionId") String versionId,
      @JsonProperty("IsLatest") boolean latest,
      @JsonProperty("LastModified") String lastModified,
      @JsonProperty("Owner") Documents.Owner owner) {}

  /** One version of ListObjectVersions. */
  @JsonPropertyOrder({
    "Key",
    "VersionId",
    "IsLatest",
    "LastModified",
    "ETag",
    "Size",
    "StorageClass",
    "Owner"
  })
  public record Version(
      @JsonProperty("Key") String key,
      @JsonProperty("VersionId") String versionId,
      @JsonProperty("IsLatest") boolean latest,
      @JsonProperty("LastModified") String lastModified,
      @JsonProperty("ETag") String etag,
      @JsonProperty("Size") long size,
      @JsonProperty("StorageClass") String storageClass,
      @JsonProperty("Owner") Documents.Owner owner) {}

  /** GetObjectAttributes response; only the attributes asked for are present. */
  @JacksonXmlRootElement(localName = "GetObjectAttributesResponse", namespace = S3Xml.NS)
  @JsonPropertyOrder({"ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"})
  public record GetObjectAttributesResponse(
      @JsonProperty("ETag") String etag,
      @JsonProperty("Checksum") Checksum checksum,
      @JsonProperty("ObjectParts") ObjectParts objectParts,
      @JsonProperty("StorageClass") String storageClass,
      @JsonProperty("ObjectSize") Long objectSize) {}

  /** An object's (or a part's) checksum, one field set. */
  @JsonPropertyOrder({
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumSHA1",
    "ChecksumSHA256",
    "ChecksumType"
  })
  public record Checksum(
      @JsonProperty("ChecksumCRC32") String crc32,
      @JsonProperty("ChecksumCRC32C") String crc32c,
      @JsonProperty("ChecksumCRC64NVME") String crc64nvme,
      @JsonProperty("ChecksumSHA1") String sha1,
      @JsonProperty("ChecksumSHA256") String sha256,
      @JsonProperty("ChecksumType") String type) {}

  /** The parts of a multipart object. */
  @JsonPropertyOrder({
    "PartsCount",
    "PartNumberMarker",
    "NextPartNumberMarker",
    "MaxParts",
    "IsTruncated",
    "Part"
  })
  public record ObjectParts(
      @JsonProperty("PartsCount") int totalPartsCount,
      @JsonProperty("PartNumberMarker") Integer partNumberMarker,
      @JsonProperty("NextPartNumberMarker") Integer nextPartNumberMarker,
      @JsonProperty("MaxParts") Integer maxParts,
      @JsonProperty("IsTruncated") Boolean truncated,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Part")
          List<ObjectPart> parts) {}

  /** One part of GetObjectAttributes. */
  @JsonPropertyOrder({
    "PartNumber",
    "Size",
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumSHA1",
    "ChecksumSHA256"
  })
  public record ObjectPart(
      @JsonProperty("PartNumber") int partNumber,
      @JsonProperty("Size") long size,
      @JsonProperty("ChecksumCRC32") String crc32,
      @JsonProperty("ChecksumCRC32C") String crc32c,
      @JsonProperty("ChecksumCRC64NVME") String crc64nvme,
      @JsonProperty("ChecksumSHA1") String sha1,
      @JsonProperty("ChecksumSHA256") String sha256) {}
}
