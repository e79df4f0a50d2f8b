package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.audit.AuditLog;
import fr.coffre.audit.Signer;
import fr.coffre.core.BucketName;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.LockState;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.RetentionMode;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.service.lifecycle.LifecycleFilter;
import fr.coffre.service.lifecycle.LifecycleRule;
import fr.coffre.service.lifecycle.LifecycleRule.Expiration;
import fr.coffre.service.lifecycle.LifecycleRule.NoncurrentExpiration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle pass over real services: what is due goes (and is recorded), nothing else does, and
 * the hand-moved clock decides when.
 */
class LifecycleJobTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private AuditLog log;
  private AuditService audit;
  private LifecycleJob job;

  /** The stored "documents" are names of rule lists: the XML is the protocol layer's business. */
  private final Map<String, List<LifecycleRule>> documents = new HashMap<>();

  @BeforeEach
  void open() throws Exception {
    f = ServiceFixture.open(dir.resolve("fixture"));
    Signer signer =
        new Signer() {
          @Override
          public byte[] sign(byte[] message) {
            return new byte[64];
          }

          @Override
          public String publicKeyBase64() {
            return "";
          }
        };
    log = AuditLog.open(dir.resolve("audit"), AuditLog.Options.defaults(), () -> signer, f.clock);
    audit = new AuditService(log, f.metadata, f.identities, true);
    job =
        new LifecycleJob(
            f.buckets,
            f.multipart,
            audit,
            new LifecycleVersions(f.metadata, f.objects),
            name -> {
              List<LifecycleRule> rules = documents.get(name);
              if (rules == null) {
                throw new IllegalArgumentException("not a lifecycle document: " + name);
              }
              return rules;
            },
            f.clock);
  }

  @AfterEach
  void close() throws Exception {
    log.close();
    f.close();
  }

  private void configure(BucketName bucket, LifecycleRule... rules) {
    String name = "rules-" + documents.size();
    documents.put(name, List.of(rules));
    f.buckets.setSetting(bucket, LifecycleJob.SETTING, name);
  }

  private static LifecycleRule expireAfter(String id, String prefix, int days) {
    return new LifecycleRule(
        id, true, LifecycleFilter.prefix(prefix), Expiration.afterDays(days), null, null);
  }

  private boolean exists(BucketName bucket, String key) {
    return f.metadata.object(bucket, new ObjectKey(key)).isPresent();
  }

  private String trail(String tenant) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    audit.export(tenant, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void run_expiresOnlyWhatIsDue_atTheRoundedMidnight_andRecordsEachRemoval() throws Exception {
    BucketName b = f.bucket("logs");
    f.put(b, "tmp/a", utf8("a"));
    f.put(b, "keep/b", utf8("b"));
    configure(b, expireAfter("tmp-1d", "tmp/", 1));
    // Written 2026-12-01T09:00Z, Days 1: due 2026-12-03T00:00Z.
    f.clock.now = Instant.parse("2026-12-02T23:59:59Z");
    LifecycleJob.Result early = job.run();
    assertThat(early.buckets()).isEqualTo(1);
    assertThat(early.examined()).isEqualTo(2);
    assertThat(early.expired()).isZero();
    assertThat(exists(b, "tmp/a")).isTrue();

    f.clock.now = Instant.parse("2026-12-03T00:00:00Z");
    LifecycleJob.Result due = job.run();
    assertThat(due.expired()).isEqualTo(1);
    assertThat(due.problems()).isEmpty();
    assertThat(exists(b, "tmp/a")).isFalse();
    assertThat(exists(b, "keep/b")).isTrue();
    String trail = trail(ServiceFixture.defaultTenant());
    assertThat(trail)
        .contains("LifecycleExpireObject", "tmp/a", "tmp-1d", "2026-12-03T00:00:00Z")
        .doesNotContain("keep/b");
    // A second pass finds nothing more to do.
    assertThat(job.run().expired()).isZero();
  }

  @Test
  void run_bucketWithoutConfiguration_isNotTouched() {
    BucketName b = f.bucket("plain");
    f.put(b, "a", utf8("a"));
    f.advance(Duration.ofDays(3650));
    LifecycleJob.Result r = job.run();
    assertThat(r.buckets()).isZero();
    assertThat(r.examined()).isZero();
    assertThat(exists(b, "a")).isTrue();
  }

  @Test
  void run_tagFilter_readsTheTags_andExpiresOnlyTheTaggedObjects() {
    BucketName b = f.bucket("tagged");
    f.put(b, "a", utf8("a"));
    f.put(b, "b", utf8("b"));
    f.objects.setTags(b, new ObjectKey("a"), Map.of("retention", "short"));
    configure(
        b,
        new LifecycleRule(
            "short",
            true,
            new LifecycleFilter("", Map.of("retention", "short"), null, null),
            Expiration.afterDays(1),
            null,
            null));
    f.advance(Duration.ofDays(2));
    LifecycleJob.Result r = job.run();
    assertThat(r.expired()).isEqualTo(1);
    assertThat(exists(b, "a")).isFalse();
    assertThat(exists(b, "b")).isTrue();
  }

  @Test
  void run_objectWhoseTagsCannotBeRead_isLeftAlone_andCountedAsSkipped() {
    BucketName b = f.bucket("customer");
    CustomerKey key = new CustomerKey(ServiceFixture.randomBytes(32, 3));
    f.put(
        b,
        "sse-c",
        utf8("secret"),
        new PutRequest(ObjectAttributes.EMPTY, null, null, null, key, null));
    f.put(b, "plain", utf8("plain"));
    configure(b, expireAfter("all", "", 1));
    f.advance(Duration.ofDays(2));
    LifecycleJob.Result r = job.run();
    assertThat(r.expired()).isEqualTo(1);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(exists(b, "sse-c")).isTrue();
    assertThat(exists(b, "plain")).isFalse();
  }

  /** Version ids of {@code key}, newest first, delete markers included. */
  private List<String> versionsOf(BucketName bucket, String key) {
    VersionPage page = f.objects.listVersions(bucket, new VersionQuery(key, null, null, null, 100));
    return page.versions().stream().map(e -> e.version().versionId()).toList();
  }

  @Test
  void run_lockedNoncurrentVersion_isKeptUntilItsRetentionEnds_freeOnesGo() {
    BucketName b = new BucketName("locked");
    f.buckets.create(b, ServiceFixture.REGION, "default", ServiceFixture.DEFAULT_CLASS, true);
    Instant until = ServiceFixture.START.plus(Duration.ofDays(30));
    PutRequest locked =
        PutRequest.of(ObjectAttributes.EMPTY)
            .withLock(new LockState(RetentionMode.COMPLIANCE, until, false));
    String lockedOld = f.put(b, "kept", utf8("old"), locked).versionId();
    String lockedNew = f.put(b, "kept", utf8("new"), locked).versionId();
    PutRequest held =
        PutRequest.of(ObjectAttributes.EMPTY).withLock(new LockState(null, null, true));
    String heldOld = f.put(b, "held", utf8("old"), held).versionId();
    f.put(b, "held", utf8("new"));
    f.put(b, "free", utf8("old"));
    String freeNew = f.put(b, "free", utf8("new")).versionId();
    configure(
        b,
        new LifecycleRule(
            "noncurrent",
            true,
            LifecycleFilter.ALL,
            null,
            new NoncurrentExpiration(1, null),
            null));

    f.advance(Duration.ofDays(5));
    LifecycleJob.Result first = job.run();
    assertThat(first.noncurrentRemoved()).isEqualTo(1);
    assertThat(versionsOf(b, "free")).containsExactly(freeNew);
    assertThat(versionsOf(b, "kept")).containsExactly(lockedNew, lockedOld);
    assertThat(versionsOf(b, "held")).contains(heldOld);

    // Once the retention has ended the old version goes; the legal hold keeps its version still.
    f.advance(Duration.ofDays(30));
    LifecycleJob.Result second = job.run();
    assertThat(second.noncurrentRemoved()).isEqualTo(1);
    assertThat(versionsOf(b, "kept")).containsExactly(lockedNew);
    assertThat(versionsOf(b, "held")).contains(heldOld);
  }

  @Test
  void run_expirationDateInThePast_expiresEveryMatchingObjectNow() {
    BucketName b = f.bucket("dated");
    f.put(b, "old/a", utf8("a"));
    f.put(b, "new/a", utf8("a"));
    configure(
        b,
        new LifecycleRule(
            "past",
            true,
            LifecycleFilter.prefix("old/"),
            Expiration.on(Instant.parse("2020-01-01T00:00:00Z")),
            null,
            null),
        new LifecycleRule(
            "future",
            true,
            LifecycleFilter.prefix("new/"),
            Expiration.on(Instant.parse("2030-01-01T00:00:00Z")),
            null,
            null));
    assertThat(job.run().expired()).isEqualTo(1);
    assertThat(exists(b, "old/a")).isFalse();
    assertThat(exists(b, "new/a")).isTrue();
  }

  @Test
  void run_sizeFilter_expiresOnlyObjectsInTheBounds() {
    BucketName b = f.bucket("sized");
    f.put(b, "small", new byte[10]);
    f.put(b, "large", new byte[1000]);
    configure(
        b,
        new LifecycleRule(
            "large",
            true,
            new LifecycleFilter("", Map.of(), 100L, null),
            Expiration.afterDays(1),
            null,
            null));
    f.advance(Duration.ofDays(2));
    assertThat(job.run().expired()).isEqualTo(1);
    assertThat(exists(b, "small")).isTrue();
    assertThat(exists(b, "large")).isFalse();
  }

  @Test
  void run_abortsUploadsDaysAfterInitiation_underThePrefix_andRecordsThem() throws Exception {
    BucketName b = f.bucket("uploads");
    String due = f.multipart.create(b, new ObjectKey("in/a"), ObjectAttributes.EMPTY, null, null);
    String other =
        f.multipart.create(b, new ObjectKey("out/a"), ObjectAttributes.EMPTY, null, null);
    configure(b, new LifecycleRule("abort-2d", true, LifecycleFilter.prefix("in/"), null, null, 2));
    f.advance(Duration.ofDays(1));
    assertThat(job.run().uploadsAborted()).isZero();
    f.clock.now = Instant.parse("2026-12-04T00:00:00Z");
    LifecycleJob.Result r = job.run();
    assertThat(r.uploadsAborted()).isEqualTo(1);
    assertThat(f.multipart.uploads(b, null, null, null, 10))
        .extracting(u -> u.uploadId())
        .containsExactly(other);
    assertThat(trail(ServiceFixture.defaultTenant()))
        .contains("LifecycleAbortMultipartUpload", due, "abort-2d");
  }

  @Test
  void run_disabledRule_doesNothing() {
    BucketName b = f.bucket("disabled");
    f.put(b, "a", utf8("a"));
    configure(
        b, new LifecycleRule("off", false, LifecycleFilter.ALL, Expiration.afterDays(1), null, 1));
    f.advance(Duration.ofDays(30));
    LifecycleJob.Result r = job.run();
    assertThat(r.examined()).isZero();
    assertThat(exists(b, "a")).isTrue();
  }

  @Test
  void run_unreadableConfiguration_isReported_andOtherBucketsStillServed() {
    BucketName broken = f.bucket("broken");
    f.put(broken, "a", utf8("a"));
    f.buckets.setSetting(broken, LifecycleJob.SETTING, "garbage");
    BucketName fine = f.bucket("fine");
    f.put(fine, "a", utf8("a"));
    configure(fine, expireAfter("all", "", 1));
    f.advance(Duration.ofDays(2));
    LifecycleJob.Result r = job.run();
    assertThat(r.problems()).singleElement().asString().contains("broken");
    assertThat(exists(broken, "a")).isTrue();
    assertThat(exists(fine, "a")).isFalse();
  }

  @Test
  void run_objectOfAnotherTenant_isRecordedInThatTenantsChain() throws Exception {
    f.identities.createTenant("mairie", null);
    BucketName b = f.bucket("archives", "mairie");
    f.put(b, "a", utf8("a"));
    configure(b, expireAfter("all", "", 1));
    f.advance(Duration.ofDays(2));
    assertThat(job.run().expired()).isEqualTo(1);
    assertThat(trail("mairie")).contains("LifecycleExpireObject", "archives");
  }
}
