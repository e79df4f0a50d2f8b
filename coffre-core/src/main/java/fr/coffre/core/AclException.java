package fr.coffre.core;

/**
 * An access control list, an Object Ownership setting or a Block Public Access setting refused a
 * request, or one of them is not configured.
 */
public final class AclException extends CoffreException {
  /** Why. */
  public enum Reason {
    /** The bucket's Object Ownership is BucketOwnerEnforced: ACLs are disabled (400). */
    NOT_SUPPORTED,
    /** BucketOwnerEnforced asked while the bucket's ACL grants more than its owner (400). */
    BUCKET_ACL_WITH_OWNERSHIP,
    /**
     * Block Public Access (BlockPublicAcls, BlockPublicPolicy) refuses what would be public (403).
     */
    PUBLIC_ACCESS_BLOCKED,
    /** The bucket's sensitivity class forbids public access (400 InvalidRequest, naming it). */
    CLASS_FORBIDS_PUBLIC,
    /** The bucket has no Object Ownership setting (404). */
    NO_OWNERSHIP_CONTROLS,
    /** The bucket has no Block Public Access setting (404). */
    NO_PUBLIC_ACCESS_BLOCK
  }

  private final Reason reason;

  public AclException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
