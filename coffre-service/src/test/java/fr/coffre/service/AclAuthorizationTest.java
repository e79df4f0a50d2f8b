package fr.coffre.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.AccessControlList.Grant;
import fr.coffre.core.AccessControlList.Grantee;
import fr.coffre.core.AccessControlList.Permission;
import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.AclException;
import fr.coffre.core.BucketName;
import fr.coffre.core.CanonicalIds;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.Principal;
import fr.coffre.core.TenantRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How ACL grants combine with IAM and bucket policies: an explicit deny wins; otherwise an allow
 * from a policy or a grant is enough (anonymous through AllUsers, any signed caller of any tenant
 * through AuthenticatedUsers, a tenant through its canonical id); Block Public Access and
 * BucketOwnerEnforced take grants away.
 */
class AclAuthorizationTest {
  private static final Map<String, List<String>> NONE = Map.of();
  private static final String ALL_S3 =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";

  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private AclService acls;
  private BucketName bucket;
  private final Principal anonymous = Principal.anonymous();
  private Principal otherRoot;
  private Principal otherUser;
  private Principal ownUserWithoutPolicy;
  private TenantRecord other;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    acls = f.access.acls();
    bucket = f.bucket("dossiers");
    f.put(bucket, "note.txt", "une note".getBytes(UTF_8));
    other = f.identities.createTenant("voisin", null);
    f.identities.createUser("voisin", "vera");
    f.identities.putUserPolicy("voisin", "vera", "all", ALL_S3);
    f.identities.createUser(TenantRecord.DEFAULT, "dan");
    otherRoot = new Principal("voisin", other.accountId(), null, null);
    otherUser = new Principal("voisin", other.accountId(), "vera", "K1");
    ownUserWithoutPolicy =
        new Principal(TenantRecord.DEFAULT, TenantRecord.DEFAULT_ACCOUNT, "dan", "K2");
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  @Test
  void expectedOwner_isTheBucketTenantsAccountOrCanonicalId_notAnotherOne() {
    String own = TenantRecord.DEFAULT_ACCOUNT;
    assertThat(acls.isExpectedOwner(bucket, own)).isTrue();
    assertThat(acls.isExpectedOwner(bucket, CanonicalIds.ofAccount(own))).isTrue();
    assertThat(acls.isExpectedOwner(bucket, " " + own + " ")).isTrue();
    assertThat(acls.isExpectedOwner(bucket, other.accountId())).isFalse();
    assertThat(acls.isExpectedOwner(bucket, CanonicalIds.ofAccount(other.accountId()))).isFalse();
    assertThat(acls.isExpectedOwner(bucket, CanonicalIds.ofAccount(own) + "foo")).isFalse();
    assertThat(acls.isExpectedOwner(bucket, "")).isFalse();
    // No such bucket: the operation itself answers NoSuchBucket.
    assertThat(acls.isExpectedOwner(new BucketName("absente"), other.accountId())).isTrue();
  }

  private boolean may(Principal p, String action, String key) {
    try {
      f.access.authorize(p, action, bucket, key, NONE);
      return true;
    } catch (AccessDeniedException e) {
      return false;
    }
  }

  @Test
  void publicReadBucket_letsAnonymousList_notWrite() {
    assertThat(may(anonymous, "s3:ListBucket", null)).isFalse();
    acls.putBucketAcl(bucket, AclRequest.canned("public-read"));
    assertThat(may(anonymous, "s3:ListBucket", null)).isTrue();
    assertThat(may(anonymous, "s3:PutObject", "x")).isFalse();
    assertThat(may(anonymous, "s3:GetObject", "note.txt"))
        .as("objects have their own ACL")
        .isFalse();
    assertThat(may(anonymous, "s3:GetBucketAcl", null)).isFalse();
  }

  @Test
  void publicReadObject_letsAnonymousGet() {
    acls.putObjectAcl(bucket, new ObjectKey("note.txt"), null, AclRequest.canned("public-read"));
    assertThat(may(anonymous, "s3:GetObject", "note.txt")).isTrue();
    assertThat(may(anonymous, "s3:ListBucket", null)).isFalse();
    assertThat(may(anonymous, "s3:PutObjectAcl", "note.txt")).isFalse();
  }

  @Test
  void explicitDenyInBucketPolicy_winsOverAnAclGrant() {
    acls.putBucketAcl(bucket, AclRequest.canned("public-read"));
    f.access.putBucketPolicy(
        bucket,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
            + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::dossiers\"}]}");
    assertThat(may(anonymous, "s3:ListBucket", null)).isFalse();
  }

  @Test
  void authenticatedRead_letsAnyTenantsSignedCallers_notAnonymous() {
    acls.putBucketAcl(bucket, AclRequest.canned("authenticated-read"));
    assertThat(may(otherRoot, "s3:ListBucket", null)).isTrue();
    assertThat(may(otherUser, "s3:ListBucket", null))
        .as("its identity policy allows, as S3 wants across accounts")
        .isTrue();
    assertThat(may(anonymous, "s3:ListBucket", null)).isFalse();
  }

  @Test
  void grantToAnotherTenantsCanonicalId_isDelegatedToThatTenant() {
    String otherId = CanonicalIds.ofAccount(other.accountId());
    acls.putObjectAcl(
        bucket,
        new ObjectKey("note.txt"),
        null,
        AclRequest.grants(List.of(new Grant(Grantee.user(otherId, null), Permission.READ))));
    assertThat(may(otherRoot, "s3:GetObject", "note.txt")).isTrue();
    assertThat(may(otherUser, "s3:GetObject", "note.txt")).isTrue();
    assertThat(may(otherRoot, "s3:PutObjectAcl", "note.txt")).isFalse();
    assertThat(acls.objectAcl(bucket, new ObjectKey("note.txt"), null).grants())
        .extracting(g -> g.grantee().displayName())
        .containsExactly("voisin");
  }

