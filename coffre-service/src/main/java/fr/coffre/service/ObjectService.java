package fr.coffre.service;

import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.DeleteMarker;
import fr.coffre.core.DeleteMarkerException;
import fr.coffre.core.InvalidPartNumberException;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.LockState;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.NoSuchVersionException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectChecksum;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.RetentionMode;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.core.WriteCondition;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object use cases. A write is: encrypt and store the content as a new durable blob, then commit
 * the metadata row (the atomic switch), then reclaim the blobs of the version it replaced. Any
 * failure before the commit leaves at most an orphan blob, which {@link BlobJanitor} collects.
 */
public final class ObjectService {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectService.class);
  // A reader that finds a blob gone (replaced between its metadata read and its open) looks again.
  private static final int READ_ATTEMPTS = 3;

  private final MetadataStore metadata;
  private final BlobStore blobs;
  private final ObjectCrypto crypto;
  private final ContentWriter contentWriter;
  private final ContentReader contentReader;
  private final Reclaimer reclaimer;
  private final Clock clock;
  private final DataKeys dataKeys;
  private final ObjectLocks locks;

  /**
   * @param keys the KMS keys (SSE-KMS), or null for a server without them
   */
  public ObjectService(
      MetadataStore metadata, BlobStore blobs, ObjectCrypto crypto, KeyService keys, Clock clock) {
    this(metadata, blobs, crypto, keys, clock, Placer.NONE);
  }

  /**
   * @param placer where each new blob's copies go (the bucket's sensitivity class)
   */
  public ObjectService(
      MetadataStore metadata,
      BlobStore blobs,
      ObjectCrypto crypto,
      KeyService keys,
      Clock clock,
      Placer placer) {
    this.metadata = metadata;
    this.blobs = blobs;
    this.crypto = crypto;
    this.dataKeys = new DataKeys(crypto, keys);
    this.contentWriter = new ContentWriter(blobs, crypto, placer);
    this.contentReader = new ContentReader(blobs, crypto);
    this.reclaimer = new Reclaimer(blobs);
    this.clock = clock;
    this.locks = new ObjectLocks(metadata);
  }

  /** What a delete did, as S3 reports it. */
  public record Deleted(boolean deleteMarker, String versionId) {}

  /** Stores {@code body} (read to its end) as the new current version of the key. */
  public ObjectInfo put(BucketName bucket, ObjectKey key, InputStream body, PutRequest request) {
    // Reads the bucket once: NoSuchBucketException, and its lock settings.
    LockState lock = locks.forNewVersion(bucket, request.lock(), clock.instant());
    try (DataKey dataKey = dataKeys.create(request.customerKey(), request.kmsKey())) {
      ContentWriter.Written written =
          contentWriter.write(bucket, -1, body, dataKey, request.contentMd5());
      ObjectRecord record;
      ObjectAttributes attributes;
      try {
        attributes = request.attributesAfterBody();
        record =
            new ObjectRecord(
                bucket,
                key,
                written.slice().size(),
                written.etag(),
                clock.instant(),
                dataKey.keyRef(),
                dataKey.wrapped(),
                List.of(written.slice()),
                SealedAttributes.seal(crypto, dataKey, attributes),
                ObjectVersion.NULL_ID,
                lock,
                request.acl());
      } catch (RuntimeException e) {
        reclaimer.reclaim(List.of(written.slice()));
        throw e;
      }
      ObjectRecord stored = commit(record, request);
      return new ObjectInfo(
          stored.size(),
          stored.etag(),
          stored.lastModified(),
          attributes,
          List.of(),
          dataKeys.kmsArn(stored.keyRef()),
          stored.versionId(),
          stored.lock());
    }
  }

  private ObjectRecord commit(ObjectRecord record, PutRequest request) {
    MetadataStore.Written written;
    try {
      written = metadata.putObject(record, request.condition());
    } catch (StorageFailureException e) {
      // The database failed, maybe after committing (a connection lost during COMMIT): the row may
      // name the new blob, so it stays; if no row does, the start-up collection removes it.
      throw e;
    } catch (RuntimeException e) {
      reclaim(record);
      throw e;
    }
    written.replaced().ifPresent(this::reclaim);
    return written.stored();
  }

  /** The object's description; conditions checked as for a GET. */
  public ObjectInfo head(BucketName bucket, ObjectKey key, ReadConditions conditions) {
    return head(bucket, key, conditions, null);
  }

  /**
   * As {@link #head(BucketName, ObjectKey, ReadConditions)}, for an object that may use a customer
   * key.
   */
  public ObjectInfo head(
      BucketName bucket, ObjectKey key, ReadConditions conditions, CustomerKey customer) {
    return head(bucket, key, null, conditions, customer);
  }

  /** As {@link #head(BucketName, ObjectKey, ReadConditions)}, of one version (null: latest). */
  public ObjectInfo head(
      BucketName bucket,
      ObjectKey key,
      String versionId,
      ReadConditions conditions,
      CustomerKey customer) {
    ObjectRecord record = resolve(bucket, key, versionId);
    conditions.check(record.etag(), record.lastModified(), false);
    return describe(record, customer);
  }

  /** An open object: its description and the content of the requested range. */
  public record OpenObject(ObjectInfo info, ByteRange.Slice slice, ObjectContent content) {}

  /**
   * Opens an object for reading.
   *
   * @param range null for the whole object
   * @param notModifiedFails true when reading a copy source (412 instead of 304)
   * @param customer the object's customer key (SSE-C), or null
   */
  public OpenObject get(
      BucketName bucket,
      ObjectKey key,
      ReadConditions conditions,
      ByteRange range,
      boolean notModifiedFails,
      CustomerKey customer) {
    return get(bucket, key, null, conditions, range, notModifiedFails, customer);
  }

  /** As {@link #get}, of one version ({@code versionId} null: the latest). */
  public OpenObject get(
      BucketName bucket,
      ObjectKey key,
      String versionId,
      ReadConditions conditions,
      ByteRange range,
      boolean notModifiedFails,
      CustomerKey customer) {
    return open(
        bucket,
        key,
        versionId,
        conditions,
        notModifiedFails,
        customer,
        record ->
            range == null ? new ByteRange.Slice(0, record.size()) : range.resolve(record.size()));
  }

  /**
   * Opens one part of an object for reading (GetObject with partNumber): part 1 of an object
   * written in one piece is the whole object.
   */
  public OpenObject getPart(
      BucketName bucket,
      ObjectKey key,
      ReadConditions conditions,
      int partNumber,
      CustomerKey customer) {
    return getPart(bucket, key, null, conditions, partNumber, customer);
  }

  /** As {@link #getPart}, of one version ({@code versionId} null: the latest). */
  public OpenObject getPart(
      BucketName bucket,
      ObjectKey key,
      String versionId,
      ReadConditions conditions,
      int partNumber,
      CustomerKey customer) {
    return open(
        bucket,
        key,
        versionId,
        conditions,
        false,
        customer,
        record -> {
          boolean multipart = record.etag().isMultipart();
          int count = multipart ? record.blobs().size() : 1;
          if (partNumber < 1 || partNumber > count) {
            throw new InvalidPartNumberException(partNumber, count);
          }
          if (!multipart) {
            return new ByteRange.Slice(0, record.size());
          }
          long start = 0;
          for (int i = 0; i < partNumber - 1; i++) {
            start += record.blobs().get(i).size();
          }
          return new ByteRange.Slice(start, record.blobs().get(partNumber - 1).size());
        });
  }

  private OpenObject open(
      BucketName bucket,
      ObjectKey key,
      String versionId,
      ReadConditions conditions,
      boolean notModifiedFails,
      CustomerKey customer,
      Function<ObjectRecord, ByteRange.Slice> selector) {
    for (int attempt = 1; ; attempt++) {
      ObjectRecord record = resolve(bucket, key, versionId);
      conditions.check(record.etag(), record.lastModified(), notModifiedFails);
      ByteRange.Slice slice = selector.apply(record);
      try {
        ObjectInfo info = describe(record, customer);
        ObjectContent content = contentReader.open(record, slice, customer);
        return new OpenObject(info, slice, content);
      } catch (NoSuchFileException e) {
        if (attempt >= READ_ATTEMPTS
            || metadata
                .version(bucket, key, record.versionId())
                .equals(Optional.of((ObjectVersion) record))) {
          LOG.error("blob {} of {}/{} is missing", e.getFile(), bucket, key);
          throw new CorruptDataException("blob of " + bucket + "/" + key + " is missing", e);
        }
      } catch (IOException e) {
        throw new StorageFailureException("opening " + bucket + "/" + key + " failed", e);
      }
    }
  }

  /**
   * Deletes the key: removes its object in an unversioned bucket, adds a delete marker in a
   * versioned one; deleting an absent key succeeds, as in S3.
   */
  public Deleted delete(BucketName bucket, ObjectKey key) {
    return delete(bucket, key, null, false);
  }

  /**
   * Deletes the key ({@code versionId} null) or removes one version of it for good, unless Object
   * Lock protects that version (a GOVERNANCE retention gives way to {@code bypassGovernance}).
   */
  public Deleted delete(
      BucketName bucket, ObjectKey key, String versionId, boolean bypassGovernance) {
    MetadataStore.Removal removal =
        versionId == null
            ? metadata.deleteObject(bucket, key, clock.instant())
            : metadata.deleteVersion(bucket, key, versionId, clock.instant(), bypassGovernance);
    removal
        .removed()
        .ifPresent(
            v -> {
              if (v instanceof ObjectRecord o) {
                reclaim(o);
              }
            });
    if (removal.marker().isPresent()) {
      return new Deleted(true, removal.marker().get().versionId());
    }
    if (versionId != null) {
      return new Deleted(
          removal.removed().map(v -> v instanceof DeleteMarker).orElse(false), versionId);
    }
    return new Deleted(false, null);
  }

  /**
   * Copies an object; the content is decrypted and encrypted again under a new data key.
   *
   * @param attributes given the source's attributes, the destination's (a composite multipart
   *     checksum does not describe the single-part copy and is dropped)
   * @param sourceCustomer the source's customer key (SSE-C), or null
   * @param customer the copy's customer key, or null
   * @param kmsKey the copy's KMS key (SSE-KMS), or null
   */
  public ObjectInfo copy(
      BucketName sourceBucket,
      ObjectKey sourceKey,
      ReadConditions sourceConditions,
      CustomerKey sourceCustomer,
      BucketName bucket,
      ObjectKey key,
      UnaryOperator<ObjectAttributes> attributes,
      WriteCondition condition,
      CustomerKey customer,
      String kmsKey) {
    return copy(
            sourceBucket,
            sourceKey,
            null,
            sourceConditions,
            sourceCustomer,
            bucket,
            key,
            attributes,
            new PutRequest(null, null, condition, null, customer, kmsKey))
        .info();
  }

  /** A copy made, and the id of the source version it was made from. */
  public record Copied(ObjectInfo info, String sourceVersionId) {}

  /**
   * Copies one version of an object ({@code sourceVersionId} null: the latest); {@code request}
   * gives the copy's condition, keys and lock (its attributes are ignored).
   */
  public Copied copy(
      BucketName sourceBucket,
      ObjectKey sourceKey,
      String sourceVersionId,
      ReadConditions sourceConditions,
      CustomerKey sourceCustomer,
      BucketName bucket,
      ObjectKey key,
      UnaryOperator<ObjectAttributes> attributes,
      PutRequest request) {
    requireBucket(bucket);
    OpenObject source =
        get(sourceBucket, sourceKey, sourceVersionId, sourceConditions, null, true, sourceCustomer);
    try (ObjectContent content = source.content()) {
      ObjectAttributes target = attributes.apply(source.info().attributes());
      if (target.checksum() != null
          && !ObjectChecksum.FULL_OBJECT.equals(target.checksum().type())) {
        target = target.withChecksum(null);
      }
      ObjectInfo copy =
          put(
              bucket,
              key,
              content,
              new PutRequest(
                  target,
                  null,
                  request.condition(),
                  null,
                  request.customerKey(),
                  request.kmsKey(),
                  request.lock(),
                  request.acl()));
      return new Copied(copy, source.info().versionId());
    } catch (IOException e) {
      throw new StorageFailureException("closing copy source failed", e);
    }
  }

  /** The object's tags. */
  public Map<String, String> tags(BucketName bucket, ObjectKey key) {
    return tags(bucket, key, null);
  }

  /** The tags of one version ({@code versionId} null: the latest). */
  public Map<String, String> tags(BucketName bucket, ObjectKey key, String versionId) {
    return describe(resolve(bucket, key, versionId), null).attributes().tags();
  }

  /**
   * Replaces the object's tags (empty removes them) without touching its content or date. A
   * concurrent overwrite wins: the tags are then applied to the new version, as if after it.
   */
  public void setTags(BucketName bucket, ObjectKey key, Map<String, String> tags) {
    setTags(bucket, key, null, tags);
  }

  /** As {@link #setTags(BucketName, ObjectKey, Map)}, of one version (null: the latest). */
  public void setTags(
      BucketName bucket, ObjectKey key, String versionId, Map<String, String> tags) {
    for (int attempt = 1; ; attempt++) {
      ObjectRecord record = resolve(bucket, key, versionId);
      byte[] sealed;
      try (DataKey dataKey = crypto.unwrap(record.keyRef(), record.wrappedKey(), null)) {
        ObjectAttributes a = SealedAttributes.open(crypto, dataKey, record.sealedAttributes());
        sealed = SealedAttributes.seal(crypto, dataKey, a.withTags(tags));
      }
      if (metadata.replaceAttributes(record, sealed)) {
        return;
      }
      if (attempt >= READ_ATTEMPTS) {
        throw new StorageFailureException(
            bucket + "/" + key + " kept changing while its tags were set", null);
      }
    }
  }

  public ListPage list(BucketName bucket, ListQuery query) {
    return metadata.list(bucket, query);
  }

  /** One page of the bucket's versions and delete markers. */
  public VersionPage listVersions(BucketName bucket, VersionQuery query) {
    return metadata.listVersions(bucket, query);
  }

  /** The id of the version a request addresses: {@code versionId}, or the latest's. */
  public String versionIdOf(BucketName bucket, ObjectKey key, String versionId) {
    return resolve(bucket, key, versionId).versionId();
  }

  /** The lock state of a version ({@code versionId} null: the latest). */
  public LockState lock(BucketName bucket, ObjectKey key, String versionId) {
    requireLockEnabled(bucket);
    return resolve(bucket, key, versionId).lock();
  }

  /**
   * Sets (both null: removes) the retention of a version, as {@link ObjectLocks#retentionChange}
   * allows.
   */
  public LockState setRetention(
      BucketName bucket,
      ObjectKey key,
      String versionId,
      RetentionMode mode,
      Instant until,
      boolean bypassGovernance) {
    requireLockEnabled(bucket);
    String id = resolve(bucket, key, versionId).versionId();
    return metadata.changeLock(
        bucket,
        key,
        id,
        ObjectLocks.retentionChange(mode, until, bypassGovernance, clock.instant()));
  }

  /** Sets or clears the legal hold of a version. */
  public LockState setLegalHold(BucketName bucket, ObjectKey key, String versionId, boolean on) {
    requireLockEnabled(bucket);
    String id = resolve(bucket, key, versionId).versionId();
    return metadata.changeLock(bucket, key, id, l -> l.withLegalHold(on));
  }

  private void requireLockEnabled(BucketName bucket) {
    if (!metadata
        .bucket(bucket)
        .orElseThrow(() -> new NoSuchBucketException(bucket.value()))
        .objectLock()) {
      throw new ObjectLockException(
          ObjectLockException.Reason.NOT_ENABLED, "Bucket is missing Object Lock Configuration");
    }
  }

  /**
   * The version a read addresses: the latest (404 if none, or if it is a delete marker), or the one
   * named (404 NoSuchVersion if none; a delete marker answers 405).
   */
  private ObjectRecord resolve(BucketName bucket, ObjectKey key, String versionId) {
    if (versionId == null) {
      Optional<ObjectRecord> current = metadata.object(bucket, key);
      if (current.isPresent()) {
        return current.get();
      }
      Optional<ObjectVersion> latest = metadata.latest(bucket, key);
      if (latest.isPresent() && latest.get() instanceof DeleteMarker m) {
        throw new DeleteMarkerException(key.value(), m.versionId(), false);
      }
      throw new NoSuchKeyException(key.value());
    }
    ObjectVersion v =
        metadata
            .version(bucket, key, versionId)
            .orElseThrow(() -> new NoSuchVersionException(key.value(), versionId));
    if (v instanceof ObjectRecord o) {
      return o;
    }
    throw new DeleteMarkerException(key.value(), versionId, true);
  }

  private ObjectInfo describe(ObjectRecord record, CustomerKey customer) {
    try (DataKey key = crypto.unwrap(record.keyRef(), record.wrappedKey(), customer)) {
      ObjectAttributes attributes = SealedAttributes.open(crypto, key, record.sealedAttributes());
      List<Long> parts =
          record.etag().isMultipart()
              ? record.blobs().stream().map(BlobSlice::size).toList()
              : List.of();
      return new ObjectInfo(
          record.size(),
          record.etag(),
          record.lastModified(),
          attributes,
          parts,
          dataKeys.kmsArn(record.keyRef()),
          record.versionId(),
          record.lock());
    }
  }

  private void requireBucket(BucketName bucket) {
    if (metadata.bucket(bucket).isEmpty()) {
      throw new NoSuchBucketException(bucket.value());
    }
  }

  private void reclaim(ObjectRecord record) {
    reclaimer.reclaim(record.blobs());
  }

  /** The time source, exposed so protocol code formats dates consistently in tests. */
  public Instant now() {
    return clock.instant();
  }
}
