package fr.coffre.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One version of an object with content, as the metadata store keeps it. Content lives in {@link
 * #blobs()} (in order), encrypted under a data key that is stored only wrapped ({@link
 * #wrappedKey()}, wrapped by the key named {@link #keyRef()}). Headers and user metadata are in
 * {@link #sealedAttributes()}, encrypted under the same data key: the metadata store never sees
 * them in clear.
 *
 * @param versionId {@link ObjectVersion#NULL_ID} for an object written while its bucket was not
 *     versioned (and, when writing, a proposal the store replaces by its own id if the bucket is)
 * @param lock the version's retention and legal hold
 * @param acl the version's access control list, or null for the default one (its bucket's owner has
 *     full control, nobody else anything)
 */
public record ObjectRecord(
    BucketName bucket,
    ObjectKey key,
    long size,
    ETag etag,
    Instant lastModified,
    String keyRef,
    byte[] wrappedKey,
    List<BlobSlice> blobs,
    byte[] sealedAttributes,
    String versionId,
    LockState lock,
    @Nullable AccessControlList acl)
    implements ObjectVersion {

  /** An unversioned, unlocked object. */
  public ObjectRecord(
      BucketName bucket,
      ObjectKey key,
      long size,
      ETag etag,
      Instant lastModified,
      String keyRef,
      byte[] wrappedKey,
      List<BlobSlice> blobs,
      byte[] sealedAttributes) {
    this(
        bucket,
        key,
        size,
        etag,
        lastModified,
        keyRef,
        wrappedKey,
        blobs,
        sealedAttributes,
        NULL_ID,
        LockState.NONE,
        null);
  }

  public ObjectRecord {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(lastModified, "lastModified");
    Objects.requireNonNull(keyRef, "keyRef");
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    Objects.requireNonNull(sealedAttributes, "sealedAttributes");
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(lock, "lock");
    blobs = List.copyOf(blobs);
    long sum = blobs.stream().mapToLong(BlobSlice::size).sum();
    if (sum != size) {
      throw new IllegalArgumentException("blob sizes add up to " + sum + ", not " + size);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectRecord r
        && bucket.equals(r.bucket)
        && key.equals(r.key)
        && size == r.size
        && etag.equals(r.etag)
        && lastModified.equals(r.lastModified)
        && keyRef.equals(r.keyRef)
        && Arrays.equals(wrappedKey, r.wrappedKey)
        && blobs.equals(r.blobs)
        && Arrays.equals(sealedAttributes, r.sealedAttributes)
        && versionId.equals(r.versionId)
        && lock.equals(r.lock)
        && Objects.equals(acl, r.acl);
  }

  /** This record as version {@code id}. */
  public ObjectRecord withVersionId(String id) {
    return new ObjectRecord(
        bucket,
        key,
        size,
        etag,
        lastModified,
        keyRef,
        wrappedKey,
        blobs,
        sealedAttributes,
        id,
        lock,
        acl);
  }

  /** This record with another lock state. */
  public ObjectRecord withLock(LockState newLock) {
    return new ObjectRecord(
        bucket,
        key,
        size,
        etag,
        lastModified,
        keyRef,
        wrappedKey,
        blobs,
        sealedAttributes,
        versionId,
        newLock,
        acl);
  }

  /** This record with another access control list (null: the default one). */
  public ObjectRecord withAcl(@Nullable AccessControlList newAcl) {
    return new ObjectRecord(
        bucket,
        key,
        size,
        etag,
        lastModified,
        keyRef,
        wrappedKey,
        blobs,
        sealedAttributes,
        versionId,
        lock,
        newAcl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, key, etag, lastModified);
  }

  @Override
  public String toString() {
    return "ObjectRecord["
        + bucket
        + "/"
        + key
        + ", version="
        + versionId
        + ", size="
        + size
        + ", etag="
        + etag
        + "]";
  }
}
