package fr.coffre.s3;

/**
 * The S3 actions Coffre routes, named as in the AWS API reference, each with the IAM action that
 * policies grant it by (as the AWS "actions, resources and condition keys" table lists them).
 */
public enum S3Operation {
  LIST_BUCKETS("ListBuckets", "s3:ListAllMyBuckets", Scope.SERVICE),
  /** Coffre's own: the caller's tenant's audit trail, with its proofs (docs/audit-format.md). */
  EXPORT_AUDIT_TRAIL("ExportAuditTrail", "coffre:ExportAuditTrail", Scope.SERVICE),
  CREATE_BUCKET("CreateBucket", "s3:CreateBucket", Scope.BUCKET),
  HEAD_BUCKET("HeadBucket", "s3:ListBucket", Scope.BUCKET),
  DELETE_BUCKET("DeleteBucket", "s3:DeleteBucket", Scope.BUCKET),
  GET_BUCKET_LOCATION("GetBucketLocation", "s3:GetBucketLocation", Scope.BUCKET),
  LIST_OBJECTS("ListObjects", "s3:ListBucket", Scope.BUCKET),
  LIST_OBJECTS_V2("ListObjectsV2", "s3:ListBucket", Scope.BUCKET),
  PUT_OBJECT("PutObject", "s3:PutObject", Scope.OBJECT),
  /** Also needs s3:GetObject on the source, checked separately. */
  COPY_OBJECT("CopyObject", "s3:PutObject", Scope.OBJECT),
  GET_OBJECT("GetObject", "s3:GetObject", Scope.OBJECT),
  HEAD_OBJECT("HeadObject", "s3:GetObject", Scope.OBJECT),
  DELETE_OBJECT("DeleteObject", "s3:DeleteObject", Scope.OBJECT),
  /** Authorized key by key (s3:DeleteObject on each) by its handler. */
  DELETE_OBJECTS("DeleteObjects", "s3:DeleteObject", Scope.PER_KEY),
  CREATE_MULTIPART_UPLOAD("CreateMultipartUpload", "s3:PutObject", Scope.OBJECT),
  UPLOAD_PART("UploadPart", "s3:PutObject", Scope.OBJECT),
  /** Also needs s3:GetObject on the source, checked separately. */
  UPLOAD_PART_COPY("UploadPartCopy", "s3:PutObject", Scope.OBJECT),
  COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload", "s3:PutObject", Scope.OBJECT),
  ABORT_MULTIPART_UPLOAD("AbortMultipartUpload", "s3:AbortMultipartUpload", Scope.OBJECT),
  LIST_PARTS("ListParts", "s3:ListMultipartUploadParts", Scope.OBJECT),
  LIST_MULTIPART_UPLOADS("ListMultipartUploads", "s3:ListBucketMultipartUploads", Scope.BUCKET),
  GET_OBJECT_ATTRIBUTES("GetObjectAttributes", "s3:GetObjectAttributes", Scope.OBJECT),
  LIST_OBJECT_VERSIONS("ListObjectVersions", "s3:ListBucketVersions", Scope.BUCKET),
  /** Its form carries its own signature; authorized by its handler once the form is read. */
  POST_OBJECT("PostObject", "s3:PutObject", Scope.PER_KEY),
  GET_OBJECT_TAGGING("GetObjectTagging", "s3:GetObjectTagging", Scope.OBJECT),
  PUT_OBJECT_TAGGING("PutObjectTagging", "s3:PutObjectTagging", Scope.OBJECT),
  DELETE_OBJECT_TAGGING("DeleteObjectTagging", "s3:DeleteObjectTagging", Scope.OBJECT),
  GET_BUCKET_TAGGING("GetBucketTagging", "s3:GetBucketTagging", Scope.BUCKET),
  PUT_BUCKET_TAGGING("PutBucketTagging", "s3:PutBucketTagging", Scope.BUCKET),
  DELETE_BUCKET_TAGGING("DeleteBucketTagging", "s3:PutBucketTagging", Scope.BUCKET),
  GET_BUCKET_CORS("GetBucketCors", "s3:GetBucketCORS", Scope.BUCKET),
  PUT_BUCKET_CORS("PutBucketCors", "s3:PutBucketCORS", Scope.BUCKET),
  DELETE_BUCKET_CORS("DeleteBucketCors", "s3:PutBucketCORS", Scope.BUCKET),
  GET_BUCKET_LOGGING("GetBucketLogging", "s3:GetBucketLogging", Scope.BUCKET),
  PUT_BUCKET_LOGGING("PutBucketLogging", "s3:PutBucketLogging", Scope.BUCKET),
  GET_BUCKET_NOTIFICATION(
      "GetBucketNotificationConfiguration", "s3:GetBucketNotification", Scope.BUCKET),
  PUT_BUCKET_NOTIFICATION(
      "PutBucketNotificationConfiguration", "s3:PutBucketNotification", Scope.BUCKET),
  /**
   * A browser's CORS preflight (OPTIONS): answered from the bucket's CORS rules, unauthenticated.
   */
  PREFLIGHT("OPTIONS", null, Scope.NONE),
  GET_BUCKET_ACL("GetBucketAcl", "s3:GetBucketAcl", Scope.BUCKET),
  PUT_BUCKET_ACL("PutBucketAcl", "s3:PutBucketAcl", Scope.BUCKET),
  GET_OBJECT_ACL("GetObjectAcl", "s3:GetObjectAcl", Scope.OBJECT),
  PUT_OBJECT_ACL("PutObjectAcl", "s3:PutObjectAcl", Scope.OBJECT),
  GET_BUCKET_OWNERSHIP_CONTROLS(
      "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", Scope.BUCKET),
  PUT_BUCKET_OWNERSHIP_CONTROLS(
      "PutBucketOwnershipControls", "s3:PutBucketOwnershipControls", Scope.BUCKET),
  /** AWS grants it by s3:PutBucketOwnershipControls, as the reference table says. */
  DELETE_BUCKET_OWNERSHIP_CONTROLS(
      "DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls", Scope.BUCKET),
  GET_PUBLIC_ACCESS_BLOCK("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", Scope.BUCKET),
  PUT_PUBLIC_ACCESS_BLOCK("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock", Scope.BUCKET),
  /** AWS grants it by s3:PutBucketPublicAccessBlock, as the reference table says. */
  DELETE_PUBLIC_ACCESS_BLOCK(
      "DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock", Scope.BUCKET),
  /** S3 Control's account-level block: the caller's tenant's, over all its buckets. */
  GET_ACCOUNT_PUBLIC_ACCESS_BLOCK(
      "GetAccountPublicAccessBlock", "s3:GetAccountPublicAccessBlock", Scope.SERVICE),
  PUT_ACCOUNT_PUBLIC_ACCESS_BLOCK(
      "PutAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock", Scope.SERVICE),
  /** AWS grants it by s3:PutAccountPublicAccessBlock. */
  DELETE_ACCOUNT_PUBLIC_ACCESS_BLOCK(
      "DeleteAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock", Scope.SERVICE),
  GET_BUCKET_POLICY_STATUS("GetBucketPolicyStatus", "s3:GetBucketPolicyStatus", Scope.BUCKET),
  GET_BUCKET_VERSIONING("GetBucketVersioning", "s3:GetBucketVersioning", Scope.BUCKET),
  PUT_BUCKET_VERSIONING("PutBucketVersioning", "s3:PutBucketVersioning", Scope.BUCKET),
  GET_BUCKET_ENCRYPTION("GetBucketEncryption", "s3:GetEncryptionConfiguration", Scope.BUCKET),
  PUT_BUCKET_ENCRYPTION("PutBucketEncryption", "s3:PutEncryptionConfiguration", Scope.BUCKET),
  DELETE_BUCKET_ENCRYPTION("DeleteBucketEncryption", "s3:PutEncryptionConfiguration", Scope.BUCKET),
  GET_BUCKET_POLICY("GetBucketPolicy", "s3:GetBucketPolicy", Scope.BUCKET),
  PUT_BUCKET_POLICY("PutBucketPolicy", "s3:PutBucketPolicy", Scope.BUCKET),
  DELETE_BUCKET_POLICY("DeleteBucketPolicy", "s3:DeleteBucketPolicy", Scope.BUCKET),
  GET_BUCKET_LIFECYCLE_CONFIGURATION(
      "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", Scope.BUCKET),
  PUT_BUCKET_LIFECYCLE_CONFIGURATION(
      "PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration", Scope.BUCKET),
  /** AWS grants it by s3:PutLifecycleConfiguration, as the reference table says. */
  DELETE_BUCKET_LIFECYCLE("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration", Scope.BUCKET),
  /** A real S3 action that Coffre does not implement yet: answered with 501 NotImplemented. */
  GET_OBJECT_RETENTION("GetObjectRetention", "s3:GetObjectRetention", Scope.OBJECT),
  PUT_OBJECT_RETENTION("PutObjectRetention", "s3:PutObjectRetention", Scope.OBJECT),
  GET_OBJECT_LEGAL_HOLD("GetObjectLegalHold", "s3:GetObjectLegalHold", Scope.OBJECT),
  PUT_OBJECT_LEGAL_HOLD("PutObjectLegalHold", "s3:PutObjectLegalHold", Scope.OBJECT),
  GET_OBJECT_LOCK_CONFIGURATION(
      "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", Scope.BUCKET),
  PUT_OBJECT_LOCK_CONFIGURATION(
      "PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration", Scope.BUCKET),
  NOT_IMPLEMENTED("NotImplemented", null, Scope.NONE);

