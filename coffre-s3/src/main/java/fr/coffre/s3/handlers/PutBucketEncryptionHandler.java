package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * PutBucketEncryption: the bucket's default for writes that name no encryption. SSE-S3 (AES256) or
 * SSE-KMS (aws:kms) with a KMS key, which must exist and be enabled; the stored default names the
 * key by its ARN, so renaming an alias later does not move the bucket to another key.
 */
public final class PutBucketEncryptionHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketEncryptionHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    var config =
        S3Xml.read(request.body(), ConfigDocuments.ServerSideEncryptionConfiguration.class);
    if (config.rules() == null || config.rules().size() != 1) {
      throw new S3Exception(S3Error.MALFORMED_XML, "The configuration must hold exactly one rule");
    }
    var rule = config.rules().get(0);
    if (rule.byDefault() == null || rule.byDefault().algorithm() == null) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    }
    String algorithm = rule.byDefault().algorithm();
    String keyId = rule.byDefault().kmsKeyId();
    ConfigDocuments.EncryptionDefault stored;
    switch (algorithm) {
      case "AES256" -> {
        if (keyId != null) {
          throw new S3Exception(
                  S3Error.INVALID_ARGUMENT, "a KMS key cannot be given with SSE-S3 (AES256)")
              .with("ArgumentName", "KMSMasterKeyID");
        }
        stored = new ConfigDocuments.EncryptionDefault("AES256", null);
      }
      case ServerSideEncryption.KMS -> {
        String arn =
            keyId == null || keyId.isBlank()
                ? null
                : ctx.keys().arn(ctx.keys().resolveFor(keyId, ctx.buckets().get(bucket).tenant()));
        if (arn != null) {
          ctx.keys()
              .forEncrypt(
                  arn); // refuses a disabled or pending-deletion key now, not at the first write
        }
        stored = new ConfigDocuments.EncryptionDefault(ServerSideEncryption.KMS, arn);
      }
      case "aws:kms:dsse" ->
          throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Dual-layer SSE-KMS is not available");
      default -> throw new S3Exception(S3Error.MALFORMED_XML, "Unknown SSEAlgorithm " + algorithm);
    }
    var document =
        new ConfigDocuments.ServerSideEncryptionConfiguration(
            List.of(
                new ConfigDocuments.EncryptionRule(
                    stored, Boolean.TRUE.equals(rule.bucketKeyEnabled()))));
    ctx.buckets()
        .setSetting(
            bucket,
            BucketSettings.ENCRYPTION,
            new String(S3Xml.write(document), StandardCharsets.UTF_8));
    return S3Response.ok();
  }
}
