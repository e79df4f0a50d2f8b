package fr.coffre.policy;

/**
 * The condition keys Coffre fills in a {@link RequestContext}, spelled as AWS documents them. Keys
 * are compared without regard to case; the spelling here is only for people reading policies. The
 * caller's own keys ({@link #USERNAME}, {@link #USERID}, {@link #PRINCIPAL_ACCOUNT}, {@link
 * #PRINCIPAL_ARN}, {@link #PRINCIPAL_TYPE}) are derived from the {@link Caller} by RequestContext
 * itself; the S3 layer fills the others from the request.
 */
public final class ConditionKeys {
  /** The client's IP address, IPv4 or IPv6, without a port. */
  public static final String SOURCE_IP = "aws:SourceIp";

  /** The request time as an ISO-8601 instant ({@code 2026-01-31T12:00:00Z}). */
  public static final String CURRENT_TIME = "aws:CurrentTime";

  /** The request time in seconds since the epoch. */
  public static final String EPOCH_TIME = "aws:EpochTime";

  /** "true" when the request came over TLS, "false" otherwise. */
  public static final String SECURE_TRANSPORT = "aws:SecureTransport";

  public static final String USERNAME = "aws:username";
  public static final String USERID = "aws:userid";
  public static final String PRINCIPAL_ACCOUNT = "aws:PrincipalAccount";
  public static final String PRINCIPAL_ARN = "aws:PrincipalArn";
  public static final String PRINCIPAL_TYPE = "aws:PrincipalType";

  /** ListObjects: the prefix parameter, when the request has one. */
  public static final String PREFIX = "s3:prefix";

  public static final String DELIMITER = "s3:delimiter";
  public static final String MAX_KEYS = "s3:max-keys";
  public static final String SSE = "s3:x-amz-server-side-encryption";
  public static final String SSE_KMS_KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";
  public static final String ACL = "s3:x-amz-acl";

  private ConditionKeys() {}

  /**
   * The key that holds the value of an existing object's tag, {@code
   * s3:ExistingObjectTag/<tagKey>}.
   */
  public static String existingObjectTag(String tagKey) {
    return "s3:ExistingObjectTag/" + tagKey;
  }
}
