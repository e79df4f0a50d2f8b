package fr.coffre.s3;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.BucketName;
import fr.coffre.core.InvalidBucketNameException;
import fr.coffre.core.Principal;
import fr.coffre.core.SealedException;
import fr.coffre.s3.auth.CredentialLookup;
import fr.coffre.s3.auth.SigV2Verifier;
import fr.coffre.s3.auth.SigV4;
import fr.coffre.s3.auth.SigV4Authenticator;
import fr.coffre.s3.auth.SigV4Verifier;
import fr.coffre.s3.auth.SignatureVerifier;
import fr.coffre.s3.handlers.AbortMultipartUploadHandler;
import fr.coffre.s3.handlers.AccessControl;
import fr.coffre.s3.handlers.AccessLogging;
import fr.coffre.s3.handlers.AccountPublicAccessBlockHandler;
import fr.coffre.s3.handlers.ApiContext;
import fr.coffre.s3.handlers.CompleteMultipartUploadHandler;
import fr.coffre.s3.handlers.CopyObjectHandler;
import fr.coffre.s3.handlers.CorsRules;
import fr.coffre.s3.handlers.CreateBucketHandler;
import fr.coffre.s3.handlers.CreateMultipartUploadHandler;
import fr.coffre.s3.handlers.DeleteBucketCorsHandler;
import fr.coffre.s3.handlers.DeleteBucketEncryptionHandler;
import fr.coffre.s3.handlers.DeleteBucketHandler;
import fr.coffre.s3.handlers.DeleteBucketLifecycleHandler;
import fr.coffre.s3.handlers.DeleteBucketOwnershipControlsHandler;
import fr.coffre.s3.handlers.DeleteBucketPolicyHandler;
import fr.coffre.s3.handlers.DeleteBucketTaggingHandler;
import fr.coffre.s3.handlers.DeleteObjectHandler;
import fr.coffre.s3.handlers.DeleteObjectTaggingHandler;
import fr.coffre.s3.handlers.DeleteObjectsHandler;
import fr.coffre.s3.handlers.DeletePublicAccessBlockHandler;
import fr.coffre.s3.handlers.ExportAuditTrailHandler;
import fr.coffre.s3.handlers.GetBucketAclHandler;
import fr.coffre.s3.handlers.GetBucketCorsHandler;
import fr.coffre.s3.handlers.GetBucketEncryptionHandler;
import fr.coffre.s3.handlers.GetBucketLifecycleConfigurationHandler;
import fr.coffre.s3.handlers.GetBucketLocationHandler;
import fr.coffre.s3.handlers.GetBucketLoggingHandler;
import fr.coffre.s3.handlers.GetBucketNotificationHandler;
import fr.coffre.s3.handlers.GetBucketOwnershipControlsHandler;
import fr.coffre.s3.handlers.GetBucketPolicyHandler;
import fr.coffre.s3.handlers.GetBucketPolicyStatusHandler;
import fr.coffre.s3.handlers.GetBucketTaggingHandler;
import fr.coffre.s3.handlers.GetBucketVersioningHandler;
import fr.coffre.s3.handlers.GetObjectAclHandler;
import fr.coffre.s3.handlers.GetObjectAttributesHandler;
import fr.coffre.s3.handlers.GetObjectHandler;
import fr.coffre.s3.handlers.GetObjectLegalHoldHandler;
import fr.coffre.s3.handlers.GetObjectLockConfigurationHandler;
import fr.coffre.s3.handlers.GetObjectRetentionHandler;
import fr.coffre.s3.handlers.GetObjectTaggingHandler;
import fr.coffre.s3.handlers.GetPublicAccessBlockHandler;
import fr.coffre.s3.handlers.HeadBucketHandler;
import fr.coffre.s3.handlers.HeadObjectHandler;
import fr.coffre.s3.handlers.ListBucketsHandler;
import fr.coffre.s3.handlers.ListMultipartUploadsHandler;
import fr.coffre.s3.handlers.ListObjectVersionsHandler;
import fr.coffre.s3.handlers.ListObjectsHandler;
import fr.coffre.s3.handlers.ListObjectsV2Handler;
import fr.coffre.s3.handlers.ListPartsHandler;
import fr.coffre.s3.handlers.PostObjectHandler;
import fr.coffre.s3.handlers.PreflightHandler;
import fr.coffre.s3.handlers.PutBucketAclHandler;
import fr.coffre.s3.handlers.PutBucketCorsHandler;
import fr.coffre.s3.handlers.PutBucketEncryptionHandler;
import fr.coffre.s3.handlers.PutBucketLifecycleConfigurationHandler;
import fr.coffre.s3.handlers.PutBucketLoggingHandler;
import fr.coffre.s3.handlers.PutBucketNotificationHandler;
import fr.coffre.s3.handlers.PutBucketOwnershipControlsHandler;
import fr.coffre.s3.handlers.PutBucketPolicyHandler;
import fr.coffre.s3.handlers.PutBucketTaggingHandler;
import fr.coffre.s3.handlers.PutBucketVersioningHandler;
import fr.coffre.s3.handlers.PutObjectAclHandler;
import fr.coffre.s3.handlers.PutObjectHandler;
import fr.coffre.s3.handlers.PutObjectLegalHoldHandler;
import fr.coffre.s3.handlers.PutObjectLockConfigurationHandler;
import fr.coffre.s3.handlers.PutObjectRetentionHandler;
import fr.coffre.s3.handlers.PutObjectTaggingHandler;
import fr.coffre.s3.handlers.PutPublicAccessBlockHandler;
import fr.coffre.s3.handlers.UploadPartCopyHandler;
import fr.coffre.s3.handlers.UploadPartHandler;
import fr.coffre.s3.query.QueryApi;
import fr.coffre.service.AccessLogs;
import fr.coffre.service.AccessService;
import fr.coffre.service.AuditService;
import fr.coffre.service.BucketService;
import fr.coffre.service.IdentityService;
import fr.coffre.service.KeyService;
import fr.coffre.service.Lockouts;
import fr.coffre.service.MultipartService;
import fr.coffre.service.Notifications;
import fr.coffre.service.ObjectService;
import fr.coffre.service.RoleService;
import fr.coffre.service.StsService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The S3 edge assembled from the services: the table from each operation to its handler,
 * authentication (SigV4, and SigV2 unless turned off, over the identity service's keys; SigV2
 * refused on buckets whose class forbids it; per-address lock-outs; the seal gate), and the {@link
 * S3Handler} that serves it all.
 */
