package fr.coffre.service;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.AccessControlList.Grant;
import fr.coffre.core.AccessControlList.Grantee;
import fr.coffre.core.AccessControlList.Permission;
import fr.coffre.core.AclException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.CanonicalIds;
import fr.coffre.core.DeleteMarkerException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.NoSuchVersionException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.Principal;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.UserRecord;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.AclGrant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Access control lists, Object Ownership and Block Public Access, as S3 has them.
 *
 * <p>Storage: a bucket's ACL, ownership and public access block are bucket settings ({@link
 * #ACL_SETTING}, ...); an object version's ACL is a column of its row, null for the default one
 * (the bucket owner's tenant has full control). Owners and canonical grantees are tenants (S3's
 * accounts) or users, named by {@link CanonicalIds}.
 *
 * <p>Rules, in the order a write meets them: the bucket's Object Ownership (BucketOwnerEnforced
 * disables ACLs: only the owner-only ones are accepted, {@code AccessControlListNotSupported}
 * otherwise); then, for an ACL that grants AllUsers or AuthenticatedUsers, the bucket's sensitivity
 * class (a class that forbids public access refuses it, {@code InvalidRequest} naming the class)
 * and BlockPublicAcls ({@code AccessDenied}). Nothing is changed when a rule refuses.
 *
 * <p>Authorization ({@link #grant}): what the ACL grants the caller for an IAM action, which {@link
 * AccessService} combines with the policies. Bucket READ lists, WRITE puts and deletes objects,
 * READ_ACP and WRITE_ACP read and change the ACL; object READ gets (and heads) the object. Under
 * BucketOwnerEnforced ACLs grant nothing; with IgnorePublicAcls the group grants are skipped.
 */
public final class AclService {
  /** The bucket setting that holds the bucket's ACL (absent: the default, owner-only one). */
  public static final String ACL_SETTING = "acl";

  public static final String OWNERSHIP_SETTING = "ownership";
  public static final String PUBLIC_ACCESS_BLOCK_SETTING = "public-access-block";

  private final MetadataStore store;
  private final IdentityService identities;
  private final BucketService buckets;

  public AclService(MetadataStore store, IdentityService identities, BucketService buckets) {
    this.store = store;
    this.identities = identities;
    this.buckets = buckets;
  }

  // ------------------------------------------------------------------ owners and canonical ids

  /** The canonical user of a tenant (its account): id and display name (the tenant's name). */
  public Grantee tenantGrantee(String tenant) {
    TenantRecord t = identities.tenant(tenant);
    return Grantee.user(CanonicalIds.ofAccount(t.accountId()), t.name());
  }

  /**
   * Whether {@code expected} (x-amz-expected-bucket-owner) names the owner of {@code bucket}: its
   * tenant's twelve-digit account id or canonical user id. True for a bucket that does not exist
   * (the operation then answers NoSuchBucket itself).
   */
  public boolean isExpectedOwner(BucketName bucket, String expected) {
    Optional<BucketRecord> b = store.bucket(bucket);
    if (b.isEmpty()) {
      return true;
    }
    String accountId = identities.tenant(b.get().tenant()).accountId();
    String given = expected.trim();
    return given.equals(accountId) || given.equals(CanonicalIds.ofAccount(accountId));
  }

  /** The owner shown for what {@code principal} owns: its tenant (anonymous has none). */
  public Grantee ownerOf(Principal principal) {
    if (principal.isAnonymous()) {
      throw new InvalidArgumentException("an anonymous caller owns nothing");
    }
    return Grantee.user(
        CanonicalIds.ofAccount(Objects.requireNonNull(principal.accountId())), principal.tenant());
  }

  /** The canonical user an id names (a tenant or a user of any tenant), if there is one. */
  public Optional<Grantee> canonicalUser(String id) {
    for (TenantRecord t : identities.tenants()) {
      if (CanonicalIds.ofAccount(t.accountId()).equals(id)) {
        return Optional.of(Grantee.user(id, t.name()));
      }
    }
    for (TenantRecord t : identities.tenants()) {
      for (UserRecord u : identities.users(t.name())) {
        if (CanonicalIds.ofUser(t.accountId(), u.name()).equals(id)) {
          return Optional.of(Grantee.user(id, CanonicalIds.userDisplayName(t.name(), u.name())));
        }
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ bucket ACLs

  public AccessControlList bucketAcl(BucketName bucket) {
    BucketRecord b = bucket(bucket);
    return store
        .bucketSetting(bucket, ACL_SETTING)
        .map(AccessControlList::decode)
        .orElseGet(() -> AccessControlList.ownerOnly(tenantGrantee(b.tenant())));
  }

  /** Sets a bucket's ACL, if the rules above allow it. */
  public void putBucketAcl(BucketName bucket, AclRequest request) {
    BucketRecord b = bucket(bucket);
    Grantee owner = tenantGrantee(b.tenant());
    AccessControlList acl = resolve(request, owner, owner);
    checkWritable(bucket, acl, owner, request);
    store.putBucketSetting(bucket, ACL_SETTING, ownerOnly(acl, owner) ? null : acl.encode());
  }

  // ------------------------------------------------------------------ object ACLs

  /** The ACL of a version ({@code versionId} null: the current one). */
  public AccessControlList objectAcl(BucketName bucket, ObjectKey key, @Nullable String versionId) {
    ObjectRecord r = version(bucket, key, versionId);
    return r.acl() != null ? r.acl() : AccessControlList.ownerOnly(bucketOwner(bucket));
  }

  /** The owner of a version, as listings show it. */
  public static Grantee ownerOf(ObjectVersion v, Grantee bucketOwner) {
    return v instanceof ObjectRecord r && r.acl() != null ? r.acl().owner() : bucketOwner;
  }

  /** Sets the ACL of a version ({@code versionId} null: the current one); its owner stays. */
  public void putObjectAcl(
      BucketName bucket, ObjectKey key, @Nullable String versionId, AclRequest request) {
    ObjectRecord r = version(bucket, key, versionId);
    Grantee bucketOwner = bucketOwner(bucket);
    Grantee owner = r.acl() != null ? r.acl().owner() : bucketOwner;
    AccessControlList acl = resolve(request, owner, bucketOwner);
    checkWritable(bucket, acl, bucketOwner, request);
    AccessControlList stored =
        owner.id().equals(bucketOwner.id()) && ownerOnly(acl, owner) ? null : acl;
    if (!store.setAcl(bucket, key, r.versionId(), stored)) {
      throw new NoSuchVersionException(key.value(), r.versionId());
    }
  }

  /**
   * The ACL a new object written by {@code writer} gets (null: the default one), as the bucket's
   * Object Ownership and the request's ACL say; refused as {@link #putObjectAcl} refuses.
   */
  public @Nullable AccessControlList forNewObject(
      BucketName bucket, Principal writer, @Nullable AclRequest request) {
    BucketRecord b = bucket(bucket);
    if (request == null && b.tenant().equals(writer.tenant())) {
      return null; // the common case, decided by one read: the owner's tenant writes, default ACL
    }
    Grantee bucketOwner = tenantGrantee(b.tenant());
    ObjectOwnership ownership = ownership(bucket).orElse(ObjectOwnership.OBJECT_WRITER);
    Grantee owner =
        writer.isAnonymous()
                || ownership == ObjectOwnership.BUCKET_OWNER_ENFORCED
                || (ownership == ObjectOwnership.BUCKET_OWNER_PREFERRED
                    && request != null
                    && "bucket-owner-full-control".equals(request.canned()))
            ? bucketOwner
            : ownerOf(writer);
    AccessControlList acl =
        request == null ? AccessControlList.ownerOnly(owner) : resolve(request, owner, bucketOwner);
    if (request != null) {
      checkWritable(bucket, acl, bucketOwner, request);
    }
    if (ownership == ObjectOwnership.BUCKET_OWNER_ENFORCED) {
      return null;
    }
    return owner.id().equals(bucketOwner.id()) && ownerOnly(acl, owner) ? null : acl;
  }

  // ------------------------------------------------------------------ ownership and public access

  public Optional<ObjectOwnership> ownership(BucketName bucket) {
    return store.bucketSetting(bucket, OWNERSHIP_SETTING).map(ObjectOwnership::valueOf);
  }

  /** Sets Object Ownership; BucketOwnerEnforced is refused while the bucket ACL grants others. */
  public void putOwnership(BucketName bucket, ObjectOwnership ownership) {
    BucketRecord b = bucket(bucket);
    if (ownership == ObjectOwnership.BUCKET_OWNER_ENFORCED
        && !ownerOnly(bucketAcl(bucket), tenantGrantee(b.tenant()))) {
      throw new AclException(
          AclException.Reason.BUCKET_ACL_WITH_OWNERSHIP,
          "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
    }
    store.putBucketSetting(bucket, OWNERSHIP_SETTING, ownership.name());
  }

  public void deleteOwnership(BucketName bucket) {
    store.putBucketSetting(bucket, OWNERSHIP_SETTING, null);
  }

  public Optional<PublicAccessBlock> publicAccessBlock(BucketName bucket) {
    return store.bucketSetting(bucket, PUBLIC_ACCESS_BLOCK_SETTING).map(PublicAccessBlock::parse);
  }

  public void putPublicAccessBlock(BucketName bucket, PublicAccessBlock block) {
    store.putBucketSetting(bucket, PUBLIC_ACCESS_BLOCK_SETTING, block.text());
  }

  public void deletePublicAccessBlock(BucketName bucket) {
    store.putBucketSetting(bucket, PUBLIC_ACCESS_BLOCK_SETTING, null);
  }

  /** A tenant's own (account-level) Block Public Access, which covers all its buckets. */
  public Optional<PublicAccessBlock> tenantPublicAccessBlock(String tenant) {
    return store.tenantSetting(tenant, PUBLIC_ACCESS_BLOCK_SETTING).map(PublicAccessBlock::parse);
  }

  public void putTenantPublicAccessBlock(String tenant, PublicAccessBlock block) {
    store.putTenantSetting(tenant, PUBLIC_ACCESS_BLOCK_SETTING, block.text());
  }

  public void deleteTenantPublicAccessBlock(String tenant) {
    store.putTenantSetting(tenant, PUBLIC_ACCESS_BLOCK_SETTING, null);
  }

  /**
   * The block in force on a bucket, as S3 combines them: a flag is on when the bucket's setting or
   * its owner's tenant's sets it.
   */
  public PublicAccessBlock effectivePublicAccessBlock(BucketName bucket) {
    return effectivePublicAccessBlock(bucket, bucket(bucket).tenant());
  }

  private PublicAccessBlock effectivePublicAccessBlock(BucketName bucket, String tenant) {
    PublicAccessBlock own = publicAccessBlock(bucket).orElse(PublicAccessBlock.NONE);
    return tenantPublicAccessBlock(tenant).map(own::or).orElse(own);
  }

  /**
   * Refuses a public bucket policy where the class forbids public access or BlockPublicPolicy is
   * on; called before a policy is stored.
   */
  public void checkPolicy(BucketName bucket, boolean publicPolicy) {
    if (!publicPolicy) {
      return;
    }
    refuseByClass(bucket, "a bucket policy that allows everyone");
    if (effectivePublicAccessBlock(bucket).blockPublicPolicy()) {
      throw new AclException(
          AclException.Reason.PUBLIC_ACCESS_BLOCKED,
          "Block Public Access (BlockPublicPolicy) refuses a public bucket policy on this bucket");
    }
  }

  /** Whether the bucket's ACL is public (GetBucketPolicyStatus adds the policy's status). */
  public boolean publicAcl(BucketName bucket) {
    return bucketAcl(bucket).isPublic();
  }

  // ------------------------------------------------------------------ authorization

  /**
   * What the ACL of the addressed bucket or object grants {@code caller} for {@code action}, or
   * empty when it grants nothing (or does not take part in that action).
   */
  public Optional<AclGrant> grant(
      Principal caller,
      String action,
      BucketRecord bucket,
      @Nullable String key,
      @Nullable String versionId) {
    Permission wanted = AclActions.permission(action, key != null);
    if (wanted == null) {
      return Optional.empty();
    }
    BucketName name = bucket.name();
    if (ownership(name).orElse(null) == ObjectOwnership.BUCKET_OWNER_ENFORCED) {
      return Optional.empty();
    }
    AccessControlList acl;
    String what;
    if (AclActions.onObject(action) && key != null) {
      Optional<ObjectRecord> r = findVersion(name, new ObjectKey(key), versionId);
      if (r.isEmpty()) {
        return Optional.empty(); // the action answers NoSuchKey itself, if it gets that far
      }
      acl =
          r.get().acl() != null
              ? r.get().acl()
              : AccessControlList.ownerOnly(tenantGrantee(bucket.tenant()));
      what = "object ACL";
    } else {
      acl = bucketAcl(name);
      what = "bucket ACL";
    }
    if (effectivePublicAccessBlock(name, bucket.tenant()).ignorePublicAcls()) {
      acl = acl.withoutPublicGrants();
    }
    return AclActions.match(acl, caller, wanted, what);
  }

  // ------------------------------------------------------------------ helpers

  /** Turns a request into an ACL owned by {@code owner}, checking every canonical id. */
  AccessControlList resolve(AclRequest request, Grantee owner, Grantee bucketOwner) {
    if (request.canned() != null) {
      return CannedAcls.of(request.canned(), owner, bucketOwner);
    }
    List<Grant> grants = new ArrayList<>();
    for (Grant g : request.grants()) {
      Grantee e = g.grantee();
      if (e.id() != null) {
        String id = e.id();
        Grantee known =
            id.equals(owner.id())
                ? owner
                : canonicalUser(id)
                    .orElseThrow(
                        () -> new InvalidArgumentException("Invalid id: no canonical user " + id));
        grants.add(new Grant(known, g.permission()));
      } else {
        grants.add(g);
      }
    }
    return new AccessControlList(owner, grants);
  }

  /**
   * Under BucketOwnerEnforced only {@code bucket-owner-full-control}, or a grant list that gives
   * the bucket owner full control and nothing else, may be set: even {@code private} is refused, as
   * S3 refuses it.
   */
  private void checkWritable(
      BucketName bucket, AccessControlList acl, Grantee bucketOwner, AclRequest request) {
    if (ownership(bucket).orElse(null) == ObjectOwnership.BUCKET_OWNER_ENFORCED
        && !"bucket-owner-full-control".equals(request.canned())
        && !(request.canned() == null && ownerOnly(acl, bucketOwner))) {
      throw new AclException(
          AclException.Reason.NOT_SUPPORTED,
          "The bucket's Object Ownership is BucketOwnerEnforced: it does not allow ACLs");
    }
    if (acl.isPublic()) {
      refuseByClass(bucket, "a public ACL");
      if (effectivePublicAccessBlock(bucket).blockPublicAcls()) {
        throw new AclException(
            AclException.Reason.PUBLIC_ACCESS_BLOCKED,
            "Block Public Access (BlockPublicAcls) refuses public ACLs on this bucket");
      }
    }
  }

  private void refuseByClass(BucketName bucket, String what) {
    Optional<String> refusing = buckets.refusingPublicAccess(bucket);
    if (refusing.isPresent()) {
      throw new AclException(
          AclException.Reason.CLASS_FORBIDS_PUBLIC,
          "Buckets of sensitivity class '"
              + refusing.get()
              + "' cannot be made public: "
              + what
              + " is refused");
    }
  }

  /** Whether the ACL is the default one: its owner's full control, and nothing else. */
  static boolean ownerOnly(AccessControlList acl, Grantee owner) {
    return acl.owner().id().equals(owner.id())
        && acl.grants().size() == 1
        && owner.id().equals(acl.grants().get(0).grantee().id())
        && acl.grants().get(0).permission() == Permission.FULL_CONTROL;
  }

  /** Whether a bucket's ACL is the one {@code request} asks (absent: private). */
  public boolean bucketAclIs(BucketName bucket, @Nullable AclRequest request) {
    Grantee owner = bucketOwner(bucket);
    return bucketAcl(bucket)
        .equals(resolve(request == null ? AclRequest.canned("private") : request, owner, owner));
  }

  private BucketRecord bucket(BucketName bucket) {
    return store.bucket(bucket).orElseThrow(() -> new NoSuchBucketException(bucket.value()));
  }

  private Grantee bucketOwner(BucketName bucket) {
    return tenantGrantee(bucket(bucket).tenant());
  }

  private ObjectRecord version(BucketName bucket, ObjectKey key, @Nullable String versionId) {
    bucket(bucket);
    if (versionId == null) {
      Optional<ObjectVersion> latest = store.latest(bucket, key);
      if (latest.isEmpty()) {
        throw new NoSuchKeyException(key.value());
      }
      if (!(latest.get() instanceof ObjectRecord r)) {
        throw new DeleteMarkerException(key.value(), latest.get().versionId(), false);
      }
      return r;
    }
    ObjectVersion v =
        store
            .version(bucket, key, versionId)
            .orElseThrow(() -> new NoSuchVersionException(key.value(), versionId));
    if (!(v instanceof ObjectRecord r)) {
      throw new DeleteMarkerException(key.value(), versionId, true);
    }
    return r;
  }

  private Optional<ObjectRecord> findVersion(
      BucketName bucket, ObjectKey key, @Nullable String versionId) {
    Optional<? extends ObjectVersion> v =
        versionId == null ? store.latest(bucket, key) : store.version(bucket, key, versionId);
    return v.filter(ObjectRecord.class::isInstance).map(ObjectRecord.class::cast);
  }
}
