package fr.coffre.server;

import fr.coffre.s3.RequestAuthenticator;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Operation;
import fr.coffre.s3.auth.SigV4Authenticator;
import fr.coffre.s3.handlers.AbortMultipartUploadHandler;
import fr.coffre.s3.handlers.ApiContext;
import fr.coffre.s3.handlers.CompleteMultipartUploadHandler;
import fr.coffre.s3.handlers.CreateMultipartUploadHandler;
import fr.coffre.s3.handlers.ListMultipartUploadsHandler;
import fr.coffre.s3.handlers.ListPartsHandler;
import fr.coffre.s3.handlers.UploadPartCopyHandler;
import fr.coffre.s3.handlers.UploadPartHandler;
import fr.coffre.s3.handlers.CopyObjectHandler;
import fr.coffre.s3.handlers.CreateBucketHandler;
import fr.coffre.s3.handlers.DeleteBucketHandler;
import fr.coffre.s3.handlers.DeleteObjectHandler;
import fr.coffre.s3.handlers.DeleteObjectsHandler;
import fr.coffre.s3.handlers.GetBucketLocationHandler;
import fr.coffre.s3.handlers.GetObjectHandler;
import fr.coffre.s3.handlers.HeadBucketHandler;
import fr.coffre.s3.handlers.HeadObjectHandler;
import fr.coffre.s3.handlers.ListBucketsHandler;
import fr.coffre.s3.handlers.ListObjectsHandler;
import fr.coffre.s3.handlers.ListObjectsV2Handler;
import fr.coffre.s3.handlers.PutObjectHandler;
import fr.coffre.s3.xml.Documents;
import fr.coffre.service.BucketService;
import fr.coffre.service.MultipartService;
import fr.coffre.service.ObjectService;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The table from each S3 operation to the handler that serves it. */
final class S3Api {
  private S3Api() {}

  static Map<S3Operation, S3Action> actions(
      BucketService buckets,
      ObjectService objects,
      MultipartService multipart,
      String region,
      Documents.Owner owner) {
    ApiContext ctx = new ApiContext(buckets, objects, multipart, region, owner);
    Map<S3Operation, S3Action> m = new EnumMap<>(S3Operation.class);
    m.put(S3Operation.LIST_BUCKETS, new ListBucketsHandler(ctx));
    m.put(S3Operation.CREATE_BUCKET, new CreateBucketHandler(ctx));
    m.put(S3Operation.HEAD_BUCKET, new HeadBucketHandler(ctx));
    m.put(S3Operation.DELETE_BUCKET, new DeleteBucketHandler(ctx));
    m.put(S3Operation.GET_BUCKET_LOCATION, new GetBucketLocationHandler(ctx));
    m.put(S3Operation.LIST_OBJECTS, new ListObjectsHandler(ctx));
    m.put(S3Operation.LIST_OBJECTS_V2, new ListObjectsV2Handler(ctx));
    m.put(S3Operation.PUT_OBJECT, new PutObjectHandler(ctx));
    m.put(S3Operation.COPY_OBJECT, new CopyObjectHandler(ctx));
    m.put(S3Operation.GET_OBJECT, new GetObjectHandler(ctx));
    m.put(S3Operation.HEAD_OBJECT, new HeadObjectHandler(ctx));
    m.put(S3Operation.DELETE_OBJECT, new DeleteObjectHandler(ctx));
    m.put(S3Operation.DELETE_OBJECTS, new DeleteObjectsHandler(ctx));
    m.put(S3Operation.CREATE_MULTIPART_UPLOAD, new CreateMultipartUploadHandler(ctx));
    m.put(S3Operation.UPLOAD_PART, new UploadPartHandler(ctx));
    m.put(S3Operation.UPLOAD_PART_COPY, new UploadPartCopyHandler(ctx));
    m.put(S3Operation.COMPLETE_MULTIPART_UPLOAD, new CompleteMultipartUploadHandler(ctx));
    m.put(S3Operation.ABORT_MULTIPART_UPLOAD, new AbortMultipartUploadHandler(ctx));
    m.put(S3Operation.LIST_PARTS, new ListPartsHandler(ctx));
    m.put(S3Operation.LIST_MULTIPART_UPLOADS, new ListMultipartUploadsHandler(ctx));
    return m;
  }

  /** One root identity until tenants exist: its key is the only one known. */
  static RequestAuthenticator authenticator(RootCredentials root) {
    return new SigV4Authenticator(
        accessKey ->
            accessKey.equals(root.accessKey()) ? Optional.of(root.secretKey()) : Optional.empty());
  }
}
