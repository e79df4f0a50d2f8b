package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A PostgreSQL failover under load, for real: {@code scripts/local-cluster start DIR 2 --standby}
 * runs a primary and a streaming standby ({@code pg_basebackup -R}, synchronous replication) from
 * Debian's binaries, and two Coffre nodes on the multi-host URL {@code
 * postgresql://...:P1,...:P2/coffre?targetServerType=primary}. Under four writers the primary is
 * stopped at once ({@code pg_ctl stop -m immediate}) and the standby promoted ({@code pg_ctl
 * promote}): writes meanwhile get clean {@code 503}s, then succeed again by themselves, nothing
 * restarted; every object acknowledged before the crash and after the promotion reads back intact
 * from both nodes (synchronous replication: a commit the primary acknowledged is on the standby).
 */
class PostgresFailoverIT {
  private static final String BUCKET = "failover";
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/lib/postgresql")))
        .as("the postgresql package is installed")
        .isTrue();
    cluster = LocalCluster.start("pgfailover", 2, "--standby");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] content(int seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void primaryLostUnderLoad_standbyPromoted_writersResumeByThemselves_nothingAcknowledgedLost()
      throws Exception {
    String url = cluster.env.get("PG_URL");
    assertThat(url)
        .contains("127.0.0.1:" + cluster.env.get("PG_PORT") + ",")
        .contains("127.0.0.1:" + cluster.env.get("PG_STANDBY_PORT") + "/")
        .contains("targetServerType=primary");
    try (S3Client s = cluster.s3(1, false)) {
      s.createBucket(b -> b.bucket(BUCKET));
    }

    int writers = 4;
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    Map<String, Instant> acknowledgedAt = new ConcurrentHashMap<>();
    Map<String, Integer> refusals = new ConcurrentHashMap<>();
    AtomicReferenceArray<Instant> lastSuccess = new AtomicReferenceArray<>(writers);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      running.add(
          pool.submit(
              () -> {
                // Through both nodes; the SDK's own retries off, so each request's outcome shows.
                try (S3Client s = cluster.s3(1 + id % 2, false)) {
                  for (int k = 0; !stop.get(); k++) {
                    String key = "w" + id + "/" + k;
                    byte[] body = content(id * 1_000_000 + k, 1024 + (k % 5) * 3000);
                    try {
                      s.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
                      acknowledged.put(key, sha256(body));
                      acknowledgedAt.put(key, Instant.now());
                      lastSuccess.set(id, Instant.now());
                    } catch (S3Exception e) {
                      refusals.merge(
                          e.statusCode() + " " + e.awsErrorDetails().errorCode(), 1, Integer::sum);
                      Thread.sleep(100);
                    } catch (RuntimeException e) {
                      refusals.merge(
                          "no S3 answer: " + e.getClass().getSimpleName(), 1, Integer::sum);
                      Thread.sleep(100);
                    }
                  }
                }
                return null;
              }));
    }
    try {
      Thread.sleep(3000);
      Instant crash = Instant.now();
      cluster.run("pg-crash");
      assertThatThrownBy(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(
                      new InetSocketAddress(
                          "127.0.0.1", Integer.parseInt(cluster.env.get("PG_PORT"))),
                      1000);
                }
              })
          .as("the primary is gone")
          .isInstanceOf(IOException.class);
      Thread.sleep(4000); // writers meet the outage
      cluster.run("pg-promote");
      Instant promoted = Instant.now();

      // Service resumes by itself: every writer succeeds again within a minute of the promotion.
      Instant deadline = promoted.plus(Duration.ofSeconds(60));
      while (Instant.now().isBefore(deadline) && !allSucceededSince(lastSuccess, promoted)) {
        Thread.sleep(250);
      }
      assertThat(allSucceededSince(lastSuccess, promoted))
          .as("each writer succeeds again after the promotion (refusals: %s)", refusals)
          .isTrue();
      Thread.sleep(1000); // a few more writes on the new primary
      stop.set(true);
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }

      long before = acknowledgedAt.values().stream().filter(t -> t.isBefore(crash)).count();
      long after = acknowledgedAt.values().stream().filter(t -> t.isAfter(promoted)).count();
      assertThat(before).as("objects acknowledged before the crash").isPositive();
      assertThat(after).as("objects acknowledged after the promotion").isPositive();
      // The outage was seen, and only as clean 503s (never a cut connection or another error).
      assertThat(refusals).as("refusals during the failover").isNotEmpty();
      assertThat(refusals.keySet()).allMatch(k -> k.startsWith("503 "), "503 only: " + refusals);
    } finally {
      stop.set(true);
      pool.shutdownNow();
      pool.awaitTermination(60, TimeUnit.SECONDS);
    }

    // Nothing acknowledged is lost: every object reads back intact through each node.
    for (int i = 1; i <= 2; i++) {
      try (S3Client s = cluster.s3(i, false)) {
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          byte[] got = s.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
          assertThat(sha256(got)).as("node %d reads %s", i, e.getKey()).isEqualTo(e.getValue());
        }
      }
    }
  }

  private static boolean allSucceededSince(AtomicReferenceArray<Instant> last, Instant since) {
    for (int i = 0; i < last.length(); i++) {
      Instant t = last.get(i);
      if (t == null || !t.isAfter(since)) {
        return false;
      }
    }
    return true;
  }
}
