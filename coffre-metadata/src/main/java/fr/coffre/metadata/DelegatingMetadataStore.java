package fr.coffre.metadata;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.KeyUsage;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.LockState;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.PartRecord;
import fr.coffre.core.Quota;
import fr.coffre.core.ShareLinkRecord;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.UserRecord;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.core.Versioning;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MetadataStore} made of one store per aggregate over one database: every method is the
 * aggregate's, unchanged. An implementation (SQLite, PostgreSQL) extends it with the code that
 * opens and closes its database, and writes only its aggregate classes.
 */
public abstract class DelegatingMetadataStore implements MetadataStore {
  private final BucketStore buckets;
  private final ObjectStore objects;
  private final UploadStore uploads;
  private final KmsStore kms;
  private final IdentityStore identities;
  private final ShareStore shares;
  private final NodeStore nodes;
  private final GovernanceStore governance;
  private final RoleStore roles;
  private final SessionStore sessions;
  private final LockoutStore lockouts;

  protected DelegatingMetadataStore(
      BucketStore buckets,
      ObjectStore objects,
      UploadStore uploads,
      KmsStore kms,
      IdentityStore identities,
      ShareStore shares,
      NodeStore nodes,
      GovernanceStore governance,
      RoleStore roles,
      SessionStore sessions,
      LockoutStore lockouts) {
    this.nodes = nodes;
    this.governance = governance;
    this.roles = roles;
    this.sessions = sessions;
    this.lockouts = lockouts;
    this.buckets = buckets;
    this.objects = objects;
    this.uploads = uploads;
    this.kms = kms;
    this.identities = identities;
    this.shares = shares;
  }

  @Override
  public final NodeStore nodes() {
    return nodes;
  }

  @Override
  public final GovernanceStore governance() {
    return governance;
  }

  @Override
  public final RoleStore roles() {
    return roles;
  }

  @Override
  public final SessionStore sessions() {
    return sessions;
  }

  @Override
  public final LockoutStore lockouts() {
    return lockouts;
  }

  // BucketStore

  @Override
  public final void createBucket(BucketRecord bucket) {
    buckets.createBucket(bucket);
  }

  @Override
  public final Optional<BucketRecord> bucket(BucketName name) {
    return buckets.bucket(name);
  }

  @Override
  public final void setBucketClass(BucketName bucket, String sensitivityClass) {
    buckets.setBucketClass(bucket, sensitivityClass);
  }

  @Override
  public final void enableObjectLock(BucketName bucket) {
    buckets.enableObjectLock(bucket);
  }

  @Override
  public final void setVersioning(BucketName bucket, Versioning versioning) {
    buckets.setVersioning(bucket, versioning);
  }

  @Override
  public final List<BucketRecord> buckets() {
    return buckets.buckets();
  }

  @Override
  public final List<PartRecord> deleteBucket(BucketName name) {
    return buckets.deleteBucket(name);
  }

  @Override
  public final Optional<String> bucketSetting(BucketName bucket, String name) {
    return buckets.bucketSetting(bucket, name);
  }

  @Override
  public final void putBucketSetting(BucketName bucket, String name, String value) {
    buckets.putBucketSetting(bucket, name, value);
  }

  // ObjectStore

  @Override
  public final Optional<ObjectRecord> object(BucketName bucket, ObjectKey key) {
    return objects.object(bucket, key);
  }

  @Override
  public final Written putObject(ObjectRecord record, WriteCondition condition) {
    return objects.putObject(record, condition);
  }

  @Override
  public final Optional<ObjectVersion> latest(BucketName bucket, ObjectKey key) {
    return objects.latest(bucket, key);
  }

  @Override
  public final Optional<ObjectVersion> version(BucketName bucket, ObjectKey key, String versionId) {
    return objects.version(bucket, key, versionId);
  }

  @Override
  public final Removal deleteVersion(
      BucketName bucket, ObjectKey key, String versionId, Instant now, boolean bypassGovernance) {
    return objects.deleteVersion(bucket, key, versionId, now, bypassGovernance);
  }

  @Override
  public final LockState changeLock(
      BucketName bucket, ObjectKey key, String versionId, UnaryOperator<LockState> change) {
    return objects.changeLock(bucket, key, versionId, change);
  }

  @Override
  public final VersionPage listVersions(BucketName bucket, VersionQuery query) {
    return objects.listVersions(bucket, query);
  }

  @Override
  public final boolean replaceAttributes(ObjectRecord current, byte[] sealedAttributes) {
    return objects.replaceAttributes(current, sealedAttributes);
  }

  @Override
  public final boolean setAcl(
      BucketName bucket, ObjectKey key, String versionId, @Nullable AccessControlList acl) {
    return objects.setAcl(bucket, key, versionId, acl);
  }

  @Override
  public final Removal deleteObject(BucketName bucket, ObjectKey key, Instant now) {
    return objects.deleteObject(bucket, key, now);
  }

