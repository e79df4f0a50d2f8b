package fr.coffre.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.Principal;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.UserRecord;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.AccessDecision;
import fr.coffre.policy.AccessReview;
import fr.coffre.policy.Policy;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The questions an auditor asks, answered from the policies in force: who can access a bucket and
 * with which actions, what can a user do, and a tenant's whole access review.
 *
 * <p>Answers are judged without a live request, so a grant that depends on conditions (source
 * address, TLS, prefix...) is reported as conditional, never as allowed. Object actions are judged
 * on the whole bucket ({@code bucket/*}) and on every narrower resource that a policy names inside
 * it (for instance {@code bucket/home/alice/*}), so grants on part of a bucket are shown too.
 */
public final class AccessReviews {
  /** The bucket-level actions Coffre serves, as policies name them. */
  public static final List<String> BUCKET_ACTIONS =
      List.of(
          "s3:ListBucket",
          "s3:ListBucketMultipartUploads",
          "s3:ListBucketVersions",
          "s3:GetBucketLocation",
          "s3:DeleteBucket",
          "s3:GetBucketPolicy",
          "s3:PutBucketPolicy",
          "s3:DeleteBucketPolicy",
          "s3:GetBucketTagging",
          "s3:PutBucketTagging",
          "s3:GetBucketCORS",
          "s3:PutBucketCORS",
          "s3:GetBucketNotification",
          "s3:PutBucketNotification",
          "s3:GetBucketLogging",
          "s3:PutBucketLogging",
          "s3:GetEncryptionConfiguration",
          "s3:PutEncryptionConfiguration",
          "s3:GetBucketAcl",
          "s3:PutBucketAcl",
          "s3:GetBucketOwnershipControls",
          "s3:PutBucketOwnershipControls",
          "s3:GetBucketPublicAccessBlock",
          "s3:PutBucketPublicAccessBlock",
          "s3:GetBucketPolicyStatus",
          "s3:GetBucketVersioning",
          "s3:PutBucketVersioning",
          "s3:GetLifecycleConfiguration",
          "s3:PutLifecycleConfiguration");

  /** The object-level actions Coffre serves, as policies name them. */
  public static final List<String> OBJECT_ACTIONS =
      List.of(
          "s3:GetObject",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
          "s3:GetObjectAttributes",
          "s3:GetObjectTagging",
          "s3:PutObjectTagging",
          "s3:DeleteObjectTagging",
          "s3:GetObjectAcl",
          "s3:PutObjectAcl");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one principal may do on one resource. */
  public record Scope(
      String resource,
      List<String> allowed,
      List<String> conditional,
      List<String> conditionallyDenied) {}

  /**
   * One principal's access to a bucket, resource by resource; only principals with some access are
   * listed.
   */
  public record Grant(
      String principal,
      String tenant,
      String user,
      String kind,
      boolean enabled,
      List<Scope> scopes) {}

  public record BucketAccess(
      String bucket,
      String ownerTenant,
      String ownerAccount,
      Object bucketPolicy,
      List<Grant> principals,
      String generated) {}

  public record BucketGrant(String bucket, String ownerTenant, List<Scope> scopes) {}

  public record UserAccess(
      String tenant,
      String user,
      String arn,
      boolean enabled,
      List<String> activeAccessKeys,
      Map<String, Object> policies,
      List<BucketGrant> buckets,
      String generated) {}

  public record KeyEntry(String accessKeyId, String user, String status, String created) {}

  public record TenantReview(
      String tenant,
      String accountId,
      String generated,
      List<UserAccess> users,
      List<KeyEntry> accessKeys,
      List<BucketAccess> buckets,
      String note) {}

  private final MetadataStore store;
  private final IdentityService identities;
  private final AccessService access;
  private final Clock clock;

  public AccessReviews(
      MetadataStore store, IdentityService identities, AccessService access, Clock clock) {
    this.store = store;
    this.identities = identities;
    this.access = access;
    this.clock = clock;
  }

  /** Who can access a bucket: the owner's root and users, other tenants' principals, anonymous. */
  public BucketAccess bucketAccess(BucketName name) {
    BucketRecord b = store.bucket(name).orElseThrow(() -> new NoSuchBucketException(name.value()));
    String owner = identities.tenant(b.tenant()).accountId();
    Policy bucketPolicy =
        access
            .bucketPolicy(b.name())
            .map(doc -> access.bucketPolicy(doc, name.value()))
            .orElse(null);
    List<Grant> grants = new ArrayList<>();
    for (TenantRecord t : store.tenants()) {
      addIfAny(
          grants, b, owner, bucketPolicy, new Principal(t.name(), t.accountId(), null, null), true);
      for (UserRecord u : store.users(t.name())) {
        addIfAny(
            grants,
            b,
            owner,
            bucketPolicy,
            new Principal(t.name(), t.accountId(), u.name(), null),
            u.enabled());
      }
    }
    addIfAny(grants, b, owner, bucketPolicy, Principal.anonymous(), true);
    return new BucketAccess(
        name.value(),
        b.tenant(),
        owner,
        access.bucketPolicy(b.name()).map(AccessReviews::tree).orElse(null),
        grants,
        clock.instant().toString());
  }

  private void addIfAny(
      List<Grant> grants,
      BucketRecord b,
      String owner,
      Policy bucketPolicy,
      Principal p,
      boolean enabled) {
    List<Scope> scopes = scopes(b, owner, bucketPolicy, p);
    if (!scopes.isEmpty()) {
      grants.add(
          new Grant(
              p.isAnonymous() ? "anonymous" : p.arn(),
              p.tenant(),
              p.user(),
              p.isAnonymous() ? "anonymous" : p.isRoot() ? "tenant-root" : "user",
              enabled,
              scopes));
    }
  }

  /**
   * The resources to judge: the bucket, all its objects, and each narrower resource a policy names.
   */
  private List<Scope> scopes(BucketRecord b, String owner, Policy bucketPolicy, Principal p) {
    String bucketArn = AccessService.arn(b.name().value(), null);
    Set<String> objectResources = new LinkedHashSet<>();
    objectResources.add(bucketArn + "/*");
    List<String> documents = new ArrayList<>();
    access.bucketPolicy(b.name()).ifPresent(documents::add);
    if (!p.isAnonymous() && !p.isRoot()) {
      documents.addAll(store.userPolicies(p.tenant(), p.user()).values());
    }
    for (String doc : documents) {
      for (String r : resources(doc)) {
        String probe = p.user() == null ? r : r.replace("${aws:username}", p.user());
        if (probe.startsWith(bucketArn + "/") && !probe.contains("${")) {
          objectResources.add(probe);
        }
      }
    }
    List<Policy> identity = identities.policiesOf(p);
    List<Scope> scopes = new ArrayList<>();
    Scope bucketScope = judge(p, bucketArn, BUCKET_ACTIONS, owner, identity, bucketPolicy);
    if (bucketScope != null) {
      scopes.add(bucketScope);
    }
    for (String r : objectResources) {
      Scope s = judge(p, r, OBJECT_ACTIONS, owner, identity, bucketPolicy);
      if (s != null) {
        scopes.add(s);
      }
    }
    return scopes;
  }

  private static Scope judge(
      Principal p,
      String resource,
      List<String> actions,
      String owner,
      List<Policy> identity,
      Policy bucketPolicy) {
    List<String> allowed = new ArrayList<>();
    List<String> conditional = new ArrayList<>();
    List<String> conditionallyDenied = new ArrayList<>();
    for (String action : actions) {
      AccessReview r =
          AccessDecision.review(
              AccessService.caller(p), action, resource, owner, identity, bucketPolicy);
      switch (r.review()) {
        case ALLOWED -> allowed.add(action);
        case CONDITIONAL -> conditional.add(action);
        case CONDITIONALLY_DENIED -> conditionallyDenied.add(action);
        case NOT_GRANTED, DENIED -> {}
      }
    }
    if (allowed.isEmpty() && conditional.isEmpty() && conditionallyDenied.isEmpty()) {
      return null;
    }
    return new Scope(resource, allowed, conditional, conditionallyDenied);
  }

  /**
   * Every Resource string of a policy document (NotResource is judged by the evaluation itself).
   */
  private static List<String> resources(String document) {
    List<String> out = new ArrayList<>();
    JsonNode root = tree(document);
    JsonNode statements = root.path("Statement");
    for (JsonNode s : statements.isArray() ? statements : List.of(statements)) {
      JsonNode r = s.path("Resource");
      if (r.isTextual()) {
        out.add(r.asText());
      } else if (r.isArray()) {
        r.forEach(n -> out.add(n.asText()));
      }
    }
    return out;
  }

  private static JsonNode tree(String document) {
    try {
      return JSON.readTree(document);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  /** What a user can do: its policies, and its access to every bucket where it has some. */
  public UserAccess userAccess(String tenant, String user) {
    UserRecord u = identities.user(tenant, user);
    TenantRecord t = identities.tenant(tenant);
    Principal p = new Principal(t.name(), t.accountId(), u.name(), null);
    List<BucketGrant> grants = new ArrayList<>();
    for (BucketRecord b : store.buckets()) {
      String owner = identities.tenant(b.tenant()).accountId();
      Policy bucketPolicy =
          access
              .bucketPolicy(b.name())
              .map(doc -> access.bucketPolicy(doc, b.name().value()))
              .orElse(null);
      List<Scope> scopes = scopes(b, owner, bucketPolicy, p);
      if (!scopes.isEmpty()) {
        grants.add(new BucketGrant(b.name().value(), b.tenant(), scopes));
      }
    }
    Map<String, Object> policies = new LinkedHashMap<>();
    store.userPolicies(tenant, user).forEach((k, v) -> policies.put(k, tree(v)));
    List<String> keys =
        store.accessKeys(tenant, user).stream()
            .filter(AccessKeyRecord::enabled)
            .map(AccessKeyRecord::accessKeyId)
            .toList();
    return new UserAccess(
        tenant, user, p.arn(), u.enabled(), keys, policies, grants, clock.instant().toString());
  }

  /**
   * A tenant's access review, to export: users, keys, policies, and who can do what on each bucket.
   */
  public TenantReview export(String tenant) {
    TenantRecord t = identities.tenant(tenant);
    List<UserAccess> users =
        store.users(tenant).stream().map(u -> userAccess(tenant, u.name())).toList();
    List<KeyEntry> keys =
        store.accessKeys(tenant, null).stream()
            .map(
                k ->
                    new KeyEntry(
                        k.accessKeyId(),
                        k.user(),
                        k.enabled() ? "Active" : "Inactive",
                        k.created().toString()))
            .toList();
    List<BucketAccess> buckets =
        store.buckets(tenant).stream().map(b -> bucketAccess(b.name())).toList();
    return new TenantReview(
        t.name(),
        t.accountId(),
        clock.instant().toString(),
        users,
        keys,
        buckets,
        "judged from the policies in force; conditional grants depend on the request (source address, TLS, prefix...)"
            + (TenantRecord.DEFAULT.equals(tenant)
                ? "; the root credentials hold every right over this tenant's buckets"
                : ""));
  }
}
