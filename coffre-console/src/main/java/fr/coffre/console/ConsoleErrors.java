package fr.coffre.console;

import fr.coffre.core.CoffreException;
import fr.coffre.core.ShareLinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one table from the domain's failures to the console's JSON errors. */
final class ConsoleErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleErrors.class);

  private ConsoleErrors() {}

  static Reply of(CoffreException e) {
    return switch (e) {
      case fr.coffre.core.NoSuchBucketException x -> Reply.error(404, "NoSuchBucket", "no such bucket");
      case fr.coffre.core.NoSuchKeyException x -> Reply.error(404, "NoSuchKey", "no such object");
      case fr.coffre.core.BucketAlreadyOwnedException x ->
          Reply.error(409, "BucketAlreadyExists", "that bucket name is taken");
      case fr.coffre.core.BucketNotEmptyException x ->
          Reply.error(409, "BucketNotEmpty", "the bucket is not empty");
      case fr.coffre.core.InvalidBucketNameException x -> Reply.error(400, "InvalidBucketName", x.getMessage());
      case fr.coffre.core.KeyTooLongException x -> Reply.error(400, "KeyTooLong", x.getMessage());
      case fr.coffre.core.InvalidArgumentException x -> Reply.error(400, "InvalidArgument", x.getMessage());
      case fr.coffre.core.InvalidRangeException x -> Reply.error(416, "InvalidRange", x.getMessage());
      case fr.coffre.core.PreconditionFailedException x -> Reply.error(412, "PreconditionFailed", x.getMessage());
      case fr.coffre.core.NotModifiedException x -> Reply.error(412, "PreconditionFailed", "not modified");
      case fr.coffre.core.BadDigestException x -> Reply.error(400, "BadDigest", x.getMessage());
      case fr.coffre.core.EntityTooLargeException x -> Reply.error(413, "EntityTooLarge", x.getMessage());
      case fr.coffre.core.NoSuchUploadException x -> Reply.error(404, "NoSuchUpload", x.getMessage());
      case fr.coffre.core.InvalidPartException x -> Reply.error(400, "InvalidPart", x.getMessage());
      case fr.coffre.core.InvalidPartNumberException x -> Reply.error(400, "InvalidPart", x.getMessage());
      case fr.coffre.core.CustomerKeyException x ->
          Reply.error(400, "CustomerKeyRequired", "this object is encrypted with a customer key (SSE-C);"
              + " use an S3 client that sends it");
      case fr.coffre.core.KmsKeyException x -> Reply.error(409, "KmsKey" + switch (x.reason()) {
        case NOT_FOUND -> "NotFound";
        case DISABLED -> "Disabled";
        case PENDING_DELETION -> "PendingDeletion";
        case DESTROYED -> "Destroyed";
      }, x.getMessage());
      case fr.coffre.core.IdentityException x -> Reply.error(400, "InvalidArgument", x.getMessage());
      case fr.coffre.core.QuotaExceededException x -> Reply.error(403, "QuotaExceeded", x.getMessage());
      case fr.coffre.core.AccessDeniedException x -> Reply.error(403, "AccessDenied", "access denied");
      case fr.coffre.core.MalformedPolicyException x -> Reply.error(400, "MalformedPolicy", x.getMessage());
      case fr.coffre.core.SealedException x -> Reply.error(503, "Sealed", x.getMessage());
      case fr.coffre.core.AuditUnavailableException x -> Reply.error(503, "ServiceUnavailable", x.getMessage());
      case fr.coffre.core.PlacementRefusedException x -> x.reason()
          == fr.coffre.core.PlacementRefusedException.Reason.UNKNOWN_CLASS
              ? Reply.error(400, "InvalidSensitivityClass", x.getMessage())
              : Reply.error(503, "PlacementNotSatisfiable", x.getMessage());
      case ShareLinkException x -> switch (x.reason()) {
        case NOT_FOUND -> Reply.error(404, "NoSuchShare", x.getMessage());
        case REVOKED -> Reply.error(410, "ShareRevoked", x.getMessage());
        case EXPIRED -> Reply.error(410, "ShareExpired", x.getMessage());
        case USED_UP -> Reply.error(410, "ShareUsedUp", x.getMessage());
        case OBJECT_CHANGED -> Reply.error(410, "ShareObjectChanged", x.getMessage());
        case PASSWORD_REQUIRED -> Reply.error(403, "PasswordRequired", x.getMessage());
        case WRONG_PASSWORD -> Reply.error(403, "WrongPassword", x.getMessage());
        case LOCKED -> Reply.error(429, "TooManyAttempts", x.getMessage());
      };
      case fr.coffre.core.CorruptDataException x -> internal(x);
      case fr.coffre.core.StorageFailureException x -> internal(x);
    };
  }

  private static Reply internal(CoffreException e) {
    LOG.error("console: server failure", e);
    return Reply.error(500, "InternalError", "internal error; see the server log");
  }
}
