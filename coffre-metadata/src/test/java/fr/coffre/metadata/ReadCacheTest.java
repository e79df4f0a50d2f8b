package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buckets and their settings are kept between writes, never past one: a change is read back as soon
 * as it is acknowledged, and a change still in flight (or rolled back) is never shown.
 */
class ReadCacheTest {
  private static final BucketName B = new BucketName("cached");

  @TempDir Path dir;
  private SqliteDatabase db;
  private SqlBuckets buckets;
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @BeforeEach
  void open() {
    db = SqliteMetadataStore.database(dir.resolve("m.db"));
    buckets = new SqlBuckets(db);
    buckets.createBucket(new BucketRecord(B, Instant.parse("2026-01-01T00:00:00Z"), "eu-west-3"));
    buckets.putBucketSetting(B, "policy", "v1");
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    db.close();
  }

  @Test
  void aSecondRead_betweenTwoWrites_isServedWithoutReading() {
    assertThat(buckets.bucketSetting(B, "policy")).contains("v1");
    assertThat(buckets.bucket(B)).isPresent();
    long before = buckets.cacheHits();
    assertThat(buckets.bucketSetting(B, "policy")).contains("v1");
    assertThat(buckets.bucket(B).orElseThrow().region()).isEqualTo("eu-west-3");
    assertThat(buckets.cacheHits()).isEqualTo(before + 2);
  }

  @Test
  void aWrite_isReadBackAsSoonAsItIsAcknowledged() {
    assertThat(buckets.bucketSetting(B, "policy")).contains("v1");
    buckets.putBucketSetting(B, "policy", "v2");
    assertThat(buckets.bucketSetting(B, "policy")).contains("v2");

    // The bucket's deletion, too.
    assertThat(buckets.bucket(B)).isPresent();
    buckets.deleteBucket(B);
    assertThat(buckets.bucket(B)).isEmpty();
  }

  @Test
  void aChangeMadeByAnyStatement_endsWhatWasKept_whileOtherWritesDoNot() {
    assertThat(buckets.bucketSetting(B, "policy")).contains("v1");
    // A transaction that changes neither buckets nor settings: what was kept still holds.
    db.transaction(
        "elsewhere",
        s -> {
          try (var st = s.connection().createStatement()) {
            st.execute("CREATE TABLE unrelated (x INTEGER)");
            st.execute("INSERT INTO unrelated VALUES (1)");
          }
          return null;
        });
    long before = buckets.cacheHits();
    assertThat(buckets.bucketSetting(B, "policy")).contains("v1");
    assertThat(buckets.cacheHits()).isEqualTo(before + 1);

    // A change written by hand, by no method of SqlBuckets: the triggers still count it.
    db.transaction(
        "byHand",
        s -> {
          try (var st = s.connection().createStatement()) {
            st.execute("UPDATE bucket_settings SET value = 'v3' WHERE name = 'policy'");
          }
          return null;
        });
    assertThat(buckets.bucketSetting(B, "policy")).contains("v3");
  }

  @Test
  void aChangeInFlight_isNeverShownToOthers_andARollBackLeavesTheOldValue() throws Exception {
    assertThat(buckets.bucketSetting(B, "policy")).contains("v1");
    CountDownLatch readInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> failing =
        CompletableFuture.supplyAsync(
            () ->
                db.transaction(
                    "rolledBack",
                    s -> {
                      s.settings().put(B, "policy", "uncommitted");
                      // Read through the store inside the transaction: it sees its own row...
                      assertThat(buckets.bucketSetting(B, "policy")).contains("uncommitted");
                      readInside.countDown();
                      await(release);
                      throw new IllegalStateException("the change is given up");
                    }),
            pool);
    assertThat(readInside.await(10, TimeUnit.SECONDS)).isTrue();
    // ...which nobody else may see while it is in flight.
    CompletableFuture<Optional<String>> other =
        CompletableFuture.supplyAsync(() -> buckets.bucketSetting(B, "policy"), pool);
    assertThat(other.get(10, TimeUnit.SECONDS)).contains("v1");
    release.countDown();
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .hasRootCauseMessage("the change is given up");
    assertThat(buckets.bucketSetting(B, "policy")).contains("v1");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
