package fr.coffre.s3.handlers;

import fr.coffre.core.BucketName;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.KmsKeyException;
import fr.coffre.s3.ErrorMapper;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * SSE-KMS on writes: the KMS key a write asks for ({@code x-amz-server-side-encryption: aws:kms}
 * with {@code x-amz-server-side-encryption-aws-kms-key-id}), else the one the bucket's default
 * encryption names; and the encryption headers every write and read answers with.
 */
final class ServerSideEncryption {
  static final String SSE = "x-amz-server-side-encryption";
  static final String KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";
  static final String KMS = "aws:kms";

  private ServerSideEncryption() {}

  /**
   * The KMS key (id, ARN or alias) a write is to be encrypted under, or null for SSE-S3 (and for
   * SSE-C, when {@code customer} is given). {@code aws:kms} without a key id uses the bucket
   * default's key, else the server's managed S3 key.
   */
  static String kmsKeyFor(
      S3Request request, ApiContext ctx, BucketName bucket, CustomerKey customer) {
    return customer != null ? null : kmsKeyFor(request::header, ctx, bucket);
  }

  /**
   * As the other, with the request's fields looked up by {@code field} (headers, or a form's
   * fields).
   */
  static String kmsKeyFor(UnaryOperator<String> field, ApiContext ctx, BucketName bucket) {
    String ref = kmsKeyRef(field, ctx, bucket);
    if (ref == null) {
      return null;
    }
    // Only the bucket owner's keys may encrypt its objects: another tenant's key is "not found".
    String id = ctx.keys().resolveFor(ref, ctx.buckets().get(bucket).tenant());
    if (field.apply(KMS_KEY_ID) == null || field.apply(KMS_KEY_ID).isBlank()) {
      ConfigDocuments.EncryptionDefault d = bucketDefault(ctx, bucket);
      if (d != null && d.kmsKeyId() != null) {
        try {
          ctx.keys().checkUsable(id);
        } catch (KmsKeyException e) {
          // Say what the writer can act on: the key comes from the bucket, not from the request.
          String state =
              switch (e.reason()) {
                case NOT_FOUND -> "does not exist";
                case DISABLED -> "is disabled";
                case PENDING_DELETION -> "is pending deletion";
                case DESTROYED -> "was destroyed";
              };
          throw new S3Exception(
              ErrorMapper.kmsError(e.reason()),
              "The default encryption of bucket "
                  + bucket.value()
                  + " names KMS key "
                  + id
                  + ", which "
                  + state
                  + ". Change the bucket's default"
                  + " encryption (PutBucketEncryption with another key, or DeleteBucketEncryption for SSE-S3).");
        }
      }
    }
    return id;
  }

  private static String kmsKeyRef(UnaryOperator<String> field, ApiContext ctx, BucketName bucket) {
    String sse = field.apply(SSE);
    if (KMS.equals(sse)) {
      if (field.apply("x-amz-server-side-encryption-context") != null) {
        throw new S3Exception(
            S3Error.NOT_IMPLEMENTED, "An SSE-KMS encryption context is not supported yet");
      }
      String asked = field.apply(KMS_KEY_ID);
      if (asked != null && !asked.isBlank()) {
        return asked.strip();
      }
      ConfigDocuments.EncryptionDefault d = bucketDefault(ctx, bucket);
      return d != null && KMS.equals(d.algorithm()) && d.kmsKeyId() != null
          ? d.kmsKeyId()
          : ctx.keys().managedKey(ctx.buckets().get(bucket).tenant());
    }
    if (sse != null) {
      return null; // AES256 asked for explicitly: SSE-S3, whatever the bucket default
    }
    ConfigDocuments.EncryptionDefault d = bucketDefault(ctx, bucket);
    if (d == null || !KMS.equals(d.algorithm())) {
      return null;
    }
    return d.kmsKeyId() != null
        ? d.kmsKeyId()
        : ctx.keys().managedKey(ctx.buckets().get(bucket).tenant());
  }

  /**
   * A read names no server-side encryption: the object's own is used. S3 refuses the write-only
   * headers on GET and HEAD rather than ignore them.
   */
  static void refuseOnRead(S3Request request) {
    for (String h : new String[] {SSE, KMS_KEY_ID}) {
      if (request.header(h) != null) {
        throw new S3Exception(
                S3Error.INVALID_ARGUMENT, "The " + h + " header is not allowed on a read")
            .with("ArgumentName", h);
      }
    }
  }

  /** The bucket's default encryption, or null for SSE-S3. */
  static ConfigDocuments.EncryptionDefault bucketDefault(ApiContext ctx, BucketName bucket) {
    return ctx.buckets()
        .setting(bucket, BucketSettings.ENCRYPTION)
        .map(
            doc ->
                S3Xml.read(
                    new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)),
                    ConfigDocuments.ServerSideEncryptionConfiguration.class))
        .filter(c -> c.rules() != null && !c.rules().isEmpty())
        .map(c -> c.rules().get(0).byDefault())
        .orElse(null);
  }

  /**
   * The encryption headers of a response about an object under {@code kmsKeyArn} (null: SSE-S3) or
   * {@code customer}.
   */
  static void echo(S3Response response, String kmsKeyArn, CustomerKey customer) {
    if (customer != null) {
      CustomerKeys.echo(response, customer);
    } else if (kmsKeyArn != null) {
      response.header(SSE, KMS).header(KMS_KEY_ID, kmsKeyArn);
    } else {
      response.header(SSE, "AES256");
    }
  }
}
