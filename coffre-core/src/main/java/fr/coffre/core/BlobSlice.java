package fr.coffre.core;

/** One blob holding a run of an object's plaintext: the whole object, or one multipart part. */
public record BlobSlice(BlobId blob, long size) {
  public BlobSlice {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }
}
