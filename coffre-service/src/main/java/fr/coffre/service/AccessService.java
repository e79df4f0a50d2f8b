package fr.coffre.service;

import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.Principal;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.AccessDecision;
import fr.coffre.policy.Caller;
import fr.coffre.policy.Decision;
import fr.coffre.policy.MalformedPolicyException;
import fr.coffre.policy.Policy;
import fr.coffre.policy.RequestContext;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a principal may perform an S3 action on a bucket or an object, as AWS does:
 * explicit deny wins, then an allow from the caller's identity policies, the bucket's policy or the
 * ACL of the bucket or object ({@link AclService}; a resource-side allow and an identity-side one
 * are both needed across tenants), else deny. Also keeps bucket policies.
 *
 * <p>The bucket's owner and policy are read on every request (a bucket can change hands when it is
 * deleted and created again); parsed policies are cached by their text.
 */
public final class AccessService {
  /** The bucket setting that holds the bucket policy document. */
  public static final String POLICY_SETTING = "policy";

  private static final int PARSED_CACHE_MAX = 1_000;
  private static final Set<String> OWNER_ROOT_ALWAYS =
      Set.of("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy");

  private final MetadataStore store;
  private final IdentityService identities;
  private final AclService acls;
  private final Clock clock;
  private final Map<String, Policy> parsed = new ConcurrentHashMap<>();

  public AccessService(
      MetadataStore store, IdentityService identities, AclService acls, Clock clock) {
    this.store = store;
    this.identities = identities;
    this.acls = acls;
    this.clock = clock;
  }

  /** The ACLs, ownership and public access blocks that take part in decisions. */
  public AclService acls() {
    return acls;
  }

  /** The bucket's ARN, or an object's when {@code key} is not null. */
  public static String arn(String bucket, String key) {
    if (bucket == null) {
      return "arn:aws:s3:::*";
    }
    return key == null ? "arn:aws:s3:::" + bucket : "arn:aws:s3:::" + bucket + "/" + key;
  }

  /**
   * Refuses (AccessDeniedException) what the policies in force do not allow.
   *
   * @param bucket the bucket addressed, or null for the service (ListBuckets)
   * @param key the object addressed, or null for a bucket action
   * @param conditions the request's condition keys (aws:SourceIp, s3:prefix, ...); those that
   *     describe the caller and the time are added here
   */
  public void authorize(
      Principal principal,
      String action,
      BucketName bucket,
      String key,
      Map<String, List<String>> conditions) {
    // Creating a bucket is judged on the caller's own rights: if the name is taken, the creation
    // fails on its own (BucketAlreadyExists, or AlreadyOwnedByYou), as in S3.
    Optional<BucketRecord> record =
        bucket == null || action.equals("s3:CreateBucket")
            ? Optional.empty()
            : store.bucket(bucket);
    String ownerAccount;
    if (record.isPresent()) {
      ownerAccount = identities.tenant(record.get().tenant()).accountId();
    } else {
      // A bucket that does not exist (yet): only the caller's own rights count, and the action
      // then fails on its own (NoSuchBucket) or creates the bucket for the caller's tenant.
      ownerAccount = principal.accountId();
    }
    if (ownerAccount == null) {
      // Anonymous, and no bucket whose policy could grant anything (ListBuckets, a missing bucket).
      throw new AccessDeniedException("Access Denied");
    }
    boolean ownerRoot = principal.isRoot() && principal.accountId().equals(ownerAccount);
    if (ownerRoot && OWNER_ROOT_ALWAYS.contains(action)) {
      return; // as in AWS: a bucket policy cannot lock its owner out of changing it
    }
    Policy bucketPolicy =
        record
            .flatMap(b -> store.bucketSetting(b.name(), POLICY_SETTING))
            .map(doc -> bucketPolicy(doc, bucket.value()))
            .orElse(null);
    RequestContext ctx =
        new RequestContext(
            caller(principal),
            action,
            arn(bucket == null ? null : bucket.value(), key),
            withCaller(principal, conditions));
    boolean restrict =
        bucketPolicy != null
            && bucketPolicy.isPublic()
            && acls.effectivePublicAccessBlock(bucket).restrictPublicBuckets();
    String versionId = first(conditions.get("s3:versionid"));
    Decision d =
        AccessDecision.decide(
            ctx,
            ownerAccount,
            identities.policiesOf(principal),
            bucketPolicy,
            () ->
                record.isEmpty()
                    ? Optional.empty()
                    : acls.grant(principal, action, record.get(), key, versionId),
            restrict);
    if (!d.allowed()) {
      throw new AccessDeniedException("Access Denied");
    }
  }

