package fr.coffre.web;

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

/**
 * The one table from the domain's failures to the JSON errors of the browser-facing edges (the
 * admin API and the consoles): an exhaustive switch over the sealed {@link CoffreException} family,
 * so that a new failure does not compile until it has its answer here, rather than becoming a 500.
 * Codes follow the names clients already know: S3's where S3 has one, the admin API's documented
 * ones otherwise (docs/admin-api.md, "Domain errors").
 *
 * @param status the HTTP status
 * @param code the {@code error} of the JSON body
 * @param messageIsSafe whether the exception's message may be shown to the caller; when not, the
 *     caller gets a fixed text and the details stay in the server log
 */
public record ErrorMapping(int status, String code, boolean messageIsSafe) {

  /** The answer to {@code e}. */
  public static ErrorMapping of(CoffreException e) {
    return switch (e) {
      case NoSuchBucketException x -> shown(404, "NoSuchBucket");
      case NoSuchKeyException x -> shown(404, "NoSuchKey");
      case NoSuchUploadException x -> shown(404, "NoSuchUpload");
      case BucketAlreadyOwnedException x -> shown(409, "BucketAlreadyExists");
      case BucketNotEmptyException x -> shown(409, "BucketNotEmpty");
      case InvalidBucketNameException x -> shown(400, "InvalidBucketName");
      case KeyTooLongException x -> shown(400, "KeyTooLong");
      case InvalidArgumentException x -> shown(400, "InvalidArgument");
      case InvalidRangeException x -> shown(416, "InvalidRange");
      case PreconditionFailedException x -> shown(412, "PreconditionFailed");
      // A JSON answer cannot be a bodiless 304: the condition simply did not hold.
      case NotModifiedException x -> shown(412, "PreconditionFailed");
      case BadDigestException x -> shown(400, "BadDigest");
      case EntityTooLargeException x -> shown(413, "EntityTooLarge");
      case InvalidPartException x -> shown(400, "InvalidPart");
      case InvalidPartNumberException x -> shown(400, "InvalidPart");
      case CustomerKeyException x -> shown(400, "CustomerKeyRequired");
      case KmsKeyException x ->
          switch (x.reason()) {
            case NOT_FOUND -> shown(404, "KeyNotFound");
            case DISABLED -> shown(409, "KeyDisabled");
            case PENDING_DELETION -> shown(409, "KeyPendingDeletion");
            case DESTROYED -> shown(409, "KeyDestroyed");
          };
      case IdentityException x ->
          switch (x.reason()) {
            case NO_SUCH_TENANT -> shown(404, "NoSuchTenant");
            case NO_SUCH_USER -> shown(404, "NoSuchUser");
            case NO_SUCH_ACCESS_KEY -> shown(404, "NoSuchAccessKey");
            case NO_SUCH_POLICY -> shown(404, "NoSuchPolicy");
            case TENANT_EXISTS -> shown(409, "TenantExists");
            case USER_EXISTS -> shown(409, "UserExists");
            case TENANT_NOT_EMPTY -> shown(409, "TenantNotEmpty");
            case LIMIT_EXCEEDED -> shown(409, "LimitExceeded");
            case NO_SUCH_ROLE -> shown(404, "NoSuchRole");
            case ROLE_EXISTS -> shown(409, "RoleExists");
            case NO_SUCH_GROUP -> shown(404, "NoSuchGroup");
            case GROUP_EXISTS -> shown(409, "GroupExists");
            case POLICY_EXISTS -> shown(409, "PolicyExists");
            case EXPIRED_TOKEN -> shown(400, "ExpiredToken");
            case INVALID_TOKEN -> shown(400, "InvalidToken");
            case INVALID_IDENTITY_TOKEN -> shown(400, "InvalidIdentityToken");
          };
      case QuotaExceededException x -> shown(403, "QuotaExceeded");
      // As in S3: which policy refused, or whether the resource exists, is not the caller's to
      // learn.
      case AccessDeniedException x -> withheld(403, "AccessDenied");
      case MalformedPolicyException x -> shown(400, "MalformedPolicy");
      case SealedException x -> shown(503, "Sealed");
      case AuditUnavailableException x -> shown(503, "AuditUnavailable");
      case PlacementRefusedException x ->
          switch (x.reason()) {
            case UNKNOWN_CLASS -> shown(400, "InvalidSensitivityClass");
            case KEY_MODE -> shown(409, "KeyModeRefused");
            case DATA_OUT_OF_CLASS -> shown(409, "ReclassificationRefused");
            // A passing shortage (space, a volume offline) may be retried: unavailable, as S3
            // answers it.
            case UNSATISFIABLE -> shown(503, "PlacementNotSatisfiable");
            // Volumes under their free-space reserve or read-only: a person reads this, not an SDK
            // that would retry a 503, so the precise status.
            case FULL -> shown(507, "InsufficientStorage");
            // A configuration that can never place the class: retrying cannot help.
            case NEVER_SATISFIABLE -> shown(409, "PlacementNotSatisfiable");
          };
      case ShareLinkException x ->
          switch (x.reason()) {
            case NOT_FOUND -> shown(404, "NoSuchShare");
            case REVOKED -> shown(410, "ShareRevoked");
            case EXPIRED -> shown(410, "ShareExpired");
            case USED_UP -> shown(410, "ShareUsedUp");
            case OBJECT_CHANGED -> shown(410, "ShareObjectChanged");
            case PASSWORD_REQUIRED -> shown(403, "PasswordRequired");
            case WRONG_PASSWORD -> shown(403, "WrongPassword");
            case LOCKED -> shown(429, "TooManyAttempts");
          };
      case NoSuchVersionException x -> shown(404, "NoSuchVersion");
      case DeleteMarkerException x ->
          x.addressed() ? shown(405, "MethodNotAllowed") : shown(404, "NoSuchKey");
      case ObjectLockException x ->
          switch (x.reason()) {
            case LOCKED -> shown(403, "ObjectLocked");
            case INVALID_BUCKET_STATE -> shown(409, "InvalidBucketState");
            case NOT_ENABLED -> shown(400, "ObjectLockNotEnabled");
            case NO_CONFIGURATION -> shown(404, "ObjectLockConfigurationNotFoundError");
          };
      case AclException x ->
          switch (x.reason()) {
            case NOT_SUPPORTED -> shown(400, "AccessControlListNotSupported");
            case BUCKET_ACL_WITH_OWNERSHIP -> shown(400, "InvalidBucketAclWithObjectOwnership");
            case PUBLIC_ACCESS_BLOCKED -> shown(403, "AccessDenied");
            case CLASS_FORBIDS_PUBLIC -> shown(400, "InvalidRequest");
            case NO_OWNERSHIP_CONTROLS -> shown(404, "OwnershipControlsNotFoundError");
            case NO_PUBLIC_ACCESS_BLOCK -> shown(404, "NoSuchPublicAccessBlockConfiguration");
          };
      case GovernanceException x ->
          switch (x.reason()) {
            case TENANT_CONSENT_REQUIRED -> shown(403, "TenantConsentRequired");
            case NOT_TENANT_ADMIN -> shown(403, "NotTenantAdmin");
            case ENROLMENT_REFUSED -> shown(403, "EnrolmentRefused");
            case ALREADY_ENROLLED -> shown(409, "AlreadyEnrolled");
            case NO_SUCH_WINDOW -> shown(404, "NoSuchSupportWindow");
            case NO_SUCH_OPERATOR -> shown(404, "NoSuchOperator");
            case OPERATOR_EXISTS -> shown(409, "OperatorExists");
            case ROLE_REFUSED -> shown(403, "RoleRefused");
            case DUTIES_CONFLICT -> shown(409, "SeparationOfDuties");
            case NO_SUCH_PROPOSAL -> shown(404, "NoSuchProposal");
            case PROPOSAL_REFUSED -> shown(409, "ProposalRefused");
            case WEAK_PASSWORD -> shown(400, "WeakPassword");
          };
      case CorruptDataException x -> withheld(500, "InternalError");
      case StorageFailureException x -> withheld(503, "ServiceUnavailable");
    };
  }

  private static ErrorMapping shown(int status, String code) {
    return new ErrorMapping(status, code, true);
  }

  private static ErrorMapping withheld(int status, String code) {
    return new ErrorMapping(status, code, false);
  }
}
