package fr.coffre.s3.handlers;

import fr.coffre.core.ObjectChecksum;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumType;
import fr.coffre.s3.checksum.MultipartChecksum;
import fr.coffre.s3.xml.Documents;
import java.util.List;
import java.util.Locale;

/**
 * CreateMultipartUpload: records the upload with the object's future headers, tags and checksum
 * algorithm and type ({@code x-amz-checksum-algorithm}, {@code x-amz-checksum-type}).
 */
public final class CreateMultipartUploadHandler implements S3Action {
  private final ApiContext ctx;

  public CreateMultipartUploadHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    WriteOptions.refuseUnsupported(request);
    var customer = CustomerKeys.from(request, CustomerKeys.HEADERS, ctx);
    ObjectChecksum checksum = chosenChecksum(request);
    var attributes = ObjectHeaders.attributes(request).withChecksum(checksum);
    String kmsKey = ServerSideEncryption.kmsKeyFor(request, ctx, bucket, customer);
    String id =
        ctx.multipart()
            .create(
                bucket,
                key,
                attributes,
                customer,
                kmsKey,
                ObjectLockHeaders.requested(request),
                ctx.acls().forNewObject(bucket, request.principal(), Acls.fromHeaders(request)));
    S3Response response =
        S3Response.xml(
            new Documents.InitiateMultipartUploadResult(request.bucket(), request.key(), id));
    ServerSideEncryption.echo(
        response, kmsKey == null ? null : ctx.multipart().kmsKeyArn(bucket, key, id), customer);
    if (checksum != null) {
      response
          .header("x-amz-checksum-algorithm", checksum.algorithm())
          .header("x-amz-checksum-type", checksum.type());
    }
    return response;
  }

  /** The algorithm and type the client chose, checked to be a combination S3 supports; or null. */
  private static ObjectChecksum chosenChecksum(S3Request request) {
    String name = request.header("x-amz-checksum-algorithm");
    String typeName = request.header("x-amz-checksum-type");
    if (name == null) {
      if (typeName != null) {
        throw new S3Exception(
            S3Error.INVALID_REQUEST,
            "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
      }
      return null;
    }
    ChecksumAlgorithm algorithm =
        ChecksumAlgorithm.fromAwsName(name)
            .orElseThrow(
                () ->
                    new S3Exception(
                        S3Error.INVALID_REQUEST, "Checksum algorithm provided is unsupported."));
    ChecksumType type;
    if (typeName == null) {
      type = MultipartChecksum.defaultType(algorithm);
    } else {
      try {
        type = ChecksumType.valueOf(typeName.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new S3Exception(
            S3Error.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.");
      }
    }
    if (!MultipartChecksum.supports(algorithm, type)) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "The "
              + type
              + " checksum type cannot be used with the "
              + algorithm.awsName().toLowerCase(Locale.ROOT)
              + " checksum algorithm.");
    }
    return new ObjectChecksum(algorithm.awsName(), type.name(), null, List.of());
  }
}
