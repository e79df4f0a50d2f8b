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