  @Override
  public final ListPage list(BucketName bucket, ListQuery query) {
    return objects.list(bucket, query);
  }

  @Override
  public final void forEachReferencedBlob(Consumer<BlobId> visitor) {
    objects.forEachReferencedBlob(visitor);
  }

  // UploadStore

  @Override
  public final void createUpload(UploadRecord upload) {
    uploads.createUpload(upload);
  }

  @Override
  public final Optional<UploadRecord> upload(BucketName bucket, String uploadId) {
    return uploads.upload(bucket, uploadId);
  }

  @Override
  public final Optional<PartRecord> putPart(PartRecord part) {
    return uploads.putPart(part);
  }

  @Override
  public final List<PartRecord> parts(String uploadId, int after, int max) {
    return uploads.parts(uploadId, after, max);
  }

  @Override
  public final Written completeUpload(
      String uploadId, ObjectRecord object, WriteCondition condition) {
    return uploads.completeUpload(uploadId, object, condition);
  }

  @Override
  public final List<PartRecord> abortUpload(BucketName bucket, String uploadId) {
    return uploads.abortUpload(bucket, uploadId);
  }

  @Override
  public final List<UploadRecord> uploads(
      BucketName bucket, String prefix, String keyMarker, String uploadIdMarker, int max) {
    return uploads.uploads(bucket, prefix, keyMarker, uploadIdMarker, max);
  }

  @Override
  public final Optional<ETag> completedUpload(BucketName bucket, ObjectKey key, String uploadId) {
    return uploads.completedUpload(bucket, key, uploadId);
  }

  @Override
  public final int forgetCompletedUploads(Instant cutoff) {
    return uploads.forgetCompletedUploads(cutoff);
  }

  @Override
  public final List<UploadRecord> uploadsInitiatedBefore(Instant cutoff, int max) {
    return uploads.uploadsInitiatedBefore(cutoff, max);
  }

  // KmsStore

  @Override
  public final void createKmsKey(KmsKeyRecord key, KmsKeyVersion first) {
    kms.createKmsKey(key, first);
  }

  @Override
  public final Optional<KmsKeyRecord> kmsKey(String idOrAlias, boolean byAlias) {
    return kms.kmsKey(idOrAlias, byAlias);
  }

  @Override
  public final List<KmsKeyRecord> kmsKeys() {
    return kms.kmsKeys();
  }

  @Override
  public final void updateKmsKey(KmsKeyRecord key) {
    kms.updateKmsKey(key);
  }

  @Override
  public final void rotateKmsKey(KmsKeyRecord key, KmsKeyVersion next) {
    kms.rotateKmsKey(key, next);
  }

  @Override
  public final List<KmsKeyVersion> kmsKeyVersionsWrappedBy(String rootKeyId, int max) {
    return kms.kmsKeyVersionsWrappedBy(rootKeyId, max);
  }

  @Override
  public final boolean rewrapKmsKeyVersion(KmsKeyVersion current, KmsKeyVersion rewrapped) {
    return kms.rewrapKmsKeyVersion(current, rewrapped);
  }

  @Override
  public final List<fr.coffre.core.ErasureCoverage.Entry> versionsUnderKeyRef(String keyRefPrefix) {
    return kms.versionsUnderKeyRef(keyRefPrefix);
  }

  @Override
  public final void saveErasureCoverage(String keyId, byte[] document) {
    kms.saveErasureCoverage(keyId, document);
  }

  @Override
  public final Optional<byte[]> erasureCoverage(String keyId) {
    return kms.erasureCoverage(keyId);
  }

  @Override
  public final Optional<KmsKeyVersion> sealingKey() {
    return kms.sealingKey();
  }

  @Override
  public final KmsKeyVersion addSealingKey(KmsKeyVersion candidate) {
    return kms.addSealingKey(candidate);
  }

  @Override
  public final boolean rewrapSealingKey(KmsKeyVersion current, KmsKeyVersion rewrapped) {
    return kms.rewrapSealingKey(current, rewrapped);
  }

  @Override
  public final List<KmsKeyVersion> kmsKeyVersions(String keyId) {
    return kms.kmsKeyVersions(keyId);
  }

  @Override
  public final int destroyKmsKey(KmsKeyRecord destroyed) {
    return kms.destroyKmsKey(destroyed);
  }

  @Override
  public final KeyUsage keyUsage(String keyRefPrefix) {
    return kms.keyUsage(keyRefPrefix);
  }

  @Override
  public final List<ObjectRecord> objectsWithKeyRef(String keyRef, int max) {
    return kms.objectsWithKeyRef(keyRef, max);
  }

  @Override
  public final long countLocked(String keyRefPrefix, Instant now) {
    return kms.countLocked(keyRefPrefix, now);
  }

  @Override
  public final long countObjectsWithKeyRef(String keyRef) {
    return kms.countObjectsWithKeyRef(keyRef);
  }

