package fr.coffre.s3.handlers;

import fr.coffre.core.CustomerKey;
import fr.coffre.core.ETag;
import fr.coffre.core.WriteCondition;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ObjectInfo;
import fr.coffre.service.PutRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Locale;

/** PutObject: streams the body into a new encrypted, durable version of the key. */
public final class PutObjectHandler implements S3Action {
  /** S3's largest single PUT. */
  public static final long MAX_SIZE = 5L * 1024 * 1024 * 1024;

  private final ApiContext ctx;

  public PutObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    WriteOptions.refuseUnsupported(request);
    request = requireLength(request);
    CustomerKey customer = CustomerKeys.from(request, CustomerKeys.HEADERS, ctx);
    byte[] md5 = contentMd5(request);
    ObjectInfo info =
        ctx.objects()
            .put(
                bucket,
                key,
                request.body(),
                new PutRequest(
                        ObjectHeaders.attributes(request),
                        md5,
                        writeCondition(request),
                        ChecksumHeaders.verified(request),
                        customer,
                        ServerSideEncryption.kmsKeyFor(request, ctx, bucket, customer),
                        ObjectLockHeaders.requested(request))
                    .withAcl(
                        ctx.acls()
                            .forNewObject(bucket, request.principal(), Acls.fromHeaders(request))));
    new NotificationRules(ctx).created(request, request.principal(), bucket, key, "Put", info);
    S3Response response = S3Response.ok().header("ETag", info.etag().quoted());
    ObjectLockHeaders.versionId(response, info);
    ServerSideEncryption.echo(response, info.kmsKeyArn(), customer);
    WriteOptions.echoChecksum(request, response);
    WriteOptions.echoVerifiedChecksum(request, response);
    return response;
  }

  /**
   * An upload must say how its body ends: a Content-Length, for aws-chunked bodies
   * x-amz-decoded-content-length, or HTTP chunked transfer encoding (accepted as RGW does, and as
   * s3-tests' test_object_write_with_chunked_transfer_encoding expects). With none of them it is
   * refused with 411 rather than stored as an empty object. A declared length over S3's 5 GiB is
   * refused (EntityTooLarge) before a byte is read; a chunked body is cut off with the same error
   * once it passes 5 GiB, before anything is committed.
   *
   * @return the request, its body bounded when its length was not declared
   */
  static S3Request requireLength(S3Request request) {
    String te = request.header("transfer-encoding");
    boolean chunked = te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    String decoded = request.header("x-amz-decoded-content-length");
    String length = decoded != null ? decoded : chunked ? null : request.header("content-length");
    if (length == null) {
      if (chunked) {
        return request.withBody(new BoundedInputStream(request.body(), MAX_SIZE));
      }
      throw new S3Exception(S3Error.MISSING_CONTENT_LENGTH);
    }
    long declared;
    try {
      declared = Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      throw new S3Exception(
          S3Error.INVALID_ARGUMENT, "The declared length '" + length + "' is not a number");
    }
    if (declared > MAX_SIZE) {
      throw new S3Exception(
              S3Error.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size")
          .with("ProposedSize", Long.toString(declared))
          .with("MaxSizeAllowed", Long.toString(MAX_SIZE));
    }
    return request;
  }

  /** Fails the read (EntityTooLarge) that would pass {@code max} bytes. */
  static final class BoundedInputStream extends FilterInputStream {
    private final long max;
    private long read;

    BoundedInputStream(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && ++read > max) {
        throw tooLarge();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0 && (read += n) > max) {
        throw tooLarge();
      }
      return n;
    }

    private S3Exception tooLarge() {
      return new S3Exception(
              S3Error.ENTITY_TOO_LARGE, "Your upload exceeds the maximum allowed size")
          .with("MaxSizeAllowed", Long.toString(max));
    }
  }

  static byte[] contentMd5(S3Request request) {
    String header = request.header("content-md5");
    if (header == null) {
      return null;
    }
    try {
      byte[] md5 = Base64.getDecoder().decode(header.strip());
      if (md5.length == 16) {
        return md5;
      }
    } catch (IllegalArgumentException e) {
      // falls through to InvalidDigest
    }
    throw new S3Exception(S3Error.INVALID_DIGEST).with("Content-MD5", header);
  }

  /** If-None-Match: * (create only) and If-Match (replace only that version) on a write. */
  static WriteCondition writeCondition(S3Request request) {
    String ifNoneMatch = request.header("if-none-match");
    String ifMatch = request.header("if-match");
    if (ifNoneMatch == null && ifMatch == null) {
      return WriteCondition.NONE;
    }
    if (ifNoneMatch != null && !ifNoneMatch.strip().equals("*")) {
      throw new S3Exception(S3Error.NOT_IMPLEMENTED, "If-None-Match on a write only accepts *");
    }
    ETag expected = null;
    if (ifMatch != null) {
      String t = ifMatch.strip().replace("\"", "");
      try {
        expected = new ETag(t);
      } catch (IllegalArgumentException e) {
        throw new S3Exception(S3Error.PRECONDITION_FAILED).with("Condition", "If-Match");
      }
    }
    return new WriteCondition(ifNoneMatch != null, expected);
  }
}
