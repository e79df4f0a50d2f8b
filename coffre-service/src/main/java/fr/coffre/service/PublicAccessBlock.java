package fr.coffre.service;

/**
 * A bucket's or a tenant's Block Public Access setting, with S3's meaning of each flag.
 *
 * @param blockPublicAcls refuse setting an ACL that grants AllUsers or AuthenticatedUsers (on the
 *     bucket, its objects, and with writes that carry one); ACLs already public stay
 * @param ignorePublicAcls grants to AllUsers and AuthenticatedUsers allow nothing
 * @param blockPublicPolicy refuse a bucket policy that allows everyone
 * @param restrictPublicBuckets while the bucket policy is public, it allows only callers of the
 *     bucket owner's tenant
 */
public record PublicAccessBlock(
    boolean blockPublicAcls,
    boolean ignorePublicAcls,
    boolean blockPublicPolicy,
    boolean restrictPublicBuckets) {
  /** No block: the behaviour of a bucket without the setting. */
  public static final PublicAccessBlock NONE = new PublicAccessBlock(false, false, false, false);

  /** Every block on. */
  public static final PublicAccessBlock ALL = new PublicAccessBlock(true, true, true, true);

  /** Each flag on where this block or {@code other} sets it (a bucket's and its tenant's). */
  public PublicAccessBlock or(PublicAccessBlock other) {
    return new PublicAccessBlock(
        blockPublicAcls || other.blockPublicAcls,
        ignorePublicAcls || other.ignorePublicAcls,
        blockPublicPolicy || other.blockPublicPolicy,
        restrictPublicBuckets || other.restrictPublicBuckets);
  }

  /** The text it is stored as: four flags, 0 or 1, in the order of the components. */
  String text() {
    return bit(blockPublicAcls)
        + bit(ignorePublicAcls)
        + bit(blockPublicPolicy)
        + bit(restrictPublicBuckets);
  }

  static PublicAccessBlock parse(String text) {
    if (!text.matches("[01]{4}")) {
      throw new IllegalArgumentException("not a stored public access block: " + text);
    }
    return new PublicAccessBlock(
        text.charAt(0) == '1', text.charAt(1) == '1', text.charAt(2) == '1', text.charAt(3) == '1');
  }

  private static String bit(boolean b) {
    return b ? "1" : "0";
  }
}
