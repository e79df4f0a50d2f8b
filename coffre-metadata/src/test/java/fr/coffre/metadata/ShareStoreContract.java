package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.Quota;
import fr.coffre.core.ShareLinkRecord;
import fr.coffre.core.TenantRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ShareStore} must have; an implementation's test extends this. */
public abstract class ShareStoreContract {
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

  private static ShareLinkRecord link(String id, Instant created, Integer max) {
    return new ShareLinkRecord(
        id,
        "hash-" + id,
        "town-a",
        B,
        "actes/é 1.pdf",
        "0123abcd",
        "AKIA1",
        "alice",
        created,
        created.plus(Duration.ofDays(1)),
        null,
        max,
        0,
        null);
  }

  @Test
  void createShare_thenRead_isFoundByIdAndByTokenHash() {
    ShareLinkRecord l =
        new ShareLinkRecord(
            "s1",
            "h1",
            "town-a",
            B,
            "actes/é 1.pdf",
            "0123abcd",
            "AKIA1",
            "alice",
            T0,
            T0.plusSeconds(3600),
            "pbkdf2$x",
            3,
            0,
            null);
    store.createShare(l);
    assertThat(store.share("s1")).contains(l);
    assertThat(store.shareByTokenHash("h1")).contains(l);
    assertThat(store.shareByTokenHash("h2")).isEmpty();
    assertThat(store.share("nope")).isEmpty();
  }

  @Test
  void createShare_missingBucket_isNoSuchBucket() {
    ShareLinkRecord l =
        new ShareLinkRecord(
            "s1",
            "h1",
            "town-a",
            new BucketName("nowhere"),
            "k",
            "0123abcd",
            "AKIA1",
            "alice",
            T0,
            T0.plusSeconds(60),
            null,
            null,
            0,
            null);
    assertThatThrownBy(() -> store.createShare(l)).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void revokeShare_once_leavesTheListingAndStopsCounting() {
    store.createShare(link("a", T0, null));
    store.createShare(link("b", T0.plusSeconds(5), null));
    assertThat(store.shares("town-a")).extracting(ShareLinkRecord::id).containsExactly("b", "a");
    assertThat(store.shares("town-b")).isEmpty();
    assertThat(store.revokeShare("a", T0.plusSeconds(10))).isTrue();
    assertThat(store.revokeShare("a", T0.plusSeconds(11))).isFalse();
    assertThat(store.share("a").orElseThrow().revoked()).isEqualTo(T0.plusSeconds(10));
    assertThat(store.shares("town-a")).extracting(ShareLinkRecord::id).containsExactly("b");
    assertThat(store.countShareDownload("a", T0.plusSeconds(12))).isFalse();
    assertThat(store.countShareDownload("b", T0.plusSeconds(12))).isTrue();
  }

  @Test
  void countShareDownload_atExpiryOrLimit_isRefused() {
    store.createShare(link("a", T0, 2));
    assertThat(store.countShareDownload("a", T0.plusSeconds(1))).isTrue();
    assertThat(store.countShareDownload("a", T0.plusSeconds(2))).isTrue();
    assertThat(store.countShareDownload("a", T0.plusSeconds(3))).isFalse();
    assertThat(store.share("a").orElseThrow().downloads()).isEqualTo(2);
    assertThat(store.share("a").orElseThrow().state(T0.plusSeconds(3)))
        .isEqualTo(ShareLinkRecord.State.USED_UP);
    store.createShare(link("b", T0, null));
    assertThat(store.countShareDownload("b", T0.plus(Duration.ofDays(1)))).isFalse();
    assertThat(store.share("b").orElseThrow().state(T0.plus(Duration.ofDays(1))))
        .isEqualTo(ShareLinkRecord.State.EXPIRED);
  }

  @Test
  void countShareDownload_concurrent_neverExceedsTheLimit() throws Exception {
    store.createShare(link("a", T0, 5));
    var pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        tries.add(() -> store.countShareDownload("a", T0.plusSeconds(1)));
      }
      int counted = 0;
      for (Future<Boolean> f : pool.invokeAll(tries)) {
        counted += f.get() ? 1 : 0;
      }
      assertThat(counted).isEqualTo(5);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void deleteSharesEndedBefore_endedLinks_areDeletedAndTheRestGoWithTheBucket() {
    store.createShare(link("old", T0.minus(Duration.ofDays(10)), null));
    store.createShare(link("new", T0, null));
    assertThat(store.deleteSharesEndedBefore(T0)).isEqualTo(1);
    assertThat(store.share("old")).isEmpty();
    store.deleteBucket(B);
    assertThat(store.share("new")).isEmpty();
  }
}
