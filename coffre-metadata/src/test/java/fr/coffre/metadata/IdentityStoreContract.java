package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.IdentityException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.Quota;
import fr.coffre.core.QuotaExceededException;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.UserRecord;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants, users, keys, policies, usage and quotas, as every {@link IdentityStore} must keep them.
 */
public abstract class IdentityStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final BucketName B = new BucketName("town-archive");
  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.createTenant(new TenantRecord("town-a", "111111111111", T0, Quota.NONE));
    store.createBucket(new BucketRecord(B, T0, "eu-west-3", "town-a", Quota.NONE));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static ObjectRecord object(String key, long size) {
    return object(B, key, size);
  }

  private static ObjectRecord object(BucketName bucket, String key, long size) {
    return new ObjectRecord(
        bucket,
        new ObjectKey(key),
        size,
        new ETag(String.format("%032x", size)),
        T0,
        "file:test",
        new byte[] {1},
        List.of(new BlobSlice(BlobId.random(), size)),
        new byte[] {9});
  }

  @Test
  void tenant_default_existsAndOwnsOlderBuckets() {
    assertThat(store.tenant(TenantRecord.DEFAULT))
        .get()
        .extracting(TenantRecord::accountId)
        .isEqualTo(TenantRecord.DEFAULT_ACCOUNT);
    store.createBucket(new BucketRecord(new BucketName("legacy"), T0, "eu-west-3"));
    assertThat(store.buckets(TenantRecord.DEFAULT))
        .extracting(b -> b.name().value())
        .containsExactly("legacy");
    assertThat(store.buckets("town-a"))
        .extracting(b -> b.name().value())
        .containsExactly(B.value());
  }

  @Test
  void bucketPage_byPrefixAndAfter_inNameOrder_onlyTheTenants() {
    store.createTenant(new TenantRecord("town-b", "222222222222", T0, Quota.NONE));
    for (String name : List.of("bb1", "aab", "aa3", "aa1", "aa2")) {
      store.createBucket(
          new BucketRecord(new BucketName(name), T0, "eu-west-3", "town-b", Quota.NONE));
    }
    store.createBucket(
        new BucketRecord(new BucketName("aa0"), T0, "eu-west-3", "town-a", Quota.NONE));
    assertThat(names(store.buckets("town-b", "aa", null, 2))).containsExactly("aa1", "aa2");
    assertThat(names(store.buckets("town-b", "aa", "aa2", 10))).containsExactly("aa3", "aab");
    assertThat(names(store.buckets("town-b", "aa", "aab", 10))).isEmpty();
    assertThat(names(store.buckets("town-b", null, "aa3", 10))).containsExactly("aab", "bb1");
    assertThat(names(store.buckets("town-b", "aab", null, 10))).containsExactly("aab");
    assertThat(names(store.buckets("town-b", "aab", "aab", 10))).isEmpty();
    assertThat(names(store.buckets("town-b", "bb", "aa1", 10))).containsExactly("bb1");
    assertThat(names(store.buckets("town-b", "zz", null, 10))).isEmpty();
    assertThat(names(store.buckets("town-b", null, null, 10)))
        .containsExactly("aa1", "aa2", "aa3", "aab", "bb1");
  }

  private static List<String> names(List<BucketRecord> buckets) {
    return buckets.stream().map(b -> b.name().value()).toList();
  }

  @Test
  void tenantSetting_setReplacedRemoved_andRefusedForAnUnknownTenant() {
    assertThat(store.tenantSetting("town-a", "public-access-block")).isEmpty();
    store.putTenantSetting("town-a", "public-access-block", "1010");
    store.putTenantSetting("town-a", "public-access-block", "1111");
    assertThat(store.tenantSetting("town-a", "public-access-block")).contains("1111");
    assertThat(store.tenantSetting(TenantRecord.DEFAULT, "public-access-block")).isEmpty();
    store.putTenantSetting("town-a", "public-access-block", null);
    assertThat(store.tenantSetting("town-a", "public-access-block")).isEmpty();
    assertThatThrownBy(() -> store.putTenantSetting("nowhere", "public-access-block", "1111"))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("no tenant");
  }

  @Test
  void createTenant_sameNameOrAccount_isRefused() {
    assertThatThrownBy(
            () -> store.createTenant(new TenantRecord("town-a", "222222222222", T0, null)))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(
            () -> store.createTenant(new TenantRecord("town-b", "111111111111", T0, null)))
        .isInstanceOf(IdentityException.class);
  }

  @Test
  void bucketUsage_afterPutsOverwritesAndDeletes_followsThem() {
    store.putObject(object("a", 100), WriteCondition.NONE);
    store.putObject(object("b", 50), WriteCondition.NONE);
    store.putObject(object("a", 10), WriteCondition.NONE); // overwrite: same count, new size
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(2, 60));
    store.deleteObject(B, new ObjectKey("b"), Instant.EPOCH);
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(1, 10));
    assertThat(store.tenantUsage("town-a")).isEqualTo(new Usage(1, 10));
  }

  @Test
  void putObject_pastBucketQuota_isRefusedAndKeepsTheOldVersion() {
    store.setBucketQuota(B, new Quota(100L, 2L));
    store.putObject(object("a", 60), WriteCondition.NONE);
    assertThatThrownBy(() -> store.putObject(object("b", 41), WriteCondition.NONE))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("bytes");
    store.putObject(object("b", 40), WriteCondition.NONE);
    assertThatThrownBy(() -> store.putObject(object("c", 0), WriteCondition.NONE))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("objects");
    // Shrinking an object is always allowed, growing one only within the limit.
    store.putObject(object("a", 1), WriteCondition.NONE);
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(2, 41));
    assertThat(store.object(B, new ObjectKey("a")))
        .get()
        .extracting(ObjectRecord::size)
        .isEqualTo(1L);
  }

  @Test
  void putObject_pastTenantQuota_isRefusedCountingEveryBucketOfTheTenant() {
    BucketName other = new BucketName("town-other");
    store.createBucket(new BucketRecord(other, T0, "eu-west-3", "town-a", null));
    store.setTenantQuota("town-a", new Quota(null, 1L));
    store.putObject(object("a", 5), WriteCondition.NONE);
    ObjectRecord there =
        new ObjectRecord(
            other,
            new ObjectKey("x"),
            1,
            new ETag(String.format("%032x", 1)),
            T0,
            "file:test",
            new byte[] {1},
            List.of(new BlobSlice(BlobId.random(), 1)),
            new byte[] {9});
    assertThatThrownBy(() -> store.putObject(there, WriteCondition.NONE))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("tenant");
    assertThat(store.bucketUsage(other)).isEqualTo(Usage.ZERO);
  }

  @Test
  void putObject_racingAgainstBucketQuota_neverExceedsIt() throws Exception {
    store.setBucketQuota(B, new Quota(null, 5L));
    List<Racing.Outcome<ObjectStore.Written>> outcomes =
        Racing.race(16, i -> () -> store.putObject(object("k" + i, 10), WriteCondition.NONE));
    assertThat(outcomes).filteredOn(Racing.Outcome::ok).hasSize(5);
    assertThat(outcomes)
        .filteredOn(o -> !o.ok())
        .allMatch(o -> o.error() instanceof QuotaExceededException);
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(5, 50));
  }

  @Test
  void putObject_racingAgainstTenantQuotaFromTwoBuckets_neverExceedsIt() throws Exception {
    BucketName other = new BucketName("town-other");
    store.createBucket(new BucketRecord(other, T0, "eu-west-3", "town-a", null));
    store.setTenantQuota("town-a", new Quota(100L, null));
    List<Racing.Outcome<ObjectStore.Written>> outcomes =
        Racing.race(
            16,
            i ->
                () ->
                    store.putObject(
                        object(i % 2 == 0 ? B : other, "k" + i, 10), WriteCondition.NONE));
    assertThat(outcomes).filteredOn(Racing.Outcome::ok).hasSize(10);
    assertThat(outcomes)
        .filteredOn(o -> !o.ok())
        .allMatch(o -> o.error() instanceof QuotaExceededException);
    assertThat(store.tenantUsage("town-a")).isEqualTo(new Usage(10, 100));
    assertThat(store.bucketUsage(B).plus(store.bucketUsage(other))).isEqualTo(new Usage(10, 100));
  }

  @Test
  void users_namesOfEveryCase_areOrderedByTheirBytes() {
    for (String name : List.of("bob", "alice", "ab", "Bob", "a-b", "_x")) {
      store.createUser(new UserRecord("town-a", name, T0, true));
    }
    // Byte order, as S3 and SQLite sort, whatever the database's collation would say.
    assertThat(store.users("town-a"))
        .extracting(UserRecord::name)
        .containsExactly("Bob", "_x", "a-b", "ab", "alice", "bob");
  }

  @Test
  void resealAccessKey_currentSecret_isReplacedOnce() {
    store.createUser(new UserRecord("town-a", "carol", T0, true));
    store.createAccessKey(
        new AccessKeyRecord("AKCAROL", "town-a", "carol", new byte[] {7}, true, T0));
    assertThat(store.resealAccessKey("AKCAROL", new byte[] {8}, new byte[] {9}))
        .as("stale current")
        .isFalse();
    assertThat(store.resealAccessKey("AKCAROL", new byte[] {7}, new byte[] {9})).isTrue();
    assertThat(store.accessKey("AKCAROL").orElseThrow().sealedSecret()).containsExactly(9);
    assertThat(store.resealAccessKey("AKNOBODY", new byte[] {7}, new byte[] {9})).isFalse();
  }

  @Test
  void userLifecycle_withKeysAndPolicies_takesThemAlong() {
    store.createUser(new UserRecord("town-a", "alice", T0, true));
    assertThatThrownBy(() -> store.createUser(new UserRecord("town-a", "alice", T0, true)))
        .isInstanceOf(IdentityException.class);
    assertThatThrownBy(() -> store.createUser(new UserRecord("nowhere", "bob", T0, true)))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("no tenant");
    store.createAccessKey(
        new AccessKeyRecord("AKALICE", "town-a", "alice", new byte[] {7}, true, T0));
    store.putUserPolicy("town-a", "alice", "read", "{\"p\":1}");
    store.putUserPolicy("town-a", "alice", "read", "{\"p\":2}");
    assertThat(store.userPolicies("town-a", "alice"))
        .containsExactly(Map.entry("read", "{\"p\":2}"));
    store.setAccessKeyEnabled("AKALICE", false);
    assertThat(store.accessKey("AKALICE"))
        .get()
        .extracting(AccessKeyRecord::enabled)
        .isEqualTo(false);
    store.setUserEnabled("town-a", "alice", false);
    assertThat(store.user("town-a", "alice"))
        .get()
        .extracting(UserRecord::enabled)
        .isEqualTo(false);
    assertThatThrownBy(() -> store.deleteTenant("town-a"))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("buckets");
    store.deleteUser("town-a", "alice");
    assertThat(store.accessKey("AKALICE")).isEmpty();
    assertThat(store.userPolicies("town-a", "alice")).isEmpty();
    assertThatThrownBy(() -> store.deleteAccessKey("AKALICE"))
        .isInstanceOf(IdentityException.class);
    store.deleteBucket(B);
    store.deleteTenant("town-a");
    assertThat(store.tenant("town-a")).isEmpty();
  }
}
