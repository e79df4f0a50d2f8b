package fr.coffre.s3;

/** The S3 actions Coffre routes, named as in the AWS API reference. */
public enum S3Operation {
  LIST_BUCKETS("ListBuckets"),
  CREATE_BUCKET("CreateBucket"),
  HEAD_BUCKET("HeadBucket"),
  DELETE_BUCKET("DeleteBucket"),
  GET_BUCKET_LOCATION("GetBucketLocation"),
  LIST_OBJECTS("ListObjects"),
  LIST_OBJECTS_V2("ListObjectsV2"),
  PUT_OBJECT("PutObject"),
  COPY_OBJECT("CopyObject"),
  GET_OBJECT("GetObject"),
  HEAD_OBJECT("HeadObject"),
  DELETE_OBJECT("DeleteObject"),
  DELETE_OBJECTS("DeleteObjects"),
  CREATE_MULTIPART_UPLOAD("CreateMultipartUpload"),
  UPLOAD_PART("UploadPart"),
  UPLOAD_PART_COPY("UploadPartCopy"),
  COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload"),
  ABORT_MULTIPART_UPLOAD("AbortMultipartUpload"),
  LIST_PARTS("ListParts"),
  LIST_MULTIPART_UPLOADS("ListMultipartUploads"),
  GET_OBJECT_ATTRIBUTES("GetObjectAttributes"),
  LIST_OBJECT_VERSIONS("ListObjectVersions"),
  POST_OBJECT("PostObject"),
  GET_OBJECT_TAGGING("GetObjectTagging"),
  PUT_OBJECT_TAGGING("PutObjectTagging"),
  DELETE_OBJECT_TAGGING("DeleteObjectTagging"),
  GET_BUCKET_TAGGING("GetBucketTagging"),
  PUT_BUCKET_TAGGING("PutBucketTagging"),
  DELETE_BUCKET_TAGGING("DeleteBucketTagging"),
  GET_BUCKET_CORS("GetBucketCors"),
  PUT_BUCKET_CORS("PutBucketCors"),
  DELETE_BUCKET_CORS("DeleteBucketCors"),
  /** A browser's CORS preflight (OPTIONS): answered from the bucket's CORS rules, unauthenticated. */
  PREFLIGHT("OPTIONS"),
  GET_BUCKET_ACL("GetBucketAcl"),
  PUT_BUCKET_ACL("PutBucketAcl"),
  GET_OBJECT_ACL("GetObjectAcl"),
  PUT_OBJECT_ACL("PutObjectAcl"),
  GET_BUCKET_VERSIONING("GetBucketVersioning"),
  PUT_BUCKET_VERSIONING("PutBucketVersioning"),
  GET_BUCKET_ENCRYPTION("GetBucketEncryption"),
  PUT_BUCKET_ENCRYPTION("PutBucketEncryption"),
  DELETE_BUCKET_ENCRYPTION("DeleteBucketEncryption"),
  /** A real S3 action that Coffre does not implement yet: answered with 501 NotImplemented. */
  NOT_IMPLEMENTED("NotImplemented");

  private final String awsName;

  S3Operation(String awsName) {
    this.awsName = awsName;
  }

  /** The action's name in the AWS API reference, for logs and metrics. */
  public String awsName() {
    return awsName;
  }
}
