package fr.coffre.web;

import static org.assertj.core.api.Assertions.assertThat;

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
import fr.coffre.core.ETag;
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
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorMappingTest {

  /**
   * Every domain failure (every reason of those that have one) with the answer the browser edges
   * give.
   */
  static List<Arguments> table() {
    List<Arguments> t = new ArrayList<>();
    t.add(row(new NoSuchBucketException("b"), 404, "NoSuchBucket", true));
    t.add(row(new NoSuchKeyException("k"), 404, "NoSuchKey", true));
    t.add(row(new NoSuchUploadException("u"), 404, "NoSuchUpload", true));
    t.add(row(new BucketAlreadyOwnedException("b", false), 409, "BucketAlreadyExists", true));
    t.add(row(new BucketAlreadyOwnedException("b", true), 409, "BucketAlreadyExists", true));
    t.add(row(new BucketNotEmptyException("b"), 409, "BucketNotEmpty", true));
    t.add(row(new InvalidBucketNameException("B", "upper case"), 400, "InvalidBucketName", true));
    t.add(row(new KeyTooLongException(2000), 400, "KeyTooLong", true));
    t.add(row(new InvalidArgumentException("max must be positive"), 400, "InvalidArgument", true));
    t.add(row(new InvalidRangeException(10), 416, "InvalidRange", true));
    t.add(row(new PreconditionFailedException("If-Match"), 412, "PreconditionFailed", true));
    t.add(
        row(
            new NotModifiedException(new ETag("0123456789abcdef0123456789abcdef")),
            412,
            "PreconditionFailed",
            true));
    t.add(row(new BadDigestException("Content-MD5"), 400, "BadDigest", true));
    t.add(row(new EntityTooLargeException(5), 413, "EntityTooLarge", true));
    for (InvalidPartException.Reason r : InvalidPartException.Reason.values()) {
      t.add(row(new InvalidPartException(r, "part 2"), 400, "InvalidPart", true));
    }
    t.add(row(new InvalidPartNumberException(3, 2), 400, "InvalidPart", true));
    t.add(row(new NoSuchVersionException("k", "v1"), 404, "NoSuchVersion", true));
    t.add(row(new DeleteMarkerException("k", "v1", true), 405, "MethodNotAllowed", true));
    t.add(
        row(
            new ObjectLockException(ObjectLockException.Reason.LOCKED, "retained"),
            403,
            "ObjectLocked",
            true));
    t.add(
        row(
            new ObjectLockException(ObjectLockException.Reason.INVALID_BUCKET_STATE, "locked"),
            409,
            "InvalidBucketState",
            true));
    t.add(
        row(
            new ObjectLockException(ObjectLockException.Reason.NOT_ENABLED, "no lock"),
            400,
            "ObjectLockNotEnabled",
            true));
    t.add(
        row(
            new ObjectLockException(ObjectLockException.Reason.NO_CONFIGURATION, "none"),
            404,
            "ObjectLockConfigurationNotFoundError",
            true));
    t.add(
        row(
            new AclException(AclException.Reason.NOT_SUPPORTED, "enforced"),
            400,
            "AccessControlListNotSupported",
            true));
    t.add(
        row(
            new AclException(AclException.Reason.BUCKET_ACL_WITH_OWNERSHIP, "acl"),
            400,
            "InvalidBucketAclWithObjectOwnership",
            true));
    t.add(
        row(
            new AclException(AclException.Reason.PUBLIC_ACCESS_BLOCKED, "blocked"),
            403,
            "AccessDenied",
            true));
    t.add(
        row(
            new AclException(AclException.Reason.CLASS_FORBIDS_PUBLIC, "health"),
            400,
            "InvalidRequest",
            true));
    t.add(
        row(
            new AclException(AclException.Reason.NO_OWNERSHIP_CONTROLS, "none"),
            404,
            "OwnershipControlsNotFoundError",
            true));
    t.add(
        row(
            new AclException(AclException.Reason.NO_PUBLIC_ACCESS_BLOCK, "none"),
            404,
            "NoSuchPublicAccessBlockConfiguration",
            true));
    for (CustomerKeyException.Reason r : CustomerKeyException.Reason.values()) {
      t.add(row(new CustomerKeyException(r), 400, "CustomerKeyRequired", true));
    }
    t.add(
        row(new KmsKeyException(KmsKeyException.Reason.NOT_FOUND, "k1"), 404, "KeyNotFound", true));
    t.add(
        row(new KmsKeyException(KmsKeyException.Reason.DISABLED, "k1"), 409, "KeyDisabled", true));
    t.add(
        row(
            new KmsKeyException(KmsKeyException.Reason.PENDING_DELETION, "k1"),
            409,
            "KeyPendingDeletion",
            true));
    t.add(
        row(
            new KmsKeyException(KmsKeyException.Reason.DESTROYED, "k1"),
            409,
            "KeyDestroyed",
            true));
    t.add(row(identity(IdentityException.Reason.NO_SUCH_TENANT), 404, "NoSuchTenant", true));
    t.add(row(identity(IdentityException.Reason.NO_SUCH_USER), 404, "NoSuchUser", true));
    t.add(row(identity(IdentityException.Reason.NO_SUCH_ACCESS_KEY), 404, "NoSuchAccessKey", true));
    t.add(row(identity(IdentityException.Reason.NO_SUCH_POLICY), 404, "NoSuchPolicy", true));
    t.add(row(identity(IdentityException.Reason.TENANT_EXISTS), 409, "TenantExists", true));
    t.add(row(identity(IdentityException.Reason.USER_EXISTS), 409, "UserExists", true));
    t.add(row(identity(IdentityException.Reason.TENANT_NOT_EMPTY), 409, "TenantNotEmpty", true));
    t.add(row(identity(IdentityException.Reason.LIMIT_EXCEEDED), 409, "LimitExceeded", true));
    t.add(row(identity(IdentityException.Reason.NO_SUCH_ROLE), 404, "NoSuchRole", true));
    t.add(row(identity(IdentityException.Reason.ROLE_EXISTS), 409, "RoleExists", true));
    t.add(row(identity(IdentityException.Reason.NO_SUCH_GROUP), 404, "NoSuchGroup", true));
    t.add(row(identity(IdentityException.Reason.GROUP_EXISTS), 409, "GroupExists", true));
    t.add(row(identity(IdentityException.Reason.POLICY_EXISTS), 409, "PolicyExists", true));
    t.add(row(identity(IdentityException.Reason.EXPIRED_TOKEN), 400, "ExpiredToken", true));
    t.add(row(identity(IdentityException.Reason.INVALID_TOKEN), 400, "InvalidToken", true));
    t.add(
        row(
            identity(IdentityException.Reason.INVALID_IDENTITY_TOKEN),
            400,
            "InvalidIdentityToken",
            true));
    String[][] governance = {
      {"TENANT_CONSENT_REQUIRED", "403", "TenantConsentRequired"},
      {"NOT_TENANT_ADMIN", "403", "NotTenantAdmin"},
      {"ENROLMENT_REFUSED", "403", "EnrolmentRefused"},
      {"ALREADY_ENROLLED", "409", "AlreadyEnrolled"},
      {"NO_SUCH_WINDOW", "404", "NoSuchSupportWindow"},
      {"NO_SUCH_OPERATOR", "404", "NoSuchOperator"},
      {"OPERATOR_EXISTS", "409", "OperatorExists"},
      {"ROLE_REFUSED", "403", "RoleRefused"},
      {"DUTIES_CONFLICT", "409", "SeparationOfDuties"},
      {"NO_SUCH_PROPOSAL", "404", "NoSuchProposal"},
      {"PROPOSAL_REFUSED", "409", "ProposalRefused"},
      {"WEAK_PASSWORD", "400", "WeakPassword"}
    };
    for (String[] g : governance) {
      t.add(
          row(
              new GovernanceException(GovernanceException.Reason.valueOf(g[0]), "x"),
              Integer.parseInt(g[1]),
              g[2],
              true));
    }
    t.add(row(new QuotaExceededException("tenant quota"), 403, "QuotaExceeded", true));
    t.add(row(new AccessDeniedException("Access Denied"), 403, "AccessDenied", false));
    t.add(row(new MalformedPolicyException("line 1"), 400, "MalformedPolicy", true));
    t.add(row(new SealedException(), 503, "Sealed", true));
    t.add(row(new AuditUnavailableException("disk full"), 503, "AuditUnavailable", true));
    t.add(
        row(
            placement(PlacementRefusedException.Reason.UNKNOWN_CLASS),
            400,
            "InvalidSensitivityClass",
            true));
    t.add(row(placement(PlacementRefusedException.Reason.KEY_MODE), 409, "KeyModeRefused", true));
    t.add(
        row(
            placement(PlacementRefusedException.Reason.DATA_OUT_OF_CLASS),
            409,
            "ReclassificationRefused",
            true));
    t.add(
        row(
            placement(PlacementRefusedException.Reason.UNSATISFIABLE),
            503,
            "PlacementNotSatisfiable",
            true));
    t.add(row(placement(PlacementRefusedException.Reason.FULL), 507, "InsufficientStorage", true));
    t.add(
        row(
            placement(PlacementRefusedException.Reason.NEVER_SATISFIABLE),
            409,
            "PlacementNotSatisfiable",
            true));
    t.add(row(share(ShareLinkException.Reason.NOT_FOUND), 404, "NoSuchShare", true));
    t.add(row(share(ShareLinkException.Reason.REVOKED), 410, "ShareRevoked", true));
    t.add(row(share(ShareLinkException.Reason.EXPIRED), 410, "ShareExpired", true));
    t.add(row(share(ShareLinkException.Reason.USED_UP), 410, "ShareUsedUp", true));
    t.add(row(share(ShareLinkException.Reason.OBJECT_CHANGED), 410, "ShareObjectChanged", true));
    t.add(row(share(ShareLinkException.Reason.PASSWORD_REQUIRED), 403, "PasswordRequired", true));
    t.add(row(share(ShareLinkException.Reason.WRONG_PASSWORD), 403, "WrongPassword", true));
    t.add(row(share(ShareLinkException.Reason.LOCKED), 429, "TooManyAttempts", true));
    t.add(
        row(
            new CorruptDataException("blob /data/v1/ab/cd failed its GCM tag", new IOException()),
            500,
            "InternalError",
            false));
    t.add(
        row(
            new StorageFailureException("jdbc:sqlite:/data/meta.db locked", new IOException()),
            503,
            "ServiceUnavailable",
            false));
    return t;
  }

  @ParameterizedTest(name = "of_{0}_is{1}{2}")
  @MethodSource("table")
  void of_eachDomainFailure_givesItsStatusCodeAndSafety(
      String name, int status, String code, boolean safe, CoffreException e) {
    assertThat(ErrorMapping.of(e)).isEqualTo(new ErrorMapping(status, code, safe));
  }

  @Test
  void table_everyDomainFailureAndReason_hasARow() {
    Set<Class<?>> covered = new HashSet<>();
    Set<Object> reasons = new HashSet<>();
    for (Arguments a : table()) {
      Object e = a.get()[4];
      covered.add(e.getClass());
      for (var m : e.getClass().getMethods()) {
        if (m.getName().equals("reason") && m.getParameterCount() == 0) {
          try {
            reasons.add(m.invoke(e));
          } catch (ReflectiveOperationException x) {
            throw new AssertionError(x);
          }
        }
      }
    }
    assertThat(covered).containsExactlyInAnyOrder(CoffreException.class.getPermittedSubclasses());
    Stream.of(
            KmsKeyException.Reason.class,
            IdentityException.Reason.class,
            PlacementRefusedException.Reason.class,
            ShareLinkException.Reason.class,
            ObjectLockException.Reason.class,
            InvalidPartException.Reason.class,
            CustomerKeyException.Reason.class)
        .flatMap(r -> Arrays.stream(r.getEnumConstants()))
        .forEach(r -> assertThat(reasons).as("a row for " + r).contains(r));
  }

  @Test
  void of_disabledKmsKey_is409KeyDisabledAsTheAdminApiDocuments() {
    assertThat(ErrorMapping.of(new KmsKeyException(KmsKeyException.Reason.DISABLED, "k")))
        .isEqualTo(new ErrorMapping(409, "KeyDisabled", true));
  }

  @Test
  void of_failureOfTheServersInside_withholdsItsMessage() {
    assertThat(ErrorMapping.of(new StorageFailureException("x", new IOException())).messageIsSafe())
        .isFalse();
    assertThat(ErrorMapping.of(new CorruptDataException("x", new IOException())).messageIsSafe())
        .isFalse();
  }

  private static Arguments row(CoffreException e, int status, String code, boolean safe) {
    String name =
        e.getClass().getSimpleName().replace("Exception", "")
            + (reasonOf(e) == null ? "" : "_" + reasonOf(e));
    return Arguments.of(name, status, code, safe, e);
  }

  private static Object reasonOf(CoffreException e) {
    return switch (e) {
      case KmsKeyException x -> x.reason();
      case IdentityException x -> x.reason();
      case PlacementRefusedException x -> x.reason();
      case ShareLinkException x -> x.reason();
      case InvalidPartException x -> x.reason();
      case CustomerKeyException x -> x.reason();
      default -> null;
    };
  }

  private static IdentityException identity(IdentityException.Reason r) {
    return new IdentityException(r, "about " + r);
  }

  private static PlacementRefusedException placement(PlacementRefusedException.Reason r) {
    return new PlacementRefusedException(r, "class health: " + r);
  }

  private static ShareLinkException share(ShareLinkException.Reason r) {
    return new ShareLinkException(r, "link: " + r);
  }
}