public final class S3Api {
  private S3Api() {}

  /** The services the S3 edge uses. */
  public record Services(
      BucketService buckets,
      ObjectService objects,
      MultipartService multipart,
      KeyService keys,
      IdentityService identities,
      AccessService access,
      AuditService audit,
      Lockouts lockouts,
      Notifications notifications,
      AccessLogs accessLogs) {}

  /**
   * The settings that show in S3 answers.
   *
   * @param domain the virtual-host domain, or null for path style only
   * @param loopback whether the listener is only reachable from this machine (SSE-C may use HTTP)
   * @param rootAccessKey the root's access key, from which the owner id shown is derived
   * @param spool a private directory for audit exports
   * @param sigV2 whether requests signed with AWS Signature Version 2 are accepted (where the
   *     bucket's class allows it); when false they get S3's "Please use AWS4-HMAC-SHA256"
   */
  public record Settings(
      String region,
      String domain,
      boolean loopback,
      String rootAccessKey,
      Path spool,
      boolean sigV2) {
    /** Settings with Signature Version 2 accepted. */
    public Settings(
        String region, String domain, boolean loopback, String rootAccessKey, Path spool) {
      this(region, domain, loopback, rootAccessKey, spool, true);
    }
  }

  /**
   * The S3 handler; {@code sealed} (or null when the root key is never sealed) says when every
   * request must be refused (503) because the root key is still sealed.
   */
  public static S3Handler handler(
      Services s,
      Settings settings,
      BooleanSupplier sealed,
      RequestObserver observer,
      Clock clock) {
    AccessControl accessControl = new AccessControl(s.identities(), s.access());
    ApiContext ctx =
        new ApiContext(
            s.buckets(),
            s.objects(),
            s.multipart(),
            s.keys(),
            settings.region(),
            credentials(s.identities()),
            settings.loopback(),
            accessControl,
            s.access(),
            s.notifications());
    Map<S3Operation, S3Action> actions = actions(ctx);
    actions.put(
        S3Operation.EXPORT_AUDIT_TRAIL, new ExportAuditTrailHandler(s.audit(), settings.spool()));
    SigV4Verifier v4 = new SigV4Verifier(credentials(s.identities()));
    SignatureVerifier verifier =
        settings.sigV2()
            ? new SignatureVerifier(
                v4, new SigV2Verifier(s.identities()::secretKey, settings.domain()))
            : SignatureVerifier.v4Only(v4);
    RequestAuthenticator authenticator =
        refusingSigV2ByClass(
            lockingOut(new SigV4Authenticator(verifier, true), s.lockouts()),
            s.buckets(),
            settings.domain());
    if (sealed != null) {
      authenticator = gated(authenticator, sealed);
    }
    AuditService audit = s.audit();
    AccessLogging accessLogging = new AccessLogging(ctx, s.accessLogs());
    RequestRecorder recorder =
        new RequestRecorder() {
          @Override
          public void started(AuditEvent event, Principal principal) {
            audit.record(event, principal, null);
          }

          @Override
          public void record(AuditEvent event, Principal principal, String claimed) {
            audit.record(event, principal, claimed);
          }

          @Override
          public void served(AuditEvent event, Served served) {
            accessLogging.served(event, served);
          }
        };
    return new S3Handler(
        actions,
        authenticator,
        accessControl,
        new CorsRules(ctx),
        observer,
        recorder,
        settings.domain(),
        clock);
  }

