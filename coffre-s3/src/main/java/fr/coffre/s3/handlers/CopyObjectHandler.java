package fr.coffre.s3.handlers;

import fr.coffre.core.BucketName;
import fr.coffre.core.InvalidBucketNameException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectVersion;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import fr.coffre.service.ObjectInfo;
import fr.coffre.service.ObjectService;
import fr.coffre.service.PutRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** CopyObject: within or across buckets, keeping (COPY) or replacing (REPLACE) the metadata. */
public final class CopyObjectHandler implements S3Action {
  private final ApiContext ctx;

  public CopyObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    BucketName bucket = Requests.bucket(request);
    ObjectKey key = Requests.key(request);
    Source source = Source.parse(request.header("x-amz-copy-source"));
    WriteOptions.refuseUnsupported(request);
    var customer = CustomerKeys.from(request, CustomerKeys.HEADERS, ctx);
    var sourceCustomer = CustomerKeys.from(request, CustomerKeys.SOURCE_HEADERS, ctx);
    boolean replace = directive(request, "x-amz-metadata-directive");
    String kmsKey = ServerSideEncryption.kmsKeyFor(request, ctx, bucket, customer);
    if (!replace
        && customer == null
        && sourceCustomer == null
        && request.header(ServerSideEncryption.SSE) == null
        && source.bucket().equals(bucket)
        && source.key().equals(key)
        && source.versionId() == null) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "This copy request is illegal because it is trying to copy an object to itself without"
              + " changing the object's metadata, storage class, website redirect location or"
              + " encryption attributes.");
    }
    boolean replaceTags = directive(request, "x-amz-tagging-directive");
    ObjectAttributes given = ObjectHeaders.attributes(request);
    UnaryOperator<ObjectAttributes> attributes =
        original -> {
          ObjectAttributes a = replace ? given.withChecksum(original.checksum()) : original;
          return a.withTags(replaceTags ? given.tags() : original.tags());
        };
    ObjectService.Copied copied =
        ctx.objects()
            .copy(
                source.bucket(),
                source.key(),
                source.versionId(),
                Requests.readConditions(request, "x-amz-copy-source-"),
                sourceCustomer,
                bucket,
                key,
                attributes,
                new PutRequest(
                        null,
                        null,
                        PutObjectHandler.writeCondition(request),
                        null,
                        customer,
                        kmsKey,
                        ObjectLockHeaders.requested(request))
                    .withAcl(
                        ctx.acls()
                            .forNewObject(bucket, request.principal(), Acls.fromHeaders(request))));
    ObjectInfo info = copied.info();
    new NotificationRules(ctx).created(request, request.principal(), bucket, key, "Copy", info);
    S3Response response =
        S3Response.xml(
            new Documents.CopyObjectResult(
                HttpDates.xml(info.lastModified()), info.etag().quoted()));
    ServerSideEncryption.echo(response, info.kmsKeyArn(), customer);
    ObjectLockHeaders.versionId(response, info);
    if (!ObjectVersion.NULL_ID.equals(copied.sourceVersionId())) {
      response.header("x-amz-copy-source-version-id", copied.sourceVersionId());
    }
    return response;
  }

  /** Whether a COPY/REPLACE directive header says REPLACE (COPY when absent). */
  private static boolean directive(S3Request request, String header) {
    String directive = request.header(header);
    if (directive == null || directive.equals("COPY")) {
      return false;
    }
    if (directive.equals("REPLACE")) {
      return true;
    }
    throw new S3Exception(
            S3Error.INVALID_ARGUMENT, "Unknown " + header.substring("x-amz-".length()) + ".")
        .with("ArgumentName", header)
        .with("ArgumentValue", directive);
  }

  /** The object named by x-amz-copy-source: {@code [/]bucket/key[?versionId=...]}, URL-encoded. */
  record Source(BucketName bucket, ObjectKey key, String versionId) {
    static Source parse(String header) {
      String h = header.strip();
      int q = h.indexOf("?versionId=");
      String versionId = null;
      if (q >= 0) {
        versionId = h.substring(q + "?versionId=".length());
        if (versionId.isEmpty()) {
          throw new S3Exception(S3Error.INVALID_ARGUMENT, "Version id cannot be the empty string")
              .with("ArgumentName", "x-amz-copy-source");
        }
        h = h.substring(0, q);
      }
      String decoded;
      try {
        decoded = URLDecoder.decode(h.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalid();
      }
      if (decoded.startsWith("/")) {
        decoded = decoded.substring(1);
      }
      int slash = decoded.indexOf('/');
      if (slash <= 0 || slash == decoded.length() - 1) {
        throw invalid();
      }
      try {
        return new Source(
            new BucketName(decoded.substring(0, slash)),
            new ObjectKey(decoded.substring(slash + 1)),
            versionId);
      } catch (InvalidBucketNameException e) {
        throw new S3Exception(S3Error.NO_SUCH_BUCKET);
      }
    }

    private static S3Exception invalid() {
      return new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
          .with("ArgumentName", "x-amz-copy-source");
    }
  }
}