  /**
   * Refuses (AccessDeniedException) an IAM or STS action of a tenant's own (iam:CreateUser on
   * {@code arn:aws:iam::ACCOUNT:user/NAME}, ...) that the caller's identity policies do not allow;
   * the tenant's root may do all of them. Only the caller's own tenant is ever addressed.
   */
  public void authorizeIam(
      Principal principal, String action, String resource, Map<String, List<String>> conditions) {
    if (principal.isAnonymous()) {
      throw new AccessDeniedException("Access Denied");
    }
    RequestContext ctx =
        new RequestContext(caller(principal), action, resource, withCaller(principal, conditions));
    Decision d =
        AccessDecision.decide(ctx, principal.accountId(), identities.policiesOf(principal), null);
    if (!d.allowed()) {
      throw new AccessDeniedException(
          "User: "
              + principal.arn()
              + " is not authorized to perform: "
              + action
              + " on resource: "
              + resource);
    }
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  static Caller caller(Principal p) {
    if (p.isRoleSession()) {
      return Caller.roleSession(p.accountId(), p.role(), p.session());
    }
    return new Caller(p.accountId(), p.user(), p.isAnonymous(), p.isRoot());
  }

  private Map<String, List<String>> withCaller(Principal p, Map<String, List<String>> conditions) {
    Map<String, List<String>> all = new HashMap<>(conditions);
    Instant now = clock.instant();
    all.put("aws:CurrentTime", List.of(now.toString()));
    all.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
    if (!p.isAnonymous()) {
      all.put("aws:PrincipalAccount", List.of(p.accountId()));
      all.put("aws:PrincipalArn", List.of(p.arn()));
      if (p.isRoleSession()) {
        all.put("aws:userid", List.of(p.role() + ":" + p.session()));
      } else {
        all.put("aws:userid", List.of(p.isRoot() ? p.accountId() : p.accountId() + ":" + p.user()));
      }
      if (!p.isRoot() && !p.isRoleSession()) {
        all.put("aws:username", List.of(p.user()));
      }
    }
    return all;
  }

  Policy bucketPolicy(String document, String bucket) {
    Policy p = parsed.get(document);
    if (p == null) {
      try {
        p = Policy.parseBucketPolicy(document, bucket);
      } catch (MalformedPolicyException e) {
        throw new fr.coffre.core.MalformedPolicyException(e.getMessage());
      }
      if (parsed.size() >= PARSED_CACHE_MAX) {
        parsed.clear();
      }
      parsed.put(document, p);
    }
    return p;
  }

  // ------------------------------------------------------------------ bucket policies

  /** Validates and sets a bucket's policy; MalformedPolicyException says what is wrong. */
  public void putBucketPolicy(BucketName bucket, String document) {
    if (store.bucket(bucket).isEmpty()) {
      throw new NoSuchBucketException(bucket.value());
    }
    Policy p = bucketPolicy(document, bucket.value());
    acls.checkPolicy(bucket, p.isPublic());
    store.putBucketSetting(bucket, POLICY_SETTING, document);
  }

  public Optional<String> bucketPolicy(BucketName bucket) {
    return store.bucketSetting(bucket, POLICY_SETTING);
  }

  /** Whether the bucket's policy allows everyone (S3's "public"; false without a policy). */
  public boolean bucketPolicyIsPublic(BucketName bucket) {
    return store
        .bucketSetting(bucket, POLICY_SETTING)
        .map(doc -> bucketPolicy(doc, bucket.value()).isPublic())
        .orElse(false);
  }

  public void deleteBucketPolicy(BucketName bucket) {
    store.putBucketSetting(bucket, POLICY_SETTING, null);
  }
}