  @Test
  void defaultAcl_doesNotLetTheOwnersUsersInWithoutAPolicy() {
    assertThat(may(ownUserWithoutPolicy, "s3:GetObject", "note.txt")).isFalse();
    String danId = CanonicalIds.ofUser(TenantRecord.DEFAULT_ACCOUNT, "dan");
    acls.putObjectAcl(
        bucket,
        new ObjectKey("note.txt"),
        null,
        AclRequest.grants(List.of(new Grant(Grantee.user(danId, null), Permission.READ))));
    assertThat(may(ownUserWithoutPolicy, "s3:GetObject", "note.txt"))
        .as("a grant to the user itself is direct")
        .isTrue();
  }

  @Test
  void grantToAnUnknownCanonicalId_isRefused_andNothingChanges() {
    assertThatThrownBy(
            () ->
                acls.putBucketAcl(
                    bucket,
                    AclRequest.grants(
                        List.of(new Grant(Grantee.user("a".repeat(64), null), Permission.READ)))))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(acls.bucketAcl(bucket).grants()).hasSize(1);
  }

  @Test
  void ignorePublicAcls_takesPublicGrantsAway_blockPublicAclsRefusesNewOnes() {
    acls.putBucketAcl(bucket, AclRequest.canned("public-read"));
    acls.putPublicAccessBlock(bucket, new PublicAccessBlock(false, true, false, false));
    assertThat(may(anonymous, "s3:ListBucket", null)).isFalse();
    acls.putPublicAccessBlock(bucket, new PublicAccessBlock(true, false, false, false));
    assertThat(may(anonymous, "s3:ListBucket", null)).as("the ACL already public stays").isTrue();
    assertThatThrownBy(
            () ->
                acls.putObjectAcl(
                    bucket, new ObjectKey("note.txt"), null, AclRequest.canned("public-read")))
        .isInstanceOfSatisfying(
            AclException.class,
            e -> assertThat(e.reason()).isEqualTo(AclException.Reason.PUBLIC_ACCESS_BLOCKED));
  }

  @Test
  void restrictPublicBuckets_limitsAPublicPolicyToTheOwnersTenant() {
    f.access.putBucketPolicy(
        bucket,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::dossiers/*\"}]}");
    assertThat(f.access.bucketPolicyIsPublic(bucket)).isTrue();
    assertThat(may(anonymous, "s3:GetObject", "note.txt")).isTrue();
    acls.putPublicAccessBlock(bucket, new PublicAccessBlock(false, false, false, true));
    assertThat(may(anonymous, "s3:GetObject", "note.txt")).isFalse();
    assertThat(may(otherRoot, "s3:GetObject", "note.txt")).isFalse();
    assertThat(may(ownUserWithoutPolicy, "s3:GetObject", "note.txt")).isTrue();
  }

  @Test
  void blockPublicPolicy_refusesAPublicPolicy() {
    acls.putPublicAccessBlock(bucket, new PublicAccessBlock(false, false, true, false));
    assertThatThrownBy(
            () ->
                f.access.putBucketPolicy(
                    bucket,
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"arn:aws:s3:::dossiers/*\"}]}"))
        .isInstanceOf(AclException.class);
    assertThat(f.access.bucketPolicy(bucket)).isEmpty();
  }

  @Test
  void bucketOwnerEnforced_refusesAclsAndIgnoresExistingOnes() {
    acls.putObjectAcl(bucket, new ObjectKey("note.txt"), null, AclRequest.canned("public-read"));
    acls.putOwnership(bucket, ObjectOwnership.BUCKET_OWNER_ENFORCED);
    assertThat(may(anonymous, "s3:GetObject", "note.txt")).isFalse();
    assertThatThrownBy(
            () ->
                acls.putObjectAcl(
                    bucket, new ObjectKey("note.txt"), null, AclRequest.canned("public-read")))
        .isInstanceOfSatisfying(
            AclException.class,
            e -> assertThat(e.reason()).isEqualTo(AclException.Reason.NOT_SUPPORTED));
    assertThatCode(
            () ->
                acls.putObjectAcl(
                    bucket,
                    new ObjectKey("note.txt"),
                    null,
                    AclRequest.canned("bucket-owner-full-control")))
        .doesNotThrowAnyException();
  }

  @Test
  void bucketOwnerEnforced_isRefusedWhileTheBucketAclGrantsOthers() {
    acls.putBucketAcl(bucket, AclRequest.canned("public-read"));
    assertThatThrownBy(() -> acls.putOwnership(bucket, ObjectOwnership.BUCKET_OWNER_ENFORCED))
        .isInstanceOfSatisfying(
            AclException.class,
            e -> assertThat(e.reason()).isEqualTo(AclException.Reason.BUCKET_ACL_WITH_OWNERSHIP));
  }

  @Test
  void objectWrittenByAnotherTenant_isOwnedByIt_unlessTheBucketOwnerPrefersOtherwise() {
    AccessControlList acl = acls.forNewObject(bucket, otherRoot, null);
    assertThat(acl).isNotNull();
    assertThat(acl.owner().id()).isEqualTo(CanonicalIds.ofAccount(other.accountId()));
    acls.putOwnership(bucket, ObjectOwnership.BUCKET_OWNER_PREFERRED);
    AccessControlList preferred =
        acls.forNewObject(bucket, otherRoot, AclRequest.canned("bucket-owner-full-control"));
    assertThat(preferred).isNull(); // the default: the bucket owner's
    assertThat(acls.forNewObject(bucket, ownUserWithoutPolicy, null)).isNull();
  }
}
