package fr.coffre.s3.handlers;

import fr.coffre.core.BucketName;
import fr.coffre.core.InvalidBucketNameException;
import fr.coffre.core.Principal;
import fr.coffre.s3.Authorizer;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Operation;
import fr.coffre.s3.S3Request;
import fr.coffre.service.AccessService;
import fr.coffre.service.IdentityService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns an S3 request into the question policies answer: which principal, which IAM action on which
 * resource, with which condition keys (aws:SourceIp, aws:SecureTransport, s3:prefix, s3:max-keys,
 * s3:x-amz-server-side-encryption, ...), and asks the access service.
 */
public final class AccessControl implements Authorizer {
  private final IdentityService identities;
  private final AccessService access;

  public AccessControl(IdentityService identities, AccessService access) {
    this.identities = identities;
    this.access = access;
  }

  @Override
  public Principal principal(String accessKey) {
    if (accessKey == null) {
      return Principal.anonymous();
    }
    // The signature was just checked against this key's secret, so it resolves; a key deleted
    // in between is refused like an unknown one.
    return identities
        .principal(accessKey)
        .orElseThrow(() -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID));
  }

  /** Authorizes an operation whose resource the request names (bucket, object, or none). */
  @Override
  public void authorize(S3Request request, S3Operation operation) {
    switch (operation.scope()) {
      case NONE, PER_KEY -> {
        return;
      }
      case SERVICE -> check(request, operation.iamAction(), null, null);
      case BUCKET -> check(request, operation.iamAction(), bucket(request.bucket()), null);
      case OBJECT ->
          check(
              request,
              request.queryParam("versionId") != null
                  ? versionAction(operation.iamAction())
                  : operation.iamAction(),
              bucket(request.bucket()),
              request.key());
    }
    if (operation.scope() != S3Operation.Scope.SERVICE) {
      expectOwner(request, "x-amz-expected-bucket-owner", bucket(request.bucket()));
    }
    if (operation == S3Operation.COPY_OBJECT || operation == S3Operation.UPLOAD_PART_COPY) {
      CopyObjectHandler.Source source =
          CopyObjectHandler.Source.parse(request.header("x-amz-copy-source"));
      check(
          request,
          source.versionId() != null ? "s3:GetObjectVersion" : "s3:GetObject",
          source.bucket(),
          source.key().value());
      expectOwner(request, "x-amz-source-expected-bucket-owner", source.bucket());
    }
    // DeleteObjects (PER_KEY, returned above) checks the bypass right for each of its keys.
    if (bypassesGovernance(request)
        && (operation == S3Operation.DELETE_OBJECT
            || operation == S3Operation.PUT_OBJECT_RETENTION)) {
      check(request, "s3:BypassGovernanceRetention", bucket(request.bucket()), request.key());
    }
  }

  /** Whether the request asks to bypass GOVERNANCE retentions. */
  public static boolean bypassesGovernance(S3Request request) {
    return "true"
        .equalsIgnoreCase(
            String.valueOf(request.header("x-amz-bypass-governance-retention")).trim());
  }

  /** The IAM action of an object action addressed to one version ({@code ?versionId=}). */
  static String versionAction(String action) {
    return switch (action) {
      case "s3:GetObject" -> "s3:GetObjectVersion";
      case "s3:DeleteObject" -> "s3:DeleteObjectVersion";
      case "s3:GetObjectTagging" -> "s3:GetObjectVersionTagging";
      case "s3:PutObjectTagging" -> "s3:PutObjectVersionTagging";
      case "s3:DeleteObjectTagging" -> "s3:DeleteObjectVersionTagging";
      case "s3:GetObjectAcl" -> "s3:GetObjectVersionAcl";
      case "s3:PutObjectAcl" -> "s3:PutObjectVersionAcl";
      case "s3:GetObjectAttributes" -> "s3:GetObjectVersionAttributes";
      default -> action;
    };
  }

  /**
   * Authorizes {@code action} on one object of the request's bucket (DeleteObjects, form uploads).
   */
  public void authorizeKey(S3Request request, String action, String key) {
    check(request, action, bucket(request.bucket()), key);
  }

  /**
   * x-amz-expected-bucket-owner (and x-amz-source-expected-bucket-owner for a copy's source): a
   * client that names the account it expects to own the bucket is refused (403 AccessDenied) when
   * another account owns it, so that it never writes to or reads from someone else's bucket.
   */
  private void expectOwner(S3Request request, String header, @Nullable BucketName bucket) {
    String expected = request.header(header);
    if (expected != null && bucket != null && !access.acls().isExpectedOwner(bucket, expected)) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "The bucket is owned by another account");
    }
  }

  private void check(S3Request request, String action, BucketName bucket, String key) {
    access.authorize(request.principal(), action, bucket, key, conditions(request));
  }

  private static BucketName bucket(String name) {
    try {
      return new BucketName(name);
    } catch (InvalidBucketNameException e) {
      return null; // the handler answers InvalidBucketName / NoSuchBucket itself
    }
  }

  static Map<String, List<String>> conditions(S3Request r) {
    Map<String, List<String>> c = new HashMap<>();
    c.put("aws:SecureTransport", List.of(Boolean.toString(r.secure())));
    if (r.sourceIp() != null) {
      c.put("aws:SourceIp", List.of(r.sourceIp()));
    }
    if (r.key() == null && r.bucket() != null) {
      put(c, "s3:prefix", r.queryParam("prefix"));
      put(c, "s3:delimiter", r.queryParam("delimiter"));
      put(c, "s3:max-keys", r.queryParam("max-keys"));
    }
    put(c, "s3:x-amz-server-side-encryption", r.header("x-amz-server-side-encryption"));
    put(
        c,
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        r.header("x-amz-server-side-encryption-aws-kms-key-id"));
    put(c, "s3:x-amz-acl", r.header("x-amz-acl"));
    put(c, "s3:x-amz-copy-source", r.header("x-amz-copy-source"));
    put(c, "s3:versionid", r.queryParam("versionId"));
    put(c, "s3:object-lock-mode", r.header("x-amz-object-lock-mode"));
    put(c, "s3:object-lock-retain-until-date", r.header("x-amz-object-lock-retain-until-date"));
    put(c, "s3:object-lock-legal-hold", r.header("x-amz-object-lock-legal-hold"));
    return c;
  }

  private static void put(Map<String, List<String>> c, String key, String value) {
    if (value != null) {
      c.put(key, List.of(value));
    }
  }
}
