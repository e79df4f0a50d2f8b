package fr.coffre.s3;

/** The one table of S3 error codes Coffre answers with, each with its HTTP status. */
public enum S3Error {
  QUOTA_EXCEEDED("QuotaExceeded", 403, "The bucket or its tenant has reached its quota."),
  NO_SUCH_BUCKET_POLICY("NoSuchBucketPolicy", 404, "The bucket policy does not exist"),
  ACCESS_DENIED("AccessDenied", 403, "Access Denied"),
  ACCESS_FORBIDDEN(
      "AccessForbidden",
      403,
      "CORSResponse: the bucket's CORS configuration does not allow this origin, method or these headers."),
  AUTHORIZATION_HEADER_MALFORMED(
      "AuthorizationHeaderMalformed", 400, "The authorization header is malformed"),
  AUTHORIZATION_QUERY_PARAMETERS_ERROR(
      "AuthorizationQueryParametersError", 400, "Error parsing the X-Amz-Credential parameter"),
  BAD_REQUEST("BadRequest", 400, "Bad Request"),
  BAD_DIGEST(
      "BadDigest",
      400,
      "The Content-MD5 or checksum you specified did not match what was received."),
  BUCKET_ALREADY_EXISTS("BucketAlreadyExists", 409, "The requested bucket name is not available."),
  BUCKET_ALREADY_OWNED_BY_YOU(
      "BucketAlreadyOwnedByYou",
      409,
      "Your previous request to create the named bucket succeeded and you already own it."),
  BUCKET_NOT_EMPTY("BucketNotEmpty", 409, "The bucket you tried to delete is not empty"),
  ENTITY_TOO_LARGE(
      "EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size."),
  ENTITY_TOO_SMALL(
      "EntityTooSmall",
      400,
      "Your proposed upload is smaller than the minimum allowed object size."),
  EXPIRED_TOKEN("ExpiredToken", 400, "The provided token has expired."),
  ILLEGAL_LOCATION_CONSTRAINT(
      "IllegalLocationConstraintException", 400, "The specified location constraint is not valid."),
  INCOMPLETE_BODY(
      "IncompleteBody",
      400,
      "You did not provide the number of bytes specified by the Content-Length HTTP header."),
  INTERNAL_ERROR("InternalError", 500, "We encountered an internal error. Please try again."),
  INVALID_ACCESS_KEY_ID(
      "InvalidAccessKeyId",
      403,
      "The AWS Access Key Id you provided does not exist in our records."),
  INVALID_ARGUMENT("InvalidArgument", 400, "Invalid Argument"),
  INVALID_BUCKET_NAME("InvalidBucketName", 400, "The specified bucket is not valid."),
  INVALID_DIGEST("InvalidDigest", 400, "The Content-MD5 you specified is not valid."),
  INVALID_LOCATION_CONSTRAINT(
      "InvalidLocationConstraint", 400, "The specified location constraint is not valid."),
  INVALID_TOKEN("InvalidToken", 400, "The provided token is malformed or otherwise invalid."),
  INVALID_PART("InvalidPart", 400, "One or more of the specified parts could not be found."),
  INVALID_PART_ORDER("InvalidPartOrder", 400, "The list of parts was not in ascending order."),
  INVALID_POLICY_DOCUMENT(
      "InvalidPolicyDocument",
      400,
      "The content of the form does not meet the conditions specified in the policy document."),
  INVALID_TARGET_BUCKET_FOR_LOGGING(
      "InvalidTargetBucketForLogging",
      400,
      "The target bucket for logging does not exist, or is not owned by the same tenant."),
  INVALID_RANGE("InvalidRange", 416, "The requested range is not satisfiable"),
  INVALID_REQUEST("InvalidRequest", 400, "Invalid Request"),
  KMS_DISABLED("KMS.DisabledException", 400, "The KMS key is disabled."),
  KMS_INVALID_STATE(
      "KMS.KMSInvalidStateException",
      400,
      "The state of the KMS key is not valid for this request."),
  KMS_NOT_FOUND("KMS.NotFoundException", 400, "The KMS key does not exist."),
  INVALID_STORAGE_CLASS("InvalidStorageClass", 400, "The storage class you specified is not valid"),
  INVALID_TAG("InvalidTag", 400, "The tag provided was not a valid tag."),
  INVALID_URI("InvalidURI", 400, "Couldn't parse the specified URI."),
  KEY_TOO_LONG("KeyTooLongError", 400, "Your key is too long"),
  MALFORMED_POLICY(
      "MalformedPolicy", 400, "Policies must be valid JSON and the first byte must be '{'"),
  MALFORMED_XML(
      "MalformedXML",
      400,
      "The XML you provided was not well-formed or did not validate against our published schema."),
  MALFORMED_POST_REQUEST(
      "MalformedPOSTRequest",
      400,
      "The body of your POST request is not well-formed multipart/form-data."),
  MAX_POST_PRE_DATA_LENGTH_EXCEEDED(
      "MaxPostPreDataLengthExceededError",
      400,
      "Your POST request fields preceding the upload file were too large."),
  METADATA_TOO_LARGE(
      "MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size."),
  METHOD_NOT_ALLOWED(
      "MethodNotAllowed", 405, "The specified method is not allowed against this resource."),
  MISSING_CONTENT_LENGTH(
      "MissingContentLength", 411, "You must provide the Content-Length HTTP header."),
  MISSING_SECURITY_HEADER(
      "MissingSecurityHeader", 400, "Your request is missing a required header."),
  NO_SUCH_BUCKET("NoSuchBucket", 404, "The specified bucket does not exist"),
  NO_SUCH_KEY("NoSuchKey", 404, "The specified key does not exist."),
  NO_SUCH_VERSION("NoSuchVersion", 404, "The specified version does not exist."),
  NO_SUCH_OBJECT_LOCK_CONFIGURATION(
      "NoSuchObjectLockConfiguration",
      404,
      "The specified object does not have a ObjectLock configuration"),
  INVALID_RETENTION_PERIOD(
      "InvalidRetentionPeriod", 400, "The retention period must be a positive integer."),
  INVALID_BUCKET_STATE(
      "InvalidBucketState", 409, "The request is not valid with the current state of the bucket."),
  UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS(
      "UnresolvableGrantByEmailAddress",
      400,
      "The e-mail address you provided does not match any account on record."),
  ACCESS_CONTROL_LIST_NOT_SUPPORTED(
      "AccessControlListNotSupported", 400, "The bucket does not allow ACLs"),
  INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP(
      "InvalidBucketAclWithObjectOwnership",
      400,
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"),
  OWNERSHIP_CONTROLS_NOT_FOUND(
      "OwnershipControlsNotFoundError", 404, "The bucket ownership controls were not found"),
  NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION(
      "NoSuchPublicAccessBlockConfiguration",
      404,
      "The public access block configuration was not found"),
  OBJECT_LOCK_CONFIGURATION_NOT_FOUND(
      "ObjectLockConfigurationNotFoundError",
      404,
      "Object Lock configuration does not exist for this bucket"),
  NO_SUCH_CORS_CONFIGURATION(
      "NoSuchCORSConfiguration", 404, "The CORS configuration does not exist"),
  NO_SUCH_LIFECYCLE_CONFIGURATION(
      "NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist"),
  NO_SUCH_TAG_SET("NoSuchTagSet", 404, "The TagSet does not exist"),
  NO_SUCH_UPLOAD("NoSuchUpload", 404, "The specified upload does not exist."),
  NOT_IMPLEMENTED(
      "NotImplemented",
      501,
      "A header or query you provided implies functionality that is not implemented."),
  NOT_MODIFIED("NotModified", 304, "Not Modified"),
  PRECONDITION_FAILED(
      "PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold"),
  REQUEST_TIME_TOO_SKEWED(
      "RequestTimeTooSkewed",
      403,
      "The difference between the request time and the server's time is too large."),
  REQUEST_TIMEOUT(
      "RequestTimeout",
      400,
      "Your socket connection to the server was not read from or written to within the timeout period."),
  SIGNATURE_DOES_NOT_MATCH(
      "SignatureDoesNotMatch",
      403,
      "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
  SERVICE_UNAVAILABLE("ServiceUnavailable", 503, "Please reduce your request rate."),
  /** S3's throttling answer, which every SDK and the aws-cli retry with back-off. */
  SLOW_DOWN("SlowDown", 503, "Please reduce your request rate."),
  /** Coffre's own: the bucket's sensitivity class cannot be satisfied by the volumes available. */
  PLACEMENT_NOT_SATISFIABLE(
      "PlacementNotSatisfiable", 503, "The bucket's sensitivity class cannot be satisfied."),
  /**
   * The same refusal when it is permanent (configuration): not a 503, so clients do not retry it.
   */
  PLACEMENT_REFUSED(
      "PlacementNotSatisfiable",
      409,
      "The bucket's sensitivity class cannot be satisfied by this server's configuration."),
  /** Coffre's own: CreateBucket named a sensitivity class this server does not define. */
  INVALID_SENSITIVITY_CLASS("InvalidSensitivityClass", 400, "No such sensitivity class."),
  X_AMZ_CONTENT_SHA256_MISMATCH(
      "XAmzContentSHA256Mismatch",
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.");

  private final String code;
  private final int status;
  private final String defaultMessage;

  S3Error(String code, int status, String defaultMessage) {
    this.code = code;
    this.status = status;
    this.defaultMessage = defaultMessage;
  }

  /** The literal error code sent in the XML body, e.g. {@code NoSuchKey}. */
  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public String defaultMessage() {
    return defaultMessage;
  }
}
