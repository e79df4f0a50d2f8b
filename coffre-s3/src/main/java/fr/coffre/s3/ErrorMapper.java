package fr.coffre.s3;

import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.AclException;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.BadDigestException;
import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketNotEmptyException;
import fr.coffre.core.CoffreException;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.CustomerKeyException;
import fr.coffre.core.DeleteMarkerException;
import fr.coffre.core.EntityTooLargeException;
import fr.coffre.core.GovernanceException;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.InvalidBucketNameException;
import fr.coffre.core.InvalidPartException;
import fr.coffre.core.InvalidPartNumberException;
import fr.coffre.core.InvalidRangeException;
import fr.coffre.core.KeyTooLongException;
import fr.coffre.core.KmsKeyException;
import fr.coffre.core.MalformedPolicyException;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.NoSuchUploadException;
import fr.coffre.core.NoSuchVersionException;
import fr.coffre.core.NotModifiedException;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.PlacementRefusedException;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.QuotaExceededException;
import fr.coffre.core.SealedException;
import fr.coffre.core.ShareLinkException;
import fr.coffre.core.StorageFailureException;

/** Maps each domain failure to its S3 error: one exhaustive switch over the sealed family. */
public final class ErrorMapper {
  private ErrorMapper() {}

  /**
   * The {@code Retry-After} of a write refused because its volumes are full. The AWS SDK for Java
   * waits that long between its attempts (three by default): short enough that a lasting shortage
   * reaches the caller in seconds, long enough to ride out a sweep freeing space.
   */
  public static final int FULL_RETRY_AFTER_SECONDS = 5;

