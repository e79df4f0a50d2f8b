package fr.coffre.s3.handlers;

import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.CoffreException;
import fr.coffre.core.KeyTooLongException;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectLockException;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.ObjectService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** DeleteObjects: up to 1000 keys in one request; per-key errors are reported, not thrown. */
public final class DeleteObjectsHandler implements S3Action {
  private static final int MAX_KEYS = 1000;

  private final ApiContext ctx;

  public DeleteObjectsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) throws IOException, NoSuchAlgorithmException {
    BucketName bucket = Requests.bucket(request);
    byte[] body = request.body().readNBytes(S3Xml.MAX_REQUEST_BYTES + 1);
    byte[] md5 = PutObjectHandler.contentMd5(request);
    if (md5 != null && !Arrays.equals(md5, MessageDigest.getInstance("MD5").digest(body))) {
      throw new S3Exception(S3Error.BAD_DIGEST);
    }
    Documents.Delete delete = S3Xml.read(new ByteArrayInputStream(body), Documents.Delete.class);
    List<Documents.ObjectIdentifier> objects =
        delete.objects() == null ? List.of() : delete.objects();
    if (objects.isEmpty() || objects.size() > MAX_KEYS) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    }
    ctx.buckets().get(bucket);
    boolean quiet = Boolean.TRUE.equals(delete.quiet());
    NotificationRules notifications = new NotificationRules(ctx);
    List<Documents.Deleted> deleted = new ArrayList<>();
    List<Documents.DeleteError> errors = new ArrayList<>();
    for (Documents.ObjectIdentifier o : objects) {
      String key = o.key() == null ? "" : o.key();
      String asked = o.versionId() == null || o.versionId().isEmpty() ? null : o.versionId();
      try {
        ObjectKey objectKey = new ObjectKey(key);
        String versionId = asked;
        ctx.access()
            .authorizeKey(
                request, versionId == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", key);
        // The bypass is a right of its own, checked for each key (this operation is authorized
        // key by key, so the request-wide check of DeleteObject does not run here).
        boolean bypass = AccessControl.bypassesGovernance(request);
        if (bypass) {
          ctx.access().authorizeKey(request, "s3:BypassGovernanceRetention", key);
        }
        ObjectService.Deleted d = ctx.objects().delete(bucket, objectKey, versionId, bypass);
        notifications.removed(request, bucket, objectKey, versionId, d);
        if (!quiet) {
          deleted.add(
              new Documents.Deleted(
                  key,
                  versionId,
                  d.deleteMarker() ? Boolean.TRUE : null,
                  d.deleteMarker() ? d.versionId() : null));
        }
      } catch (NoSuchBucketException e) {
        throw e;
      } catch (CoffreException e) {
        S3Error error = e.messageIsPublic() ? errorFor(e) : S3Error.INTERNAL_ERROR;
        errors.add(
            new Documents.DeleteError(
                key,
                asked,
                error.code(),
                e.messageIsPublic() ? e.getMessage() : error.defaultMessage()));
      }
    }
    return S3Response.xml(
        new Documents.DeleteResult(
            deleted.isEmpty() ? null : deleted, errors.isEmpty() ? null : errors));
  }

  private static S3Error errorFor(CoffreException e) {
    return switch (e) {
      case KeyTooLongException x -> S3Error.KEY_TOO_LONG;
      case AccessDeniedException x -> S3Error.ACCESS_DENIED;
      case ObjectLockException x -> S3Error.ACCESS_DENIED;
      default -> S3Error.INVALID_ARGUMENT;
    };
  }
}
