package fr.coffre.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CORSConfiguration;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.OwnershipControls;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionConfiguration;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.VersioningConfiguration;

/**
 * The bucket settings an export records and an import applies, one row each: how to read it from a
 * source, how to write it to a target, and whether it must be in place before the objects are
 * uploaded (encryption, ownership) or after them (a lifecycle rule, a default retention or a policy
 * applied first could expire, lock or refuse the versions being imported).
 */
enum BucketSettings {
  VERSIONING("versioning", Phase.BEFORE_OBJECTS),
  ENCRYPTION("encryption", Phase.BEFORE_OBJECTS),
  OWNERSHIP_CONTROLS("ownershipControls", Phase.BEFORE_OBJECTS),
  CORS("cors", Phase.AFTER_OBJECTS),
  TAGGING("tagging", Phase.AFTER_OBJECTS),
  LIFECYCLE("lifecycle", Phase.AFTER_OBJECTS),
  PUBLIC_ACCESS_BLOCK("publicAccessBlock", Phase.AFTER_OBJECTS),
  ACL("acl", Phase.AFTER_OBJECTS),
  OBJECT_LOCK("objectLock", Phase.AFTER_OBJECTS),
  POLICY("policy", Phase.AFTER_OBJECTS);

  /** When an import applies a setting. */
  enum Phase {
    BEFORE_OBJECTS,
    AFTER_OBJECTS
  }

  final String jsonName;
  final Phase phase;

  BucketSettings(String jsonName, Phase phase) {
    this.jsonName = jsonName;
    this.phase = phase;
  }

  static List<BucketSettings> inPhase(Phase phase) {
    List<BucketSettings> out = new ArrayList<>();
    for (BucketSettings s : values()) {
      if (s.phase == phase) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Reads the setting from the source; null when the bucket has none (the answer's error code is
   * then what the caller records).
   */
  @Nullable JsonNode read(S3Client s3, String bucket) {
    return switch (this) {
      case VERSIONING -> {
        var r = s3.getBucketVersioning(b -> b.bucket(bucket));
        yield r.statusAsString() == null
            ? null
            : SdkJson.toJson(
                VersioningConfiguration.builder()
                    .status(r.statusAsString())
                    .mfaDelete(r.mfaDeleteAsString())
                    .build());
      }
      case ENCRYPTION ->
          SdkJson.toJson(
              s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration());
      case OWNERSHIP_CONTROLS ->
          SdkJson.toJson(s3.getBucketOwnershipControls(b -> b.bucket(bucket)).ownershipControls());
      case CORS ->
          SdkJson.toJson(
              CORSConfiguration.builder()
                  .corsRules(s3.getBucketCors(b -> b.bucket(bucket)).corsRules())
                  .build());
      case TAGGING ->
          SdkJson.toJson(
              Tagging.builder()
                  .tagSet(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet())
                  .build());
      case LIFECYCLE ->
          SdkJson.toJson(
              BucketLifecycleConfiguration.builder()
                  .rules(s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules())
                  .build());
      case PUBLIC_ACCESS_BLOCK ->
          SdkJson.toJson(
              s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration());
      case ACL -> {
        var r = s3.getBucketAcl(b -> b.bucket(bucket));
        yield SdkJson.toJson(
            AccessControlPolicy.builder().owner(r.owner()).grants(r.grants()).build());
      }
      case OBJECT_LOCK -> {
        var c = s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
        yield c == null ? null : SdkJson.toJson(c);
      }
      case POLICY -> {
        String policy = s3.getBucketPolicy(b -> b.bucket(bucket)).policy();
        yield policy == null ? null : Json.MAPPER.getNodeFactory().textNode(policy);
      }
    };
  }

  /** Applies the setting recorded by {@link #read} to a target bucket. */
  void write(S3Client s3, String bucket, JsonNode value) {
    switch (this) {
      case VERSIONING ->
          s3.putBucketVersioning(
              b ->
                  b.bucket(bucket)
                      .versioningConfiguration(
                          SdkJson.fromJson(value, VersioningConfiguration.builder())));
      case ENCRYPTION ->
          s3.putBucketEncryption(
              b ->
                  b.bucket(bucket)
                      .serverSideEncryptionConfiguration(
                          SdkJson.fromJson(value, ServerSideEncryptionConfiguration.builder())));
      case OWNERSHIP_CONTROLS ->
          s3.putBucketOwnershipControls(
              b ->
                  b.bucket(bucket)
                      .ownershipControls(SdkJson.fromJson(value, OwnershipControls.builder())));
      case CORS ->
          s3.putBucketCors(
              b ->
                  b.bucket(bucket)
                      .corsConfiguration(SdkJson.fromJson(value, CORSConfiguration.builder())));
      case TAGGING ->
          s3.putBucketTagging(
              b -> b.bucket(bucket).tagging(SdkJson.fromJson(value, Tagging.builder())));
      case LIFECYCLE ->
          s3.putBucketLifecycleConfiguration(
              b ->
                  b.bucket(bucket)
                      .lifecycleConfiguration(
                          SdkJson.fromJson(value, BucketLifecycleConfiguration.builder())));
      case PUBLIC_ACCESS_BLOCK ->
          s3.putPublicAccessBlock(
              b ->
                  b.bucket(bucket)
                      .publicAccessBlockConfiguration(
                          SdkJson.fromJson(value, PublicAccessBlockConfiguration.builder())));
      case ACL ->
          s3.putBucketAcl(b -> b.bucket(bucket).accessControlPolicy(aclFor(s3, bucket, value)));
      case OBJECT_LOCK ->
          s3.putObjectLockConfiguration(
              b ->
                  b.bucket(bucket)
                      .objectLockConfiguration(
                          SdkJson.fromJson(value, ObjectLockConfiguration.builder())));
      case POLICY -> s3.putBucketPolicy(b -> b.bucket(bucket).policy(value.asText()));
    }
  }

  /**
   * The exported ACL with the source's owner replaced by the target bucket's: canonical ids are per
   * server, so a grant to the old owner becomes a grant to the new one.
   */
  private static AccessControlPolicy aclFor(S3Client s3, String bucket, JsonNode value) {
    AccessControlPolicy exported = SdkJson.fromJson(value, AccessControlPolicy.builder());
    Owner targetOwner = s3.getBucketAcl(b -> b.bucket(bucket)).owner();
    String oldId = exported.owner() == null ? null : exported.owner().id();
    List<Grant> grants = new ArrayList<>();
    for (Grant g : exported.grants()) {
      Grantee grantee = g.grantee();
      if (grantee != null && oldId != null && Objects.equals(grantee.id(), oldId)) {
        grantee = grantee.toBuilder().id(targetOwner.id()).displayName(null).build();
      }
      grants.add(g.toBuilder().grantee(grantee).build());
    }
    return AccessControlPolicy.builder().owner(targetOwner).grants(grants).build();
  }

  /**
   * Whether an error answer to reading a setting means "this bucket has none" or "this server does
   * not do that" (recorded as absent) rather than a failure of the export.
   */
  static boolean meansAbsent(S3Exception e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    if ("NoSuchBucket".equals(code)) {
      return false;
    }
    return status == 404 || status == 501 || status == 405 || status == 400 || status == 403;
  }

  static String code(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code == null || code.isEmpty() ? "HTTP " + e.statusCode() : code;
  }
}
