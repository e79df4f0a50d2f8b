package fr.coffre.s3.checksum;

/**
 * How a multipart object's checksum is made: from the whole content (CRCs only, combined from
 * the parts' CRCs), or as a checksum of the parts' checksums, suffixed with the part count.
 */
public enum ChecksumType {
  FULL_OBJECT,
  COMPOSITE
}