  @Override
  public final boolean rewrapObject(ObjectRecord current, String keyRef, byte[] wrappedKey) {
    return kms.rewrapObject(current, keyRef, wrappedKey);
  }

  @Override
  public final List<UploadRecord> uploadsWithKeyRef(String keyRef, int max) {
    return kms.uploadsWithKeyRef(keyRef, max);
  }

  @Override
  public final boolean rewrapUpload(UploadRecord current, String keyRef, byte[] wrappedKey) {
    return kms.rewrapUpload(current, keyRef, wrappedKey);
  }

  // IdentityStore

  @Override
  public final void createTenant(TenantRecord tenant) {
    identities.createTenant(tenant);
  }

  @Override
  public final Optional<TenantRecord> tenant(String name) {
    return identities.tenant(name);
  }

  @Override
  public final List<TenantRecord> tenants() {
    return identities.tenants();
  }

  @Override
  public final void setTenantQuota(String tenant, Quota quota) {
    identities.setTenantQuota(tenant, quota);
  }

  @Override
  public final Optional<String> tenantSetting(String tenant, String name) {
    return identities.tenantSetting(tenant, name);
  }

  @Override
  public final void putTenantSetting(String tenant, String name, @Nullable String value) {
    identities.putTenantSetting(tenant, name, value);
  }

  @Override
  public final void deleteTenant(String tenant) {
    identities.deleteTenant(tenant);
  }

  @Override
  public final List<BucketRecord> buckets(String tenant) {
    return identities.buckets(tenant);
  }

  @Override
  public final List<BucketRecord> buckets(
      String tenant, @Nullable String prefix, @Nullable String after, int limit) {
    return identities.buckets(tenant, prefix, after, limit);
  }

  @Override
  public final void setBucketQuota(BucketName bucket, Quota quota) {
    identities.setBucketQuota(bucket, quota);
  }

  @Override
  public final Usage bucketUsage(BucketName bucket) {
    return identities.bucketUsage(bucket);
  }

  @Override
  public final Usage tenantUsage(String tenant) {
    return identities.tenantUsage(tenant);
  }

  @Override
  public final void createUser(UserRecord user) {
    identities.createUser(user);
  }

  @Override
  public final Optional<UserRecord> user(String tenant, String name) {
    return identities.user(tenant, name);
  }

  @Override
  public final List<UserRecord> users(String tenant) {
    return identities.users(tenant);
  }

  @Override
  public final void setUserEnabled(String tenant, String name, boolean enabled) {
    identities.setUserEnabled(tenant, name, enabled);
  }

  @Override
  public final void deleteUser(String tenant, String name) {
    identities.deleteUser(tenant, name);
  }

  @Override
  public final void putUserPolicy(String tenant, String user, String name, String document) {
    identities.putUserPolicy(tenant, user, name, document);
  }

  @Override
  public final Map<String, String> userPolicies(String tenant, String user) {
    return identities.userPolicies(tenant, user);
  }

  @Override
  public final void deleteUserPolicy(String tenant, String user, String name) {
    identities.deleteUserPolicy(tenant, user, name);
  }

  @Override
  public final void createAccessKey(AccessKeyRecord key) {
    identities.createAccessKey(key);
  }

  @Override
  public final Optional<AccessKeyRecord> accessKey(String accessKeyId) {
    return identities.accessKey(accessKeyId);
  }

  @Override
  public final List<AccessKeyRecord> accessKeys(String tenant, String user) {
    return identities.accessKeys(tenant, user);
  }

  @Override
  public final boolean resealAccessKey(String accessKeyId, byte[] current, byte[] sealed) {
    return identities.resealAccessKey(accessKeyId, current, sealed);
  }

  @Override
  public final void setAccessKeyEnabled(String accessKeyId, boolean enabled) {
    identities.setAccessKeyEnabled(accessKeyId, enabled);
  }

  @Override
  public final void deleteAccessKey(String accessKeyId) {
    identities.deleteAccessKey(accessKeyId);
  }

  // ShareStore

  @Override
  public final void createShare(ShareLinkRecord link) {
    shares.createShare(link);
  }

  @Override
  public final Optional<ShareLinkRecord> share(String id) {
    return shares.share(id);
  }

  @Override
  public final Optional<ShareLinkRecord> shareByTokenHash(String tokenHash) {
    return shares.shareByTokenHash(tokenHash);
  }

  @Override
  public final List<ShareLinkRecord> shares(String tenant) {
    return shares.shares(tenant);
  }

  @Override
  public final boolean revokeShare(String id, Instant at) {
    return shares.revokeShare(id, at);
  }

  @Override
  public final boolean countShareDownload(String id, Instant now) {
    return shares.countShareDownload(id, now);
  }

  @Override
  public final int deleteSharesEndedBefore(Instant cutoff) {
    return shares.deleteSharesEndedBefore(cutoff);
  }
}