  /** Whether it is an S3 Control action (its errors are shaped as S3 Control's). */
  public boolean isAccountControl() {
    return this == GET_ACCOUNT_PUBLIC_ACCESS_BLOCK
        || this == PUT_ACCOUNT_PUBLIC_ACCESS_BLOCK
        || this == DELETE_ACCOUNT_PUBLIC_ACCESS_BLOCK;
  }

  /** What an operation's IAM action applies to, which names the resource a policy must match. */
  public enum Scope {
    /** No resource: {@code arn:aws:s3:::*}. */
    SERVICE,
    /** The bucket: {@code arn:aws:s3:::bucket}. */
    BUCKET,
    /** The object: {@code arn:aws:s3:::bucket/key}. */
    OBJECT,
    /** Authorized by the handler, once it knows each key. */
    PER_KEY,
    /** Not authorized by policies. */
    NONE
  }

  private final String awsName;
  private final String iamAction;
  private final Scope scope;

  S3Operation(String awsName, String iamAction, Scope scope) {
    this.awsName = awsName;
    this.iamAction = iamAction;
    this.scope = scope;
  }

  /** The action's name in the AWS API reference, for logs and metrics. */
  public String awsName() {
    return awsName;
  }

  /** The IAM action policies allow or deny this operation by, or null when none applies. */
  public String iamAction() {
    return iamAction;
  }

  public Scope scope() {
    return scope;
  }
}
