package fr.coffre.service;

import fr.coffre.core.BucketName;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bucket's default encryption as the console shows and applies it: SSE-S3, or SSE-KMS under a
 * named key (else the tenant's managed S3 key). Read from the bucket's stored PutBucketEncryption
 * document.
 *
 * @param mode {@code SSE-S3} or {@code SSE-KMS}
 * @param kmsKey the KMS key reference for SSE-KMS (id, alias or ARN), else null
 */
public record BucketEncryption(String mode, String kmsKey) {
  static final String SETTING = "encryption";
  private static final Pattern ALGORITHM =
      Pattern.compile("<SSEAlgorithm>\\s*([^<]*?)\\s*</SSEAlgorithm>");
  private static final Pattern KEY =
      Pattern.compile("<KMSMasterKeyID>\\s*([^<]*?)\\s*</KMSMasterKeyID>");

  /**
   * The KMS key reference an encryption document names explicitly (SSE-KMS with a key id), if any.
   */
  static Optional<String> kmsKeyNamed(String doc) {
    Matcher a = ALGORITHM.matcher(doc);
    if (!a.find() || !a.group(1).equals("aws:kms")) {
      return Optional.empty();
    }
    Matcher k = KEY.matcher(doc);
    return k.find() && !k.group(1).isEmpty() ? Optional.of(k.group(1)) : Optional.empty();
  }

  /** The bucket's default encryption, the KMS key resolved to the owner's key id. */
  public static BucketEncryption of(BucketService buckets, KeyService keys, BucketName bucket) {
    String doc = buckets.setting(bucket, SETTING).orElse(null);
    if (doc == null) {
      return new BucketEncryption("SSE-S3", null);
    }
    Matcher a = ALGORITHM.matcher(doc);
    if (!a.find() || !a.group(1).equals("aws:kms")) {
      return new BucketEncryption("SSE-S3", null);
    }
    Matcher k = KEY.matcher(doc);
    String tenant = buckets.get(bucket).tenant();
    String ref = k.find() && !k.group(1).isEmpty() ? k.group(1) : keys.managedKey(tenant);
    return new BucketEncryption("SSE-KMS", keys.resolveFor(ref, tenant));
  }
}