  /**
   * The identity service's keys as signatures look them up: long-term keys, and temporary
   * credentials (STS) with their session token.
   */
  static CredentialLookup credentials(IdentityService identities) {
    return new CredentialLookup() {
      @Override
      public Optional<String> secretKey(String accessKeyId) {
        return identities.secretKey(accessKeyId);
      }

      @Override
      public Optional<String> secretKey(String accessKeyId, @Nullable String sessionToken) {
        return identities.secretKey(accessKeyId, sessionToken);
      }
    };
  }

  /**
   * The STS and IAM query APIs served on the S3 endpoint ({@link S3Handler#queryApi}).
   *
   * @param sealed whether the root key is sealed now (every call refused), or null when it never is
   */
  public static QueryApi queryApi(
      Services s, RoleService roles, StsService sts, BooleanSupplier sealed, Clock clock) {
    return new QueryApi(
        new SigV4Verifier(credentials(s.identities())),
        s.identities(),
        roles,
        sts,
        s.access(),
        s.audit(),
        sealed,
        clock);
  }

  /** The table from each S3 operation to the handler that serves it. */
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
    m.put(S3Operation.GET_BUCKET_LOGGING, new GetBucketLoggingHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_LOGGING, new PutBucketLoggingHandler(ctx));
    m.put(S3Operation.GET_BUCKET_NOTIFICATION, new GetBucketNotificationHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_NOTIFICATION, new PutBucketNotificationHandler(ctx));
    m.put(S3Operation.PREFLIGHT, new PreflightHandler(ctx));
    m.put(S3Operation.GET_BUCKET_ACL, new GetBucketAclHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_ACL, new PutBucketAclHandler(ctx));
    m.put(S3Operation.GET_OBJECT_ACL, new GetObjectAclHandler(ctx));
    m.put(S3Operation.PUT_OBJECT_ACL, new PutObjectAclHandler(ctx));
    m.put(S3Operation.GET_BUCKET_VERSIONING, new GetBucketVersioningHandler(ctx));
    m.put(S3Operation.GET_BUCKET_OWNERSHIP_CONTROLS, new GetBucketOwnershipControlsHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_OWNERSHIP_CONTROLS, new PutBucketOwnershipControlsHandler(ctx));
    m.put(
        S3Operation.DELETE_BUCKET_OWNERSHIP_CONTROLS,
        new DeleteBucketOwnershipControlsHandler(ctx));
    m.put(S3Operation.GET_PUBLIC_ACCESS_BLOCK, new GetPublicAccessBlockHandler(ctx));
    m.put(S3Operation.PUT_PUBLIC_ACCESS_BLOCK, new PutPublicAccessBlockHandler(ctx));
    m.put(S3Operation.DELETE_PUBLIC_ACCESS_BLOCK, new DeletePublicAccessBlockHandler(ctx));
    m.put(
        S3Operation.GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,
        new AccountPublicAccessBlockHandler(ctx, AccountPublicAccessBlockHandler.Verb.GET));
    m.put(
        S3Operation.PUT_ACCOUNT_PUBLIC_ACCESS_BLOCK,
        new AccountPublicAccessBlockHandler(ctx, AccountPublicAccessBlockHandler.Verb.PUT));
    m.put(
        S3Operation.DELETE_ACCOUNT_PUBLIC_ACCESS_BLOCK,
        new AccountPublicAccessBlockHandler(ctx, AccountPublicAccessBlockHandler.Verb.DELETE));
    m.put(S3Operation.GET_BUCKET_POLICY_STATUS, new GetBucketPolicyStatusHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_VERSIONING, new PutBucketVersioningHandler(ctx));
    m.put(S3Operation.GET_OBJECT_LOCK_CONFIGURATION, new GetObjectLockConfigurationHandler(ctx));
    m.put(S3Operation.PUT_OBJECT_LOCK_CONFIGURATION, new PutObjectLockConfigurationHandler(ctx));
    m.put(S3Operation.GET_OBJECT_RETENTION, new GetObjectRetentionHandler(ctx));
    m.put(S3Operation.PUT_OBJECT_RETENTION, new PutObjectRetentionHandler(ctx));
    m.put(S3Operation.GET_OBJECT_LEGAL_HOLD, new GetObjectLegalHoldHandler(ctx));
    m.put(S3Operation.PUT_OBJECT_LEGAL_HOLD, new PutObjectLegalHoldHandler(ctx));
    m.put(S3Operation.GET_BUCKET_ENCRYPTION, new GetBucketEncryptionHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_ENCRYPTION, new PutBucketEncryptionHandler(ctx));
    m.put(S3Operation.DELETE_BUCKET_ENCRYPTION, new DeleteBucketEncryptionHandler(ctx));
    m.put(S3Operation.POST_OBJECT, new PostObjectHandler(ctx));
    m.put(S3Operation.GET_BUCKET_POLICY, new GetBucketPolicyHandler(ctx));
    m.put(S3Operation.PUT_BUCKET_POLICY, new PutBucketPolicyHandler(ctx));
    m.put(S3Operation.DELETE_BUCKET_POLICY, new DeleteBucketPolicyHandler(ctx));
    m.put(
        S3Operation.GET_BUCKET_LIFECYCLE_CONFIGURATION,
        new GetBucketLifecycleConfigurationHandler(ctx));
    m.put(
        S3Operation.PUT_BUCKET_LIFECYCLE_CONFIGURATION,
        new PutBucketLifecycleConfigurationHandler(ctx));
    m.put(S3Operation.DELETE_BUCKET_LIFECYCLE, new DeleteBucketLifecycleHandler(ctx));
    return m;
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
        if (e.error() == S3Error.SIGNATURE_DOES_NOT_MATCH
            || e.error() == S3Error.INVALID_ACCESS_KEY_ID) {
          lockouts.failedSignature(e.details().get("AWSAccessKeyId"), request.remoteAddress());
        }
        throw e;
      }
      if (auth.accessKey() != null) {
        Instant until = lockouts.lockedUntil(auth.accessKey(), request.remoteAddress());
        if (until != null) {
          throw new S3Exception(
              S3Error.ACCESS_DENIED,
              "Too many failed authentications with this access key from this address; it is locked until "
                  + until);
        }
      }
      return auth;
    };
  }

  /**
   * Refuses a request signed with Signature Version 2 whose bucket (or copy source bucket) is of a
   * sensitivity class that forbids it, with InvalidRequest naming the class. It runs after the
   * signature holds, so that the class of a bucket is never told to someone who cannot sign, and
   * before any action reads or writes.
   */
  static RequestAuthenticator refusingSigV2ByClass(
      RequestAuthenticator inner, BucketService buckets, String domain) {
    return (request, body, now) -> {
      RequestAuthenticator.Authenticated auth = inner.authenticate(request, body, now);
      if (auth.signatureVersion() != 2) {
        return auth;
      }
      List<String> named = new ArrayList<>(2);
      named.add(Address.of(request, domain).bucket());
      String copySource = request.header("x-amz-copy-source");
      if (copySource != null) {
        String source = Percent.decode(copySource.strip(), false);
        source = source.startsWith("/") ? source.substring(1) : source;
        int slash = source.indexOf('/');
        named.add(slash < 0 ? source : source.substring(0, slash));
      }
      for (String name : named) {
        String refusing = sigV2Refusal(buckets, name);
        if (refusing != null) {
          throw new S3Exception(
              S3Error.INVALID_REQUEST,
              "Buckets of sensitivity class '"
                  + refusing
                  + "' do not accept AWS Signature Version 2 (HMAC-SHA1); sign with "
                  + SigV4.ALGORITHM
                  + ".");
        }
      }
      return auth;
    };
  }

  private static String sigV2Refusal(BucketService buckets, String name) {
    if (name == null) {
      return null;
    }
    try {
      return buckets.refusingSigV2(new BucketName(name)).orElse(null);
    } catch (InvalidBucketNameException e) {
      return null; // the action answers InvalidBucketName / NoSuchBucket itself
    }
  }

  /**
   * Refuses every request (503, SealedException) while {@code sealed} says the root key is sealed.
   */
  static RequestAuthenticator gated(RequestAuthenticator inner, BooleanSupplier sealed) {
    return (request, body, now) -> {
      if (sealed.getAsBoolean()) {
        throw new SealedException();
      }
      return inner.authenticate(request, body, now);
    };
  }
}