  static S3Exception toS3(CoffreException e, S3Request request) {
    String bucket = request == null ? null : request.bucket();
    return switch (e) {
      case NoSuchBucketException x ->
          new S3Exception(S3Error.NO_SUCH_BUCKET).with("BucketName", x.bucket());
      // The latest version is not a delete marker (there is none): said as Ceph RGW says it.
      case NoSuchKeyException x ->
          new S3Exception(S3Error.NO_SUCH_KEY)
              .with("Key", x.key())
              .header("x-amz-delete-marker", "false");
      case BucketAlreadyOwnedException x ->
          new S3Exception(
                  x.byAnother()
                      ? S3Error.BUCKET_ALREADY_EXISTS
                      : S3Error.BUCKET_ALREADY_OWNED_BY_YOU)
              .with("BucketName", bucket);
      case AccessDeniedException x -> new S3Exception(S3Error.ACCESS_DENIED);
      case QuotaExceededException x -> new S3Exception(S3Error.QUOTA_EXCEEDED, x.getMessage());
      case MalformedPolicyException x -> new S3Exception(S3Error.MALFORMED_POLICY, x.getMessage());
      case IdentityException x ->
          switch (x.reason()) {
            case EXPIRED_TOKEN -> new S3Exception(S3Error.EXPIRED_TOKEN);
            case INVALID_TOKEN -> new S3Exception(S3Error.INVALID_TOKEN);
            default -> new S3Exception(S3Error.INVALID_ARGUMENT, x.getMessage());
          };
      // Only the admin API and the console raise these; an S3 request never should.
      case GovernanceException x -> new S3Exception(S3Error.ACCESS_DENIED, x.getMessage());
      case BucketNotEmptyException x ->
          new S3Exception(S3Error.BUCKET_NOT_EMPTY).with("BucketName", bucket);
      case InvalidBucketNameException x ->
          new S3Exception(S3Error.INVALID_BUCKET_NAME, x.getMessage()).with("BucketName", bucket);
      case KeyTooLongException x -> new S3Exception(S3Error.KEY_TOO_LONG, x.getMessage());
      case InvalidArgumentException x -> new S3Exception(S3Error.INVALID_ARGUMENT, x.getMessage());
      case InvalidRangeException x ->
          new S3Exception(S3Error.INVALID_RANGE).with("ActualObjectSize", Long.toString(x.size()));
      case PreconditionFailedException x ->
          new S3Exception(S3Error.PRECONDITION_FAILED).with("Condition", x.condition());
      case NotModifiedException x ->
          new S3Exception(S3Error.NOT_MODIFIED).with("ETag", x.etag().quoted());
      case BadDigestException x -> new S3Exception(S3Error.BAD_DIGEST, x.getMessage());
      case EntityTooLargeException x -> new S3Exception(S3Error.ENTITY_TOO_LARGE, x.getMessage());
      case CorruptDataException x -> new S3Exception(S3Error.INTERNAL_ERROR);
      // The database or a volume failed (server gone, I/O error): nothing was done, and a retry may
      // succeed, so 503 (clients retry it); the cause is logged, never sent.
      case StorageFailureException x ->
          new S3Exception(
              S3Error.SERVICE_UNAVAILABLE,
              "The service cannot reach its storage right now; nothing was changed. Please retry.");
      case NoSuchUploadException x -> new S3Exception(S3Error.NO_SUCH_UPLOAD, x.getMessage());
      case InvalidPartException x ->
          new S3Exception(
              switch (x.reason()) {
                case MISSING_OR_MISMATCHED -> S3Error.INVALID_PART;
                case ORDER -> S3Error.INVALID_PART_ORDER;
                case TOO_SMALL -> S3Error.ENTITY_TOO_SMALL;
              },
              x.getMessage());
      case CustomerKeyException x ->
          switch (x.reason()) {
            case MISMATCH -> new S3Exception(S3Error.ACCESS_DENIED, x.getMessage());
            case REQUIRED, NOT_APPLICABLE ->
                new S3Exception(S3Error.INVALID_REQUEST, x.getMessage());
          };
      case KmsKeyException x -> new S3Exception(kmsError(x.reason()), x.getMessage());
      case SealedException x -> new S3Exception(S3Error.SERVICE_UNAVAILABLE, x.getMessage());
      case AuditUnavailableException x ->
          new S3Exception(S3Error.SERVICE_UNAVAILABLE, x.getMessage());
      // Full volumes (under their reserve, or read-only): SlowDown, which every SDK and the
      // aws-cli retry with back-off, rather than 507, which S3 clients do not know and give up on.
      case PlacementRefusedException x when x.reason() == PlacementRefusedException.Reason.FULL ->
          new S3Exception(S3Error.SLOW_DOWN, x.getMessage())
              .header("Retry-After", Integer.toString(FULL_RETRY_AFTER_SECONDS));
      // A client retries a 503: only a passing shortage is one; a configuration that never fits is
      // a 409.
      case PlacementRefusedException x ->
          new S3Exception(
              x.reason() == PlacementRefusedException.Reason.UNKNOWN_CLASS
                  ? S3Error.INVALID_SENSITIVITY_CLASS
                  : x.permanent() ? S3Error.PLACEMENT_REFUSED : S3Error.PLACEMENT_NOT_SATISFIABLE,
              x.getMessage());
      case InvalidPartNumberException x ->
          // s3-tests expects 400 InvalidPart here (GetObject with partNumber beyond the parts).
          new S3Exception(S3Error.INVALID_PART, x.getMessage())
              .with("PartsCount", Integer.toString(x.partsCount()));
      case NoSuchVersionException x ->
          new S3Exception(S3Error.NO_SUCH_VERSION)
              .with("Key", x.key())
              .with("VersionId", x.versionId());
      case DeleteMarkerException x ->
          new S3Exception(x.addressed() ? S3Error.METHOD_NOT_ALLOWED : S3Error.NO_SUCH_KEY)
              .with("Key", x.key())
              .header("x-amz-delete-marker", "true")
              .header("x-amz-version-id", x.versionId());
      case ObjectLockException x ->
          new S3Exception(
              switch (x.reason()) {
                case LOCKED -> S3Error.ACCESS_DENIED;
                case INVALID_BUCKET_STATE -> S3Error.INVALID_BUCKET_STATE;
                case NOT_ENABLED -> S3Error.INVALID_REQUEST;
                case NO_CONFIGURATION -> S3Error.OBJECT_LOCK_CONFIGURATION_NOT_FOUND;
              },
              x.getMessage());
      case AclException x ->
          new S3Exception(
              switch (x.reason()) {
                case NOT_SUPPORTED -> S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED;
                case BUCKET_ACL_WITH_OWNERSHIP -> S3Error.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP;
                case PUBLIC_ACCESS_BLOCKED -> S3Error.ACCESS_DENIED;
                case CLASS_FORBIDS_PUBLIC -> S3Error.INVALID_REQUEST;
                case NO_OWNERSHIP_CONTROLS -> S3Error.OWNERSHIP_CONTROLS_NOT_FOUND;
                case NO_PUBLIC_ACCESS_BLOCK -> S3Error.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION;
              },
              x.getMessage());
      // Share links are served by the console only; S3 never raises this.
      case ShareLinkException x -> new S3Exception(S3Error.ACCESS_DENIED);
    };
  }

  /** The S3 (KMS) error of a key in a state that refuses the request. */
  public static S3Error kmsError(KmsKeyException.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> S3Error.KMS_NOT_FOUND;
      case DISABLED -> S3Error.KMS_DISABLED;
      case PENDING_DELETION, DESTROYED -> S3Error.KMS_INVALID_STATE;
    };
  }
}
