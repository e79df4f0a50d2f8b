package fr.coffre.s3.checksum;

/**
 * How S3 derives the checksum of an object assembled from a multipart upload ({@code
 * x-amz-checksum-type}); the constant names are S3's own.
 */
public enum ChecksumType {
  /**
   * A checksum of the part checksums, suffixed with the part count ({@code ...=-3}): it cannot be
   * compared with a checksum of the downloaded bytes, only recomputed from the parts.
   */
  COMPOSITE,

  /**
   * The checksum of the whole object, as if it had been uploaded in one request; only a CRC, whose
   * part values can be combined without the data, can be one.
   */
  FULL_OBJECT
}
