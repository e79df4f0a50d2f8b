package fr.coffre.service;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.BadDigestException;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.ETag;
import fr.coffre.core.InvalidPartException;
import fr.coffre.core.LockState;
import fr.coffre.core.NoSuchUploadException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectChecksum;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.PartRecord;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.WriteCondition;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.storage.BlobStore;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Multipart uploads: each part is written (encrypted under the upload's data key) as its own
 * durable blob; completion checks the part list and commits a manifest row whose blobs are the
 * parts' blobs. No data is copied; parts not named in the completion are reclaimed.
 */
public final class MultipartService {
  /** S3's minimum size of every part but the last. */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private final MetadataStore metadata;
  private final ObjectCrypto crypto;
  private final ContentWriter contentWriter;
  private final Reclaimer reclaimer;
  private final Clock clock;
  private final ObjectLocks locks;
  private final DataKeys dataKeys;

  /**
   * @param keys the KMS keys (SSE-KMS), or null for a server without them
   */
  public MultipartService(
      MetadataStore metadata, BlobStore blobs, ObjectCrypto crypto, KeyService keys, Clock clock) {
    this(metadata, blobs, crypto, keys, clock, Placer.NONE);
  }

  /**
   * @param placer where each part's copies go (the bucket's sensitivity class)
   */
  public MultipartService(
      MetadataStore metadata,
      BlobStore blobs,
      ObjectCrypto crypto,
      KeyService keys,
      Clock clock,
      Placer placer) {
    this.metadata = metadata;
    this.crypto = crypto;
    this.dataKeys = new DataKeys(crypto, keys);
    this.contentWriter = new ContentWriter(blobs, crypto, placer);
    this.reclaimer = new Reclaimer(blobs);
    this.clock = clock;
    this.locks = new ObjectLocks(metadata);
  }

  /**
   * Starts an upload; returns its id. With a customer key (SSE-C, else null) or a KMS key (SSE-KMS,
   * else null) the parts are encrypted under a data key that key wraps.
   */
  public String create(
      BucketName bucket,
      ObjectKey key,
      ObjectAttributes attributes,
      CustomerKey customer,
      String kmsKey) {
    return create(bucket, key, attributes, customer, kmsKey, null);
  }

  /**
   * As {@link #create(BucketName, ObjectKey, ObjectAttributes, CustomerKey, String)}, with the
   * Object Lock state the completed object gets ({@code null}: the bucket's default retention at
   * completion). It is checked now and kept with the upload until it completes.
   */
  public String create(
      BucketName bucket,
      ObjectKey key,
      ObjectAttributes attributes,
      CustomerKey customer,
      String kmsKey,
      LockState lock) {
    return create(bucket, key, attributes, customer, kmsKey, lock, null);
  }

  /**
   * As the other, with the access control list the completed object gets ({@code null}: the default
   * one), kept with the upload until it completes.
   */
  public String create(
      BucketName bucket,
      ObjectKey key,
      ObjectAttributes attributes,
      CustomerKey customer,
      String kmsKey,
      LockState lock,
      AccessControlList acl) {
    if (lock != null) {
      locks.forNewVersion(bucket, lock, clock.instant());
    }
    try (DataKey dataKey = dataKeys.create(customer, kmsKey)) {
      String id = UUID.randomUUID().toString().replace("-", "");
      metadata.createUpload(
          new UploadRecord(
              id,
              bucket,
              key,
              clock.instant(),
              dataKey.keyRef(),
              dataKey.wrapped(),
              SealedAttributes.seal(crypto, dataKey, attributes)));
      if (lock != null) {
        metadata.putBucketSetting(bucket, ObjectLocks.uploadSetting(id), ObjectLocks.text(lock));
      }
      if (acl != null) {
        metadata.putBucketSetting(bucket, uploadAclSetting(id), acl.encode());
      }
      return id;
    }
  }

  /** The checksum algorithm and type the upload was created with, if any. */
  public Optional<ObjectChecksum> checksumOf(BucketName bucket, ObjectKey key, String uploadId) {
    return checksumOf(bucket, key, uploadId, null);
  }

  /** As the other, for an upload that may use a customer key. */
  public Optional<ObjectChecksum> checksumOf(
      BucketName bucket, ObjectKey key, String uploadId, CustomerKey customer) {
    return Optional.ofNullable(attributes(upload(bucket, key, uploadId), customer).checksum());
  }

  /**
   * Stores one part (re-uploading a number replaces it); returns its ETag.
   *
   * @param checksum asked once the body is read: the part's verified checksum in the upload's
   *     algorithm, or null
   * @param customer the upload's customer key (SSE-C), or null; it must be the creation's
   */
  public ETag uploadPart(
      BucketName bucket,
      ObjectKey key,
      String uploadId,
      int partNumber,
      InputStream body,
      byte[] contentMd5,
      Supplier<String> checksum,
      CustomerKey customer) {
    UploadRecord upload = upload(bucket, key, uploadId);
    PartRecord part;
    try (DataKey dataKey = crypto.unwrap(upload.keyRef(), upload.wrappedKey(), customer)) {
      ContentWriter.Written written = contentWriter.write(bucket, -1, body, dataKey, contentMd5);
      try {
        part =
            new PartRecord(
                uploadId,
                partNumber,
                written.slice(),
                written.etag(),
                clock.instant(),
                checksum == null ? null : checksum.get());
      } catch (RuntimeException e) {
        reclaimer.reclaim(List.of(written.slice()));
        throw e;
      }
    }
    Optional<PartRecord> previous;
    try {
      previous = metadata.putPart(part);
    } catch (StorageFailureException e) {
      throw e; // maybe committed all the same (see ObjectService.commit): the blob stays for the
      // start-up collection
    } catch (RuntimeException e) {
      reclaimer.reclaim(List.of(part.blob()));
      throw e;
    }
    previous.ifPresent(p -> reclaimer.reclaim(List.of(p.blob())));
    return part.etag();
  }

  /**
   * A part the client names in CompleteMultipartUpload.
   *
   * @param checksum the part checksum the client states (base64), or null
   */
  public record CompletedPart(int partNumber, String etag, String checksum) {
    public CompletedPart(int partNumber, String etag) {
      this(partNumber, etag, null);
    }
  }

  /**
   * Checks the part list and makes the object visible; returns it described.
   *
   * @param combiner computes the object's checksum when the upload chose an algorithm
   * @param expectedChecksum the object checksum the client states for the whole upload, or null
   * @param customer the upload's customer key (SSE-C), or null
   */
  public ObjectInfo complete(
      BucketName bucket,
      ObjectKey key,
      String uploadId,
      List<CompletedPart> requested,
      WriteCondition condition,
      ChecksumCombiner combiner,
      String expectedChecksum,
      CustomerKey customer) {
    Optional<ObjectInfo> again = alreadyCompleted(bucket, key, uploadId, customer);
    if (again.isPresent()) {
      return again.get();
    }
    contentWriter.admit(bucket); // full volumes refuse a completion too, before anything changes
    try {
      return completeOnce(
          bucket, key, uploadId, requested, condition, combiner, expectedChecksum, customer);
    } catch (InvalidPartException | NoSuchUploadException e) {
      // Two identical completions racing: the other one finished between our checks (its parts
      // and upload row are gone). The client asked for what now exists: the same success.
      Optional<ObjectInfo> done = alreadyCompleted(bucket, key, uploadId, customer);
      if (done.isPresent()) {
        return done.get();
      }
      throw e;
    }
  }

  private ObjectInfo completeOnce(
      BucketName bucket,
      ObjectKey key,
      String uploadId,
      List<CompletedPart> requested,
      WriteCondition condition,
      ChecksumCombiner combiner,
      String expectedChecksum,
      CustomerKey customer) {
    UploadRecord upload = upload(bucket, key, uploadId);
    ObjectAttributes attributes = attributes(upload, customer);
    if (requested.isEmpty()) {
      throw new InvalidPartException(
          InvalidPartException.Reason.MISSING_OR_MISMATCHED, "You must specify at least one part");
    }
    List<PartRecord> stored = metadata.parts(uploadId, 0, PartRecord.MAX_PART_NUMBER);
    Map<Integer, PartRecord> byNumber = new HashMap<>();
    stored.forEach(p -> byNumber.put(p.partNumber(), p));
    List<PartRecord> chosen = new ArrayList<>();
    int last = 0;
    for (CompletedPart c : requested) {
      if (c.partNumber() <= last) {
        throw new InvalidPartException(
            InvalidPartException.Reason.ORDER,
            "The list of parts was not in ascending order. Parts must be ordered by part number.");
      }
      last = c.partNumber();
      PartRecord p = byNumber.get(c.partNumber());
      if (p == null
          || c.etag() == null
          || !p.etag().matches(c.etag())
          || (c.checksum() != null && p.checksum() != null && !c.checksum().equals(p.checksum()))) {
        throw new InvalidPartException(
            InvalidPartException.Reason.MISSING_OR_MISMATCHED,
            "One or more of the specified parts could not be found. The part may not have been uploaded,"
                + " or the specified entity tag may not match the part's entity tag.");
      }
      chosen.add(p);
    }
    for (int i = 0; i < chosen.size() - 1; i++) {
      if (chosen.get(i).blob().size() < MIN_PART_SIZE) {
        throw new InvalidPartException(
            InvalidPartException.Reason.TOO_SMALL,
            "Your proposed upload is smaller than the minimum allowed size (part "
                + chosen.get(i).partNumber()
                + ")");
      }
    }
    MessageDigest md5 = md5();
    List<BlobSlice> blobs = new ArrayList<>();
    long size = 0;
    for (PartRecord p : chosen) {
      md5.update(HexFormat.of().parseHex(p.etag().value()));
      blobs.add(p.blob());
      size += p.blob().size();
    }
    ETag etag = new ETag(HexFormat.of().formatHex(md5.digest()) + "-" + chosen.size());
    byte[] sealed = upload.sealedAttributes();
    if (attributes.checksum() != null) {
      attributes =
          attributes.withChecksum(
              objectChecksum(attributes.checksum(), chosen, combiner, expectedChecksum));
      try (DataKey k = crypto.unwrap(upload.keyRef(), upload.wrappedKey(), customer)) {
        sealed = SealedAttributes.seal(crypto, k, attributes);
      }
    }
    ObjectRecord record =
        new ObjectRecord(
            bucket,
            key,
            size,
            etag,
            clock.instant(),
            upload.keyRef(),
            upload.wrappedKey(),
            blobs,
            sealed,
            ObjectVersion.NULL_ID,
            uploadLock(bucket, uploadId),
            uploadAcl(bucket, uploadId));
    MetadataStore.Written written = metadata.completeUpload(uploadId, record, condition);
    metadata.putBucketSetting(bucket, ObjectLocks.uploadSetting(uploadId), null);
    metadata.putBucketSetting(bucket, uploadAclSetting(uploadId), null);
    written.replaced().ifPresent(r -> reclaimer.reclaim(r.blobs()));
    List<BlobSlice> unused = new ArrayList<>();
    for (PartRecord p : stored) {
      if (!chosen.contains(p)) {
        unused.add(p.blob());
      }
    }
    reclaimer.reclaim(unused);
    return new ObjectInfo(
        size,
        etag,
        record.lastModified(),
        attributes,
        chosen.stream().map(p -> p.blob().size()).toList(),
        dataKeys.kmsArn(record.keyRef()),
        written.stored().versionId(),
        written.stored().lock());
  }

  /** The bucket setting that keeps the ACL asked at an upload's creation. */
  private static String uploadAclSetting(String uploadId) {
    return "upload-acl:" + uploadId;
  }

  /** The ACL the object an upload becomes will have, if not the default one (ListParts' owner). */
  public Optional<AccessControlList> aclOf(BucketName bucket, String uploadId) {
    return Optional.ofNullable(uploadAcl(bucket, uploadId));
  }

  /** The ACL asked at the upload's creation, or null for the default one. */
  private AccessControlList uploadAcl(BucketName bucket, String uploadId) {
    return metadata
        .bucketSetting(bucket, uploadAclSetting(uploadId))
        .map(AccessControlList::decode)
        .orElse(null);
  }

  /** The lock asked at the upload's creation, else the bucket's default retention now. */
  private LockState uploadLock(BucketName bucket, String uploadId) {
    return metadata
        .bucketSetting(bucket, ObjectLocks.uploadSetting(uploadId))
        .map(ObjectLocks::parse)
        .orElseGet(() -> locks.forNewVersion(bucket, null, clock.instant()));
  }

  /**
   * A completion retried after the first one succeeded (its answer lost on the way): the same
   * success, as long as the key still holds the object that upload became.
   */
  private Optional<ObjectInfo> alreadyCompleted(
      BucketName bucket, ObjectKey key, String uploadId, CustomerKey customer) {
    if (uploadId == null || !uploadId.matches("[0-9a-f]{32}")) {
      return Optional.empty();
    }
    Optional<ETag> etag = metadata.completedUpload(bucket, key, uploadId);
    if (etag.isEmpty()) {
      return Optional.empty();
    }
    Optional<ObjectRecord> current =
        metadata.object(bucket, key).filter(o -> o.etag().equals(etag.get()));
    return current.map(
        o -> {
          try (DataKey k = crypto.unwrap(o.keyRef(), o.wrappedKey(), customer)) {
            ObjectAttributes a = SealedAttributes.open(crypto, k, o.sealedAttributes());
            return new ObjectInfo(
                o.size(),
                o.etag(),
                o.lastModified(),
                a,
                List.of(),
                dataKeys.kmsArn(o.keyRef()),
                o.versionId(),
                o.lock());
          }
        });
  }

  private static ObjectChecksum objectChecksum(
      ObjectChecksum chosen, List<PartRecord> parts, ChecksumCombiner combiner, String expected) {
    for (PartRecord p : parts) {
      if (p.checksum() == null) {
        throw new InvalidPartException(
            InvalidPartException.Reason.MISSING_OR_MISMATCHED,
            "Part "
                + p.partNumber()
                + " has no "
                + chosen.algorithm()
                + " checksum; upload it again");
      }
    }
    ObjectChecksum computed = combiner.combine(chosen, parts);
    if (expected != null
        && !expected.equals(computed.value())
        && !expected.equals(stripPartCount(computed.value()))) {
      throw new BadDigestException(
          "The "
              + chosen.algorithm()
              + " you specified for the upload did not match the"
              + " parts' checksums");
    }
    return computed;
  }

  private static String stripPartCount(String value) {
    int dash = value.lastIndexOf('-');
    return dash < 0 ? value : value.substring(0, dash);
  }

  private ObjectAttributes attributes(UploadRecord upload, CustomerKey customer) {
    try (DataKey k = crypto.unwrap(upload.keyRef(), upload.wrappedKey(), customer)) {
      return SealedAttributes.open(crypto, k, upload.sealedAttributes());
    }
  }

  /**
   * Aborts the uploads initiated before {@code cutoff} (abandoned by their clients) and reclaims
   * their parts.
   *
   * @return how many were aborted
   */
  public int abortInitiatedBefore(Instant cutoff) {
    int aborted = 0;
    List<UploadRecord> batch;
    do {
      batch = metadata.uploadsInitiatedBefore(cutoff, 100);
      for (UploadRecord u : batch) {
        try {
          List<PartRecord> parts = metadata.abortUpload(u.bucket(), u.uploadId());
          reclaimer.reclaim(parts.stream().map(PartRecord::blob).toList());
          aborted++;
        } catch (NoSuchUploadException e) {
          // completed or aborted meanwhile
        }
      }
    } while (batch.size() == 100);
    metadata.forgetCompletedUploads(cutoff);
    return aborted;
  }

  /** Abandons an upload and reclaims its parts. */
  public void abort(BucketName bucket, ObjectKey key, String uploadId) {
    upload(bucket, key, uploadId);
    List<PartRecord> parts = metadata.abortUpload(bucket, uploadId);
    metadata.putBucketSetting(bucket, ObjectLocks.uploadSetting(uploadId), null);
    metadata.putBucketSetting(bucket, uploadAclSetting(uploadId), null);
    reclaimer.reclaim(parts.stream().map(PartRecord::blob).toList());
  }

  /** Parts after {@code after}, at most {@code max} plus one (to tell truncation). */
  public List<PartRecord> parts(
      BucketName bucket, ObjectKey key, String uploadId, int after, int max) {
    upload(bucket, key, uploadId);
    return metadata.parts(uploadId, after, max + 1);
  }

  /** Uploads in progress, at most {@code max} plus one (to tell truncation). */
  public List<UploadRecord> uploads(
      BucketName bucket, String prefix, String keyMarker, String idMarker, int max) {
    return metadata.uploads(bucket, prefix, keyMarker, idMarker, max);
  }

  private UploadRecord upload(BucketName bucket, ObjectKey key, String uploadId) {
    if (uploadId == null || !uploadId.matches("[0-9a-f]{32}")) {
      throw new NoSuchUploadException(String.valueOf(uploadId));
    }
    return metadata
        .upload(bucket, uploadId)
        .filter(u -> u.key().equals(key))
        .orElseThrow(() -> new NoSuchUploadException(uploadId));
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The ARN of the KMS key an upload's parts are encrypted under, or null when it is not SSE-KMS.
   */
  public String kmsKeyArn(BucketName bucket, ObjectKey key, String uploadId) {
    return dataKeys.kmsArn(upload(bucket, key, uploadId).keyRef());
  }
}
