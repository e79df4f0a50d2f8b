package fr.coffre.server;

import fr.coffre.s3.RequestAuthenticator;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.handlers.*;
import fr.coffre.s3.S3Operation;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.service.IdentityService;
import fr.coffre.service.Lockouts;
import fr.coffre.s3.auth.SigV4Authenticator;
import fr.coffre.s3.handlers.ListObjectsV2Handler;
import fr.coffre.s3.xml.Documents;
import fr.coffre.service.BucketService;
import fr.coffre.service.MultipartService;
import fr.coffre.service.ObjectService;
import java.util.EnumMap;
import java.util.Map;

/** The table from each S3 operation to the handler that serves it. */
final class S3Api {
  private S3Api() {}

  static Map<S3Operation, S3Action> actions(ApiContext ctx) {
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
    m.put(S3Operation.GET_OBJECT_ATTRIBUTES, new GetObjectAttributesHandler(ctx));
    m.put(S3Operation.LIST_OBJECT_VERSIONS, new ListObjectVersionsHandler(ctx));
    m.put(S3Operation.GET_OBJECT_TAGGING, new GetObjectTaggingHandler(ctx));
    m.put(S3Operation.PUT_OBJECT_TAGGING, new PutObjectTaggingHandler(ctx));
    m.put(S3Operation.DELETE_OBJECT_TAGGING, new DeleteObjectTaggingHandler(ctx));
    m.put(S3Operation.GET_BUCKET_TAGGING, new GetBucketTaggingHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_TAGGING, new PutBucketTaggingHandler(ctx));
    m.put(S3Operation.DELETE_BUCKET_TAGGING, new DeleteBucketTaggingHandler(ctx));
    m.put(S3Operation.GET_BUCKET_CORS, new GetBucketCorsHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_CORS, new PutBucketCorsHandler(ctx));
    m.put(S3Operation.DELETE_BUCKET_CORS, new DeleteBucketCorsHandler(ctx));
    m.put(S3Operation.PREFLIGHT, new PreflightHandler(ctx));
    m.put(S3Operation.GET_BUCKET_ACL, new GetBucketAclHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_ACL, new PutBucketAclHandler(ctx));
    m.put(S3Operation.GET_OBJECT_ACL, new GetObjectAclHandler(ctx));
    m.put(S3Operation.PUT_OBJECT_ACL, new PutObjectAclHandler(ctx));
    m.put(S3Operation.GET_BUCKET_VERSIONING, new GetBucketVersioningHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_VERSIONING, new PutBucketVersioningHandler(ctx));
    m.put(S3Operation.GET_BUCKET_ENCRYPTION, new GetBucketEncryptionHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_ENCRYPTION, new PutBucketEncryptionHandler(ctx));
    m.put(S3Operation.DELETE_BUCKET_ENCRYPTION, new DeleteBucketEncryptionHandler(ctx));
    m.put(S3Operation.POST_OBJECT, new PostObjectHandler(ctx));
    m.put(S3Operation.GET_BUCKET_POLICY, new GetBucketPolicyHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_POLICY, new PutBucketPolicyHandler(ctx));
    m.put(S3Operation.DELETE_BUCKET_POLICY, new DeleteBucketPolicyHandler(ctx));
    return m;
  }

  /**
   * {@code GET /?coffre-audit}: the caller's tenant's audit chain as an export
   * (docs/audit-format.md), spooled to a private file in the data directory so that its length is
   * known before the first byte is sent.
   */
  static S3Action auditExport(fr.coffre.service.AuditService audit, java.nio.file.Path spool) {
    return request -> {
      java.nio.file.Files.createDirectories(spool);
      java.nio.file.Path file = java.nio.file.Files.createTempFile(spool, "audit-export-", ".jsonl");
      try {
        try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file))) {
          audit.export(request.principal().tenant(), out);
        }
        long length = java.nio.file.Files.size(file);
        java.io.InputStream in = java.nio.file.Files.newInputStream(file, java.nio.file.StandardOpenOption.DELETE_ON_CLOSE);
        return fr.coffre.s3.S3Response.ok().header("Content-Type", "application/x-ndjson")
            .header("Content-Disposition", "attachment; filename=\"coffre-audit-" + request.principal().tenant() + ".jsonl\"")
            .content(in, length);
      } catch (Exception e) {
        java.nio.file.Files.deleteIfExists(file);
        throw e;
      }
    };
  }

  /**
   * Signed requests checked against the keys the identity service knows (the root credentials and
   * every active user key); unsigned ones pass as anonymous, for bucket policies to judge.
   */
  static RequestAuthenticator authenticator(IdentityService identities) {
    return new SigV4Authenticator(new fr.coffre.s3.auth.SigV4Verifier(identities::secretKey), true);
  }

  /**
   * Counts failed signatures per access key and client address, and refuses a key locked out for
   * that address, even with a correct signature, until its lock-out ends. Other addresses (the
   * key's owner) are not affected: access key ids are public.
   */
  static RequestAuthenticator lockingOut(RequestAuthenticator inner, Lockouts lockouts) {
    return (request, body, now) -> {
      RequestAuthenticator.Authenticated auth;
      try {
        auth = inner.authenticate(request, body, now);
      } catch (S3Exception e) {
        if (e.error() == S3Error.SIGNATURE_DOES_NOT_MATCH || e.error() == S3Error.INVALID_ACCESS_KEY_ID) {
          lockouts.failedSignature(e.details().get("AWSAccessKeyId"), request.remoteAddress());
        }
        throw e;
      }
      if (auth.accessKey() != null) {
        java.time.Instant until = lockouts.lockedUntil(auth.accessKey(), request.remoteAddress());
        if (until != null) {
          throw new S3Exception(S3Error.ACCESS_DENIED,
              "Too many failed authentications with this access key from this address; it is locked until " + until);
        }
      }
      return auth;
    };
  }

  /** Refuses every request (503, SealedException) while {@code sealed} says the root key is sealed. */
  static RequestAuthenticator gated(RequestAuthenticator inner, java.util.function.BooleanSupplier sealed) {
    return (request, body, now) -> {
      if (sealed.getAsBoolean()) {
        throw new fr.coffre.core.SealedException();
      }
      return inner.authenticate(request, body, now);
    };
  }
}
