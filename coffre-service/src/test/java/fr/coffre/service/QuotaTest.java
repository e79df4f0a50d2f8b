package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.randomBytes;
import static fr.coffre.service.ServiceFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.Quota;
import fr.coffre.core.QuotaExceededException;
import fr.coffre.core.Usage;
import fr.coffre.core.WriteCondition;
import fr.coffre.service.MultipartService.CompletedPart;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucket and tenant quotas through the services: the write that would pass a bound is refused with
 * QuotaExceededException, and it leaves nothing behind (no row, no blob, usage unchanged).
 */
class QuotaTest {
  private static final String TENANT = "ville-de-lyon";

  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private void assertAbsent(BucketName bucket, String key) {
    assertThatThrownBy(() -> f.read(bucket, key)).isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void put_pastTheBucketByteQuota_refused_nothingVisible_noBlobLeft_usageUnchanged() {
    BucketName b = f.bucket("quota-octets");
    f.buckets.setQuota(b, new Quota(1_000L, null));
    f.put(b, "a", randomBytes(600, 1));

    assertThatThrownBy(() -> f.put(b, "b", randomBytes(401, 2)))
        .isInstanceOf(QuotaExceededException.class);

    assertAbsent(b, "b");
    assertThat(f.blobFiles()).hasSize(1);
    assertThat(f.buckets.usage(b)).isEqualTo(new Usage(1, 600));
    f.put(b, "b", randomBytes(400, 3)); // exactly at the bound is allowed
    assertThat(f.buckets.usage(b)).isEqualTo(new Usage(2, 1_000));
  }

  @Test
  void put_pastTheBucketObjectQuota_refused_butOverwritingAtTheLimitIsAllowed() {
    BucketName b = f.bucket("quota-objets");
    f.buckets.setQuota(b, new Quota(null, 2L));
    f.put(b, "1", utf8("un"));
    f.put(b, "2", utf8("deux"));

    assertThatThrownBy(() -> f.put(b, "3", utf8("trois")))
        .isInstanceOf(QuotaExceededException.class);
    f.put(b, "2", utf8("deux, corrigé"));

    assertAbsent(b, "3");
    assertThat(f.read(b, "2")).isEqualTo(utf8("deux, corrigé"));
    assertThat(f.blobFiles()).hasSize(2);
  }

  @Test
  void overwrite_growingPastTheByteQuota_refused_oldVersionStays_shrinkingAllowed() {
    BucketName b = f.bucket("quota-reecriture");
    f.buckets.setQuota(b, new Quota(1_000L, null));
    byte[] v1 = randomBytes(800, 4);
    f.put(b, "k", v1);

    assertThatThrownBy(() -> f.put(b, "k", randomBytes(1_001, 5)))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(f.read(b, "k")).isEqualTo(v1);
    assertThat(f.blobFiles()).hasSize(1);

    f.put(b, "k", randomBytes(1_000, 6));
    assertThat(f.buckets.usage(b)).isEqualTo(new Usage(1, 1_000));
  }

  @Test
  void delete_freesRoom_forTheNextWrite() {
    BucketName b = f.bucket("quota-liberee");
    f.buckets.setQuota(b, new Quota(1_000L, 1L));
    f.put(b, "ancien", randomBytes(900, 7));
    assertThatThrownBy(() -> f.put(b, "nouveau", randomBytes(900, 8)))
        .isInstanceOf(QuotaExceededException.class);

    f.objects.delete(new BucketName("quota-liberee"), new ObjectKey("ancien"));
    f.put(b, "nouveau", randomBytes(900, 8));

    assertThat(f.buckets.usage(b)).isEqualTo(new Usage(1, 900));
  }

  @Test
  void quotaLoweredBelowUsage_existingObjectsStayReadable_newBytesRefused_deletesAllowed() {
    BucketName b = f.bucket("quota-abaisse");
    f.put(b, "a", randomBytes(500, 9));
    f.put(b, "b", randomBytes(500, 10));

    f.buckets.setQuota(b, new Quota(100L, null));

    assertThat(f.read(b, "a")).hasSize(500);
    assertThatThrownBy(() -> f.put(b, "c", utf8("x"))).isInstanceOf(QuotaExceededException.class);
    f.put(b, "a", utf8("plus petit")); // shrinking adds no bytes
    f.objects.delete(b, new ObjectKey("b"));
    f.buckets.setQuota(b, null);
    f.put(b, "c", randomBytes(5_000, 11));
  }

  @Test
  void put_pastTheTenantByteQuota_acrossItsBuckets_refused_otherTenantsUnaffected() {
    f.identities.createTenant(TENANT, new Quota(1_000L, null));
    BucketName one = f.bucket("lyon-un", TENANT);
    BucketName two = f.bucket("lyon-deux", TENANT);
    BucketName elsewhere = f.bucket("ailleurs");
    f.put(one, "a", randomBytes(700, 12));

    assertThatThrownBy(() -> f.put(two, "b", randomBytes(301, 13)))
        .isInstanceOf(QuotaExceededException.class);

    assertAbsent(two, "b");
    assertThat(f.identities.tenantUsage(TENANT)).isEqualTo(new Usage(1, 700));
    f.put(elsewhere, "b", randomBytes(5_000, 14));
    f.put(two, "b", randomBytes(300, 15));
    assertThat(f.identities.tenantUsage(TENANT)).isEqualTo(new Usage(2, 1_000));
    assertThat(f.blobFiles()).hasSize(3);
  }

  @Test
  void put_pastTheTenantObjectQuota_refused_untilTheQuotaIsRaised() {
    f.identities.createTenant(TENANT, new Quota(null, 2L));
    BucketName one = f.bucket("lyon-un", TENANT);
    BucketName two = f.bucket("lyon-deux", TENANT);
    f.put(one, "a", utf8("a"));
    f.put(two, "b", utf8("b"));

    assertThatThrownBy(() -> f.put(one, "c", utf8("c"))).isInstanceOf(QuotaExceededException.class);
    assertAbsent(one, "c");

    f.identities.setTenantQuota(TENANT, new Quota(null, 3L));
    f.put(one, "c", utf8("c"));
    assertThat(f.identities.tenantUsage(TENANT).objects()).isEqualTo(3);
  }

  @Test
  void completeMultipart_pastTheBucketByteQuota_refused_objectAbsent_uploadKept_abortReclaims() {
    BucketName b = f.bucket("quota-multipart");
    f.buckets.setQuota(b, new Quota(1_000L, null));
    ObjectKey key = new ObjectKey("gros");
    String id = f.multipart.create(b, key, ObjectAttributes.EMPTY, null, null);
    ETag e1 =
        f.multipart.uploadPart(
            b, key, id, 1, new ByteArrayInputStream(randomBytes(1_001, 16)), null, null, null);

    assertThatThrownBy(
            () ->
                f.multipart.complete(
                    b,
                    key,
                    id,
                    List.of(new CompletedPart(1, e1.value())),
                    WriteCondition.NONE,
                    null,
                    null,
                    null))
        .isInstanceOf(QuotaExceededException.class);

    assertAbsent(b, "gros");
    assertThat(f.buckets.usage(b)).isEqualTo(new Usage(0, 0));
    assertThat(f.multipart.parts(b, key, id, 0, 1000)).hasSize(1);
    f.multipart.abort(b, key, id);
    assertThat(f.blobFiles()).isEmpty();
  }

  @Test
  void copy_pastTheDestinationQuota_refused_andLeavesNoBlob() {
    BucketName source = f.bucket("source-libre");
    BucketName target = f.bucket("cible-limitee");
    f.buckets.setQuota(target, new Quota(100L, null));
    f.put(source, "k", randomBytes(500, 17));

    assertThatThrownBy(
            () ->
                f.objects.copy(
                    source,
                    new ObjectKey("k"),
                    ReadConditions.NONE,
                    null,
                    target,
                    new ObjectKey("k"),
                    a -> a,
                    WriteCondition.NONE,
                    null,
                    null))
        .isInstanceOf(QuotaExceededException.class);

    assertAbsent(target, "k");
    assertThat(f.blobFiles()).hasSize(1);
  }
}
