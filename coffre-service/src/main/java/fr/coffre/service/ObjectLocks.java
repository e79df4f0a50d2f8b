package fr.coffre.service;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.DefaultRetention;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.LockState;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.RetentionMode;
import fr.coffre.metadata.MetadataStore;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The rules of Object Lock that are not the store's: which lock a new version gets (the one asked
 * for, else the bucket's default retention), and which changes of a retention are allowed. The
 * store enforces the lock on every removal, in the transaction that would remove the version.
 */
public final class ObjectLocks {
  /** The bucket setting that holds the default retention ({@link DefaultRetention#text()}). */
  public static final String DEFAULT_RETENTION = "object-lock-default";

  private static final String UPLOAD_PREFIX = "object-lock-upload/";

  private final MetadataStore metadata;

  /** The bucket setting holding the lock asked for a multipart upload until it completes. */
  static String uploadSetting(String uploadId) {
    return UPLOAD_PREFIX + uploadId;
  }

  /** A lock state as kept in a setting: {@code MODE|untilMillis|hold}, empty mode for none. */
  static String text(LockState lock) {
    return (lock.mode() == null ? "" : lock.mode().name())
        + "|"
        + (lock.retainUntil() == null ? "" : Long.toString(lock.retainUntil().toEpochMilli()))
        + "|"
        + lock.legalHold();
  }

  static LockState parse(String text) {
    String[] p = text.split("\\|", -1);
    return new LockState(
        p[0].isEmpty() ? null : RetentionMode.valueOf(p[0]),
        p[1].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(p[1])),
        Boolean.parseBoolean(p[2]));
  }

  public ObjectLocks(MetadataStore metadata) {
    this.metadata = metadata;
  }

  /**
   * The lock a version written now to {@code bucket} gets: {@code requested} if it names a
   * retention, else the bucket's default retention (with the requested legal hold). A lock asked of
   * a bucket without Object Lock is refused; a retention date in the past too.
   */
  public LockState forNewVersion(BucketName bucket, LockState requested, Instant now) {
    BucketRecord b =
        metadata.bucket(bucket).orElseThrow(() -> new NoSuchBucketException(bucket.value()));
    LockState asked = requested == null ? LockState.NONE : requested;
    if (!b.objectLock()) {
      if (!asked.equals(LockState.NONE)) {
        throw new ObjectLockException(
            ObjectLockException.Reason.NOT_ENABLED, "Bucket is missing Object Lock Configuration");
      }
      return LockState.NONE;
    }
    if (asked.retainUntil() != null && !asked.retainUntil().isAfter(now)) {
      throw new InvalidArgumentException("The retain until date must be in the future!");
    }
    if (asked.mode() != null) {
      return asked;
    }
    return defaultRetention(bucket)
        .map(d -> d.lockFrom(now).withLegalHold(asked.legalHold()))
        .orElse(asked);
  }

  public Optional<DefaultRetention> defaultRetention(BucketName bucket) {
    return metadata.bucketSetting(bucket, DEFAULT_RETENTION).map(DefaultRetention::parse);
  }

  /**
   * The change of a version's retention to {@code mode} until {@code until} (both null to remove
   * it): a retention in force can be extended in its own mode by anyone allowed to set one; a
   * COMPLIANCE one can be changed no other way, a GOVERNANCE one only with the bypass right.
   */
  public static UnaryOperator<LockState> retentionChange(
      RetentionMode mode, Instant until, boolean bypassGovernance, Instant now) {
    return current -> {
      if (current.retainedAt(now)) {
        boolean extension =
            mode == current.mode() && until != null && !until.isBefore(current.retainUntil());
        if (!extension && (current.mode() == RetentionMode.COMPLIANCE || !bypassGovernance)) {
          throw new ObjectLockException(
              ObjectLockException.Reason.LOCKED,
              "Access Denied: the version's retention ("
                  + current.mode()
                  + " until "
                  + current.retainUntil()
                  + ") can only be extended"
                  + (current.mode() == RetentionMode.GOVERNANCE
                      ? ", unless with s3:BypassGovernanceRetention."
                      : "."));
        }
      }
      return current.withRetention(mode, until);
    };
  }
}
