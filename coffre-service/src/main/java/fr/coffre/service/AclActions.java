package fr.coffre.service;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.AccessControlList.Grant;
import fr.coffre.core.AccessControlList.Grantee;
import fr.coffre.core.AccessControlList.Group;
import fr.coffre.core.AccessControlList.Permission;
import fr.coffre.core.CanonicalIds;
import fr.coffre.core.Principal;
import fr.coffre.policy.AclGrant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which ACL permission an IAM action needs (S3's table), and which grants of an ACL reach a caller.
 */
final class AclActions {
  private AclActions() {}

  /** The permission {@code action} needs, or null when ACLs take no part in it. */
  static @Nullable Permission permission(String action, boolean onKey) {
    return switch (action) {
      case "s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads" ->
          Permission.READ;
      // A multipart upload is a write in progress: whoever may write may also list its parts and
      // abort it, as the initiator may on S3 (WRITE already allows overwriting and deleting).
      case "s3:PutObject",
          "s3:DeleteObject",
          "s3:DeleteObjectVersion",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts" ->
          Permission.WRITE;
      case "s3:GetBucketAcl" -> Permission.READ_ACP;
      case "s3:PutBucketAcl" -> Permission.WRITE_ACP;
      case "s3:GetObject", "s3:GetObjectVersion" -> onKey ? Permission.READ : null;
      case "s3:GetObjectAcl", "s3:GetObjectVersionAcl" -> onKey ? Permission.READ_ACP : null;
      case "s3:PutObjectAcl", "s3:PutObjectVersionAcl" -> onKey ? Permission.WRITE_ACP : null;
      default -> null;
    };
  }

  /** Whether the action is judged on the object's ACL (else on the bucket's). */
  static boolean onObject(String action) {
    return switch (action) {
      case "s3:GetObject",
          "s3:GetObjectVersion",
          "s3:GetObjectAcl",
          "s3:GetObjectVersionAcl",
          "s3:PutObjectAcl",
          "s3:PutObjectVersionAcl" ->
          true;
      default -> false;
    };
  }

  /**
   * The grant of {@code acl} that gives {@code caller} {@code wanted}: a direct one (a group, or
   * the caller's own user id) before a delegated one (the caller's tenant). The owner may always
   * read and change the ACL.
   */
  static Optional<AclGrant> match(
      AccessControlList acl, Principal caller, Permission wanted, String what) {
    String account =
        caller.isAnonymous()
            ? null
            : CanonicalIds.ofAccount(Objects.requireNonNull(caller.accountId()));
    String user =
        caller.isAnonymous() || caller.isRoot() || caller.isRoleSession()
            ? null
            : CanonicalIds.ofUser(
                Objects.requireNonNull(caller.accountId()), Objects.requireNonNull(caller.user()));
    AclGrant delegated = null;
    for (Grant g : acl.grants()) {
      if (!g.permission().implies(wanted)) {
        continue;
      }
      Grantee e = g.grantee();
      Group group = e.group();
      if (group == Group.ALL_USERS
          || (group == Group.AUTHENTICATED_USERS && !caller.isAnonymous())) {
        return Optional.of(new AclGrant(label(what, g, group.name()), false));
      }
      if (user != null && user.equals(e.id())) {
        return Optional.of(new AclGrant(label(what, g, "user " + e.displayName()), false));
      }
      if (delegated == null && account != null && account.equals(e.id())) {
        delegated = new AclGrant(label(what, g, "tenant " + e.displayName()), true);
      }
    }
    if (delegated == null
        && account != null
        && account.equals(acl.owner().id())
        && (wanted == Permission.READ_ACP || wanted == Permission.WRITE_ACP)) {
      delegated = new AclGrant(what + " owner " + acl.owner().displayName(), true);
    }
    return Optional.ofNullable(delegated);
  }

  private static String label(String what, Grant g, String to) {
    return what + " grant " + g.permission().name() + " to " + to;
  }
}
