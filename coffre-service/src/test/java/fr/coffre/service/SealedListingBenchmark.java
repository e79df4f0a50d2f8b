package fr.coffre.service;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.WriteCondition;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.RootKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What sealing ETags costs a listing: one page of 1000 keys read from SQLite with the ETags in
 * clear (as before sealing), then the same rows sealed. Measured and printed, never asserted (a
 * benchmark, not a timed test); run with {@code -Dtest=SealedListingBenchmark -Dcoffre.bench=true}.
 */
@EnabledIfSystemProperty(named = "coffre.bench", matches = "true")
class SealedListingBenchmark {
  private static final BucketName B = new BucketName("bench");
  private static final int KEYS = 1000;
  private static final int ROUNDS = 300;

  @TempDir Path dir;

  @Test
  void list1000_clearThenSealed() throws Exception {
    RootKey root = KeyFileRootKey.openOrCreate(dir.resolve("root.key"));
    try (MetadataStore store = SqliteMetadataStore.open(dir.resolve("metadata.db"))) {
      store.createBucket(new BucketRecord(B, Instant.EPOCH, "us-east-1"));
      for (int i = 0; i < KEYS; i++) {
        store.putObject(
            new ObjectRecord(
                B,
                new ObjectKey(String.format("key-%05d", i)),
                100,
                new ETag(String.format("%032x", i)),
                Instant.EPOCH,
                "file:test",
                new byte[] {1},
                List.of(new BlobSlice(BlobId.random(), 100)),
                new byte[] {2}),
            WriteCondition.NONE);
      }
      double clear = measure(store);
      store.sealValuesWith(new MetadataSealer(root, store, Clock.systemUTC()));
      double clearWithSealer = measure(store);
      while (store.sealClearValues(500) > 0) {
        // seal every row
      }
      double sealed = measure(store);
      System.out.printf(
          "ListObjects page of %d keys from SQLite: clear %.2f ms, clear rows with the sealer"
              + " installed %.2f ms, sealed %.2f ms (%.1f us more per key)%n",
          KEYS, clear, clearWithSealer, sealed, (sealed - clear) * 1000 / KEYS);
    }
  }

  /** Median milliseconds of one page of {@link #KEYS}, after a warm-up. */
  private static double measure(MetadataStore store) {
    long[] t = new long[ROUNDS];
    for (int r = -ROUNDS; r < ROUNDS; r++) {
      long start = System.nanoTime();
      int n = store.list(B, new ListQuery("", null, null, KEYS)).objects().size();
      if (n != KEYS) {
        throw new IllegalStateException(n + " keys listed");
      }
      if (r >= 0) {
        t[r] = System.nanoTime() - start;
      }
    }
    java.util.Arrays.sort(t);
    return t[ROUNDS / 2] / 1e6;
  }
}
