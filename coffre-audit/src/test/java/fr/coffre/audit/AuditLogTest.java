package fr.coffre.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer: group commit, checkpoints, segments, recovery, retention, exports that verify. */
class AuditLogTest {
  @TempDir Path dir;
  private Signer signer;
  private String publicKey;
  private AuditLog log;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

  @BeforeEach
  void keys() throws GeneralSecurityException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    signer =
        new Signer() {
          @Override
          public byte[] sign(byte[] message) {
            try {
              Signature s = Signature.getInstance("Ed25519");
              s.initSign(pair.getPrivate());
              s.update(message);
              return s.sign();
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public String publicKeyBase64() {
            return publicKey;
          }
        };
  }

  @AfterEach
  void close() {
    if (log != null) {
      log.close();
    }
  }

  private AuditLog open(long segmentBytes, Duration retention) throws IOException {
    log =
        AuditLog.open(
            dir,
            new AuditLog.Options(Duration.ofHours(1), segmentBytes, retention),
            () -> signer,
            clock);
    return log;
  }

  private AuditEvent event(int i) {
    return new AuditEvent(
        clock.instant(),
        "REQ" + i,
        "s3",
        new AuditEvent.Actor("user", "acme", "123456789012", "alice", "AKIA" + i, null),
        "127.0.0.1",
        false,
        "PutObject",
        "photos",
        "été/ü " + i + ".jpg",
        null,
        200,
        null,
        4096,
        0,
        null);
  }

  private VerifyReport export(String chain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    log.export(chain, out);
    return AuditVerifier.verifyExport(
        new java.io.ByteArrayInputStream(out.toByteArray()), publicKey);
  }

  @Test
  void concurrentAppendsFormOneGaplessChainThatVerifies() throws Exception {
    open(64L << 20, Duration.ofDays(180));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> done = new ArrayList<>();
    AtomicInteger n = new AtomicInteger();
    for (int i = 0; i < 2000; i++) {
      int k = i;
      done.add(
          pool.submit(
              () -> {
                log.append(List.of(k % 2 == 0 ? "acme" : "globex"), event(k));
                n.incrementAndGet();
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(n).hasValue(2000);
    assertThat(log.head("acme").seq()).isEqualTo(1000);
    assertThat(log.head("globex").seq()).isEqualTo(1000);
    VerifyReport acme = export("acme");
    assertThat(acme.ok()).as(acme.describe()).isTrue();
    assertThat(acme.records()).isEqualTo(1000);
    assertThat(log.chains()).containsExactly("acme", "globex");
    // group commit: 16 callers waiting together share fsyncs (one per chain per batch)
    assertThat(log.committedRecords()).isEqualTo(2000);
    assertThat(log.recordSyncs()).isPositive().isLessThan(2000);
  }

  @Test
  void anEventForTwoTenantsLandsInBothChains() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    log.append(List.of("acme", "globex"), event(1));
    assertThat(log.head("acme").seq()).isEqualTo(1);
    assertThat(log.head("globex").seq()).isEqualTo(1);
    assertThat(export("globex").ok()).isTrue();
  }

  @Test
  void anExportHoldsOnlyItsChain() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    log.append(List.of("acme"), event(1));
    log.append(List.of("globex"), event(2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    log.export("acme", out);
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("REQ1").doesNotContain("REQ2").doesNotContain("globex");
  }

  @Test
  void recordsAreDurableAndTheHeadSurvivesAReopen() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    for (int i = 0; i < 10; i++) {
      log.append(List.of("acme"), event(i));
    }
    String hash = log.head("acme").hash();
    log.close();
    open(64L << 20, Duration.ofDays(180));
    assertThat(log.head("acme")).isEqualTo(new AuditLog.Head(10, hash));
    log.append(List.of("acme"), event(10));
    assertThat(log.head("acme").seq()).isEqualTo(11);
    VerifyReport r = export("acme");
    assertThat(r.ok()).as(r.describe()).isTrue();
  }

  @Test
  void theNewestTimeWrittenIsKnownAtTheNextOpen_evenWhenTheClockWasSetBack() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    assertThat(log.newestTimeAtOpen()).as("a new trail").isNull();
    clock.advance(Duration.ofHours(5));
    Instant written = clock.instant();
    log.append(List.of("acme"), event(1));
    log.close();
    clock.advance(Duration.ofHours(-3));
    open(64L << 20, Duration.ofDays(180));
    assertThat(log.newestTimeAtOpen()).isNotNull().isAfterOrEqualTo(written);
    assertThat(log.newestTimeAtOpen()).isAfter(clock.instant());
  }

  @Test
  void anUnfinishedLastLineIsMovedAsideAndReported() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    for (int i = 0; i < 5; i++) {
      log.append(List.of("acme"), event(i));
    }
    log.close();
    Path segment = ChainWriter.segments(dir.resolve("acme")).get(0);
    // A crash in the middle of a write: half a record, no newline.
    Files.write(
        segment,
        "{\"type\":\"record\",\"chain\":\"acme\",\"seq\":6,\"ti".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    open(64L << 20, Duration.ofDays(180));
    assertThat(log.recoveryNotices()).singleElement().asString().contains("acme").contains("torn");
    assertThat(log.head("acme").seq()).isEqualTo(5);
    log.append(List.of("acme"), event(6));
    VerifyReport r = export("acme");
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(r.records()).isEqualTo(6);
  }

  @Test
  void aSegmentStartedWhenTheServerStoppedIsMovedAside() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    for (int i = 0; i < 3; i++) {
      log.append(List.of("acme"), event(i));
    }
    log.close();
    // A crash right after the next segment's file was created, before its anchor was written.
    Files.writeString(dir.resolve("acme").resolve(ChainWriter.name(4)), "{\"type\":\"checkp");
    open(64L << 20, Duration.ofDays(180));
    assertThat(log.recoveryNotices()).singleElement().asString().contains("was being started");
    log.append(List.of("acme"), event(3));
    VerifyReport r = export("acme");
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(r.records()).isEqualTo(4);
  }

  @Test
  void aSegmentAlteredInTheMiddleStopsTheStart() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    for (int i = 0; i < 5; i++) {
      log.append(List.of("acme"), event(i));
    }
    log.close();
    Path segment = ChainWriter.segments(dir.resolve("acme")).get(0);
    String text = Files.readString(segment).replace("\"status\":200", "\"status\":404");
    Files.writeString(segment, text);
    assertThatThrownBy(() -> open(64L << 20, Duration.ofDays(180)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("altered");
    log = null;
  }

  @Test
  void fullSegmentsRollWithAnAnchorAndExpiredOnesArePurged() throws IOException {
    open(4096, Duration.ofDays(180));
    for (int i = 0; i < 60; i++) {
      log.append(List.of("acme"), event(i));
      clock.advance(Duration.ofDays(1));
    }
    // A segment rolls after its callers are released: a call on the writer thread waits for it.
    log.head("acme");
    List<Path> segments = ChainWriter.segments(dir.resolve("acme"));
    assertThat(segments).hasSizeGreaterThan(3);
    assertThat(Files.readAllLines(segments.get(1)).get(0)).contains("\"type\":\"checkpoint\"");
    VerifyReport all = export("acme");
    assertThat(all.ok()).as(all.describe()).isTrue();
    assertThat(all.records()).isEqualTo(60);
    // Nothing is old enough yet.
    assertThat(log.purgeExpired()).isZero();
    clock.advance(Duration.ofDays(150));
    log.purgeExpired(); // (the writer's hourly purge may have run first: count the files)
    List<Path> kept = ChainWriter.segments(dir.resolve("acme"));
    assertThat(kept).hasSizeLessThan(segments.size()).hasSizeGreaterThan(1);
    // What is kept: the segments closed within the retention, and the current one.
    Instant limit = clock.instant().minus(Duration.ofDays(180));
    assertThat(ChainWriter.firstTime(kept.get(1))).isAfterOrEqualTo(limit);
    assertThat(segments.subList(segments.size() - kept.size(), segments.size())).isEqualTo(kept);
    VerifyReport rest = export("acme");
    assertThat(rest.ok()).as(rest.describe()).isTrue();
    assertThat(rest.firstSeq()).isGreaterThan(1L);
    assertThat(rest.lastSeq()).isEqualTo(60L);
  }

  @Test
  void checkpointsCommitToTheHeadAndTheTrailStaysHealthy() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    log.append(List.of("_system"), event(1));
    log.checkpoint();
    String text = Files.readString(ChainWriter.segments(dir.resolve("_system")).get(0));
    assertThat(text.lines().toList())
        .last()
        .asString()
        .contains("\"type\":\"checkpoint\"")
        .contains("\"seq\":1");
    assertThat(log.healthy()).isTrue();
  }

  @Test
  void chainNamesCannotEscapeTheDirectory() throws IOException {
    open(64L << 20, Duration.ofDays(180));
    assertThatThrownBy(() -> log.append(List.of("../x"), event(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.append(List.of("Acme"), event(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutASignerRecordsStillLandAndCheckpointsWait() throws IOException {
    log =
        AuditLog.open(
            dir,
            new AuditLog.Options(Duration.ofMillis(100), 64L << 20, Duration.ofDays(180)),
            () -> {
              throw new IllegalStateException("sealed");
            },
            clock);
    log.append(List.of("acme"), event(1));
    log.checkpoint();
    assertThat(log.head("acme").seq()).isEqualTo(1);
    assertThat(Files.readString(ChainWriter.segments(dir.resolve("acme")).get(0)))
        .doesNotContain("checkpoint");
  }

  /** A clock the tests move forward. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
