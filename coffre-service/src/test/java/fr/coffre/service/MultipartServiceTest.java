package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.md5Hex;
import static fr.coffre.service.ServiceFixture.randomBytes;
import static fr.coffre.service.ServiceFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.InvalidPartException;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.NoSuchUploadException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectChecksum;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.PartRecord;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.WriteCondition;
import fr.coffre.service.MultipartService.CompletedPart;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multipart uploads end to end: parts as blobs, completion as a manifest, expiry by the clock. */
class MultipartServiceTest {
  private static final int MIN = (int) MultipartService.MIN_PART_SIZE;
  private static final ObjectKey KEY = new ObjectKey("videos/conseil-municipal.mp4");

  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private BucketName bucket;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    bucket = f.bucket("media");
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private String create() {
    return create(KEY);
  }

  private String create(ObjectKey key) {
    return f.multipart.create(bucket, key, ObjectAttributes.EMPTY, null, null);
  }

  private ETag upload(String uploadId, int number, byte[] content) {
    return upload(KEY, uploadId, number, content);
  }

  private ETag upload(ObjectKey key, String uploadId, int number, byte[] content) {
    return f.multipart.uploadPart(
        bucket, key, uploadId, number, new ByteArrayInputStream(content), null, null, null);
  }

  private ObjectInfo complete(String uploadId, CompletedPart... parts) {
    return complete(uploadId, WriteCondition.NONE, parts);
  }

  private ObjectInfo complete(String uploadId, WriteCondition condition, CompletedPart... parts) {
    return f.multipart.complete(bucket, KEY, uploadId, List.of(parts), condition, null, null, null);
  }

  private static String md5OfMd5s(byte[]... parts) {
    byte[] concatenated = new byte[16 * parts.length];
    for (int i = 0; i < parts.length; i++) {
      System.arraycopy(HexFormat.of().parseHex(md5Hex(parts[i])), 0, concatenated, 16 * i, 16);
    }
    return md5Hex(concatenated) + "-" + parts.length;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static InvalidPartException.Reason reason(Throwable e) {
    return ((InvalidPartException) e).reason();
  }

  // ---------------------------------------------------------------- the happy path

  @Test
  void complete_twoParts_objectIsTheirConcatenation_withETagMd5OfMd5sDashN() {
    byte[] p1 = randomBytes(MIN, 1);
    byte[] p2 = randomBytes(123_457, 2);
    String id = create();
    ETag e1 = upload(id, 1, p1);
    ETag e2 = upload(id, 2, p2);
    assertThat(e1.value()).isEqualTo(md5Hex(p1));

    ObjectInfo done =
        complete(id, new CompletedPart(1, e1.quoted()), new CompletedPart(2, e2.value()));

    assertThat(done.etag().value()).isEqualTo(md5OfMd5s(p1, p2));
    assertThat(done.size()).isEqualTo(p1.length + p2.length);
    byte[] whole = concat(p1, p2);
    assertThat(f.read(bucket, KEY.value())).isEqualTo(whole);
    ObjectInfo head = f.objects.head(bucket, KEY, ReadConditions.NONE);
    assertThat(head.partsCount()).isEqualTo(2);
    assertThat(head.partSizes()).containsExactly((long) p1.length, (long) p2.length);
    // A range across the part boundary, and GetObject?partNumber=2.
    assertThat(f.read(bucket, KEY.value(), new ByteRange(MIN - 10, MIN + 9)))
        .isEqualTo(Arrays.copyOfRange(whole, MIN - 10, MIN + 10));
    assertThat(
            ServiceFixture.drain(
                f.objects.getPart(bucket, KEY, ReadConditions.NONE, 2, null).content()))
        .isEqualTo(p2);
    assertThatThrownBy(() -> f.multipart.parts(bucket, KEY, id, 0, 1000))
        .isInstanceOf(NoSuchUploadException.class);
  }

  @Test
  void complete_writesAManifest_theObjectsBlobsAreThePartsBlobs() {
    String id = create();
    ETag e1 = upload(id, 1, randomBytes(MIN, 3));
    ETag e2 = upload(id, 2, randomBytes(10, 4));
    List<BlobSlice> partBlobs =
        f.multipart.parts(bucket, KEY, id, 0, 1000).stream().map(PartRecord::blob).toList();
    List<Path> before = f.blobFiles();

    complete(id, new CompletedPart(1, e1.value()), new CompletedPart(2, e2.value()));

    assertThat(f.metadata.object(bucket, KEY).orElseThrow().blobs()).isEqualTo(partBlobs);
    assertThat(f.blobFiles()).as("no data copied").containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void complete_replacesAnExistingObject_andReclaimsItsBlob() {
    f.put(bucket, KEY.value(), utf8("ancienne version"));
    String id = create();
    ETag e1 = upload(id, 1, utf8("nouvelle"));

    complete(id, new CompletedPart(1, e1.value()));

    assertThat(f.read(bucket, KEY.value())).isEqualTo(utf8("nouvelle"));
    assertThat(f.blobFiles()).hasSize(1);
  }

  @Test
  void complete_twoIdenticalCallsRacing_bothSucceedWithTheSameObject() throws Exception {
    // The hostile-client probe saw one of two concurrent identical completions answer InvalidPart.
    for (int round = 0; round < 20; round++) {
      byte[] p1 = randomBytes(MIN, round);
      byte[] p2 = randomBytes(1000, round + 100);
      String id = create();
      ETag e1 = upload(id, 1, p1);
      ETag e2 = upload(id, 2, p2);
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.Callable<ObjectInfo> call =
          () -> {
            start.await();
            return complete(id, new CompletedPart(1, e1.value()), new CompletedPart(2, e2.value()));
          };
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
        var a = pool.submit(call);
        var b = pool.submit(call);
        assertThat(a.get().etag()).isEqualTo(b.get().etag());
      }
      assertThat(f.read(bucket, KEY.value())).isEqualTo(concat(p1, p2));
    }
  }

  @Test
  void complete_retriedAfterSuccess_answersTheSameObject() {
    String id = create();
    ETag e1 = upload(id, 1, utf8("une seule partie"));
    ObjectInfo first = complete(id, new CompletedPart(1, e1.value()));

    ObjectInfo again = complete(id, new CompletedPart(1, e1.value()));

    assertThat(again.etag())
        .isEqualTo(first.etag())
        .isEqualTo(new ETag(md5OfMd5s(utf8("une seule partie"))));
    assertThat(again.size()).isEqualTo(first.size());
  }

  @Test
  void complete_ifNoneMatchOnAnExistingKey_failsPrecondition_oldObjectStays_uploadRemains() {
    f.put(bucket, KEY.value(), utf8("déjà là"));
    String id = create();
    ETag e1 = upload(id, 1, utf8("arrivée"));

    assertThatThrownBy(
            () -> complete(id, new WriteCondition(true, null), new CompletedPart(1, e1.value())))
        .isInstanceOf(PreconditionFailedException.class);

    assertThat(f.read(bucket, KEY.value())).isEqualTo(utf8("déjà là"));
    assertThat(f.multipart.parts(bucket, KEY, id, 0, 1000)).hasSize(1);
  }

  // ---------------------------------------------------------------- parts and listings

  @Test
  void uploadPart_sameNumberTwice_replacesThePart_andReclaimsTheFirstBlob() {
    String id = create();
    upload(id, 1, utf8("premier essai"));
    ETag second = upload(id, 1, utf8("second essai"));

    List<PartRecord> parts = f.multipart.parts(bucket, KEY, id, 0, 1000);
    assertThat(parts)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.etag()).isEqualTo(second);
              assertThat(p.blob().size()).isEqualTo(utf8("second essai").length);
            });
    assertThat(f.blobFiles()).hasSize(1);
    complete(id, new CompletedPart(1, second.value()));
    assertThat(f.read(bucket, KEY.value())).isEqualTo(utf8("second essai"));
  }

  @Test
  void parts_andUploads_listWhatIsInProgress_inOrder() {
    String id = create();
    ObjectKey other = new ObjectKey("audio/seance.ogg");
    String otherId = create(other);
    for (int n : new int[] {3, 1, 2}) {
      upload(id, n, utf8("partie " + n));
    }

    List<PartRecord> all = f.multipart.parts(bucket, KEY, id, 0, 1000);
    assertThat(all).extracting(PartRecord::partNumber).containsExactly(1, 2, 3);
    assertThat(all)
        .extracting(p -> p.etag().value())
        .containsExactly(
            md5Hex(utf8("partie 1")), md5Hex(utf8("partie 2")), md5Hex(utf8("partie 3")));
    assertThat(f.multipart.parts(bucket, KEY, id, 1, 1))
        .as("one page plus one to tell truncation")
        .extracting(PartRecord::partNumber)
        .containsExactly(2, 3);
    List<UploadRecord> uploads = f.multipart.uploads(bucket, "", null, null, 1000);
    assertThat(uploads).extracting(UploadRecord::uploadId).containsExactly(otherId, id);
    assertThat(f.multipart.uploads(bucket, "videos/", null, null, 1000))
        .extracting(u -> u.key().value())
        .containsExactly(KEY.value());
  }

  @Test
  void uploadPart_unknownUpload_orAnotherKeysUpload_failsWithNoSuchUpload() {
    String id = create();

    assertThatThrownBy(() -> upload("0123456789abcdef0123456789abcdef", 1, utf8("x")))
        .isInstanceOf(NoSuchUploadException.class);
    assertThatThrownBy(() -> upload(new ObjectKey("autre"), id, 1, utf8("x")))
        .isInstanceOf(NoSuchUploadException.class);
    assertThatThrownBy(() -> upload("not-an-upload-id", 1, utf8("x")))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(f.blobFiles()).isEmpty();
  }

  // ---------------------------------------------------------------- abort and expiry

  @Test
  void abort_reclaimsEveryPart_andTheUploadIsGone() {
    String id = create();
    upload(id, 1, randomBytes(1_000, 5));
    upload(id, 2, randomBytes(1_000, 6));
    assertThat(f.blobFiles()).hasSize(2);

    f.multipart.abort(bucket, KEY, id);

    assertThat(f.blobFiles()).isEmpty();
    assertThatThrownBy(() -> f.multipart.parts(bucket, KEY, id, 0, 1000))
        .isInstanceOf(NoSuchUploadException.class);
    assertThatThrownBy(() -> upload(id, 3, utf8("trop tard")))
        .isInstanceOf(NoSuchUploadException.class);
    assertThatThrownBy(() -> complete(id, new CompletedPart(1, md5Hex(randomBytes(1_000, 5)))))
        .isInstanceOf(NoSuchUploadException.class);
    assertThatThrownBy(() -> f.multipart.abort(bucket, KEY, id))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(f.multipart.uploads(bucket, "", null, null, 1000)).isEmpty();
  }

  @Test
  void abortInitiatedBefore_clockMovedPastTheExpiry_abortsOnlyOldUploads_andReclaimsTheirParts() {
    String old = create();
    upload(old, 1, utf8("abandonnée"));
    f.advance(Duration.ofDays(3));
    ObjectKey recentKey = new ObjectKey("recent");
    String recent = create(recentKey);
    upload(recentKey, recent, 1, utf8("en cours"));
    f.advance(Duration.ofDays(5)); // old: 8 days, recent: 5 days

    int aborted = f.multipart.abortInitiatedBefore(f.clock.instant().minus(Duration.ofDays(7)));

    assertThat(aborted).isEqualTo(1);
    assertThatThrownBy(() -> f.multipart.parts(bucket, KEY, old, 0, 1000))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(f.multipart.parts(bucket, recentKey, recent, 0, 1000)).hasSize(1);
    assertThat(f.blobFiles()).hasSize(1);
    assertThat(f.multipart.abortInitiatedBefore(f.clock.instant().minus(Duration.ofDays(7))))
        .isZero();
  }

  @Test
  void abortInitiatedBefore_forgetsOldCompletions_soALateRetryIsNoSuchUpload() {
    String id = create();
    ETag e1 = upload(id, 1, utf8("x"));
    complete(id, new CompletedPart(1, e1.value()));
    f.advance(Duration.ofDays(8));

    f.multipart.abortInitiatedBefore(f.clock.instant().minus(Duration.ofDays(7)));

    assertThatThrownBy(() -> complete(id, new CompletedPart(1, e1.value())))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(f.read(bucket, KEY.value())).isEqualTo(utf8("x"));
  }

  // ---------------------------------------------------------------- refused completions

  @Test
  void complete_wrongPartETag_refusedAsMismatched_nothingVisible_uploadStillUsable() {
    String id = create();
    ETag e1 = upload(id, 1, utf8("contenu"));

    assertThatThrownBy(() -> complete(id, new CompletedPart(1, md5Hex(utf8("autre contenu")))))
        .isInstanceOf(InvalidPartException.class)
        .satisfies(
            e ->
                assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.MISSING_OR_MISMATCHED));
    assertThatThrownBy(() -> complete(id, new CompletedPart(2, e1.value())))
        .satisfies(
            e ->
                assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.MISSING_OR_MISMATCHED));
    assertThatThrownBy(() -> complete(id, new CompletedPart(1, null)))
        .satisfies(
            e ->
                assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.MISSING_OR_MISMATCHED));
    assertThatThrownBy(() -> complete(id))
        .satisfies(
            e ->
                assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.MISSING_OR_MISMATCHED));

    assertThatThrownBy(() -> f.read(bucket, KEY.value())).isInstanceOf(NoSuchKeyException.class);
    assertThat(f.blobFiles()).hasSize(1);
    complete(id, new CompletedPart(1, e1.value()));
    assertThat(f.read(bucket, KEY.value())).isEqualTo(utf8("contenu"));
  }

  @Test
  void complete_partsOutOfOrderOrRepeated_refusedWithOrder() {
    String id = create();
    ETag e1 = upload(id, 1, utf8("début")); // the order is checked before the sizes
    ETag e2 = upload(id, 2, utf8("fin"));

    assertThatThrownBy(
            () -> complete(id, new CompletedPart(2, e2.value()), new CompletedPart(1, e1.value())))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.ORDER));
    assertThatThrownBy(
            () -> complete(id, new CompletedPart(1, e1.value()), new CompletedPart(1, e1.value())))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.ORDER));
    assertThatThrownBy(() -> f.read(bucket, KEY.value())).isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void complete_partSmallerThan5MiBBeforeTheLast_refusedTooSmall() {
    String id = create();
    ETag e1 = upload(id, 1, randomBytes(MIN - 1, 8));
    ETag e2 = upload(id, 2, utf8("fin"));

    assertThatThrownBy(
            () -> complete(id, new CompletedPart(1, e1.value()), new CompletedPart(2, e2.value())))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.TOO_SMALL));
    assertThatThrownBy(() -> f.read(bucket, KEY.value())).isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void complete_withoutSomeUploadedParts_usesTheNamedOnes_andReclaimsTheOthers() {
    String id = create();
    byte[] p1 = randomBytes(MIN, 9);
    byte[] p3 = utf8("dernière");
    ETag e1 = upload(id, 1, p1);
    upload(id, 2, utf8("oubliée"));
    ETag e3 = upload(id, 3, p3);
    assertThat(f.blobFiles()).hasSize(3);

    ObjectInfo done =
        complete(id, new CompletedPart(1, e1.value()), new CompletedPart(3, e3.value()));

    assertThat(done.etag().value()).isEqualTo(md5OfMd5s(p1, p3));
    assertThat(f.read(bucket, KEY.value())).isEqualTo(concat(p1, p3));
    assertThat(f.blobFiles()).hasSize(2);
  }

  @Test
  void complete_uploadWithAChecksumAlgorithm_refusesAPartWithoutChecksum_andStoresTheCombinedOne() {
    ObjectAttributes withAlgorithm =
        ObjectAttributes.EMPTY.withChecksum(
            new ObjectChecksum("CRC32", ObjectChecksum.COMPOSITE, null, List.of()));
    String id = f.multipart.create(bucket, KEY, withAlgorithm, null, null);
    assertThat(f.multipart.checksumOf(bucket, KEY, id))
        .hasValueSatisfying(c -> assertThat(c.algorithm()).isEqualTo("CRC32"));
    ETag e1 =
        f.multipart.uploadPart(
            bucket, KEY, id, 1, new ByteArrayInputStream(utf8("a")), null, null, null);
    ChecksumCombiner combiner =
        (chosen, parts) ->
            new ObjectChecksum(
                chosen.algorithm(),
                chosen.type(),
                "combined-" + parts.size(),
                parts.stream().map(PartRecord::checksum).toList());

    assertThatThrownBy(
            () ->
                f.multipart.complete(
                    bucket,
                    KEY,
                    id,
                    List.of(new CompletedPart(1, e1.value())),
                    WriteCondition.NONE,
                    combiner,
                    null,
                    null))
        .satisfies(
            e ->
                assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.MISSING_OR_MISMATCHED));

    ETag again =
        f.multipart.uploadPart(
            bucket, KEY, id, 1, new ByteArrayInputStream(utf8("a")), null, () -> "6b9JQg==", null);
    ObjectInfo done =
        f.multipart.complete(
            bucket,
            KEY,
            id,
            List.of(new CompletedPart(1, again.value())),
            WriteCondition.NONE,
            combiner,
            null,
            null);
    assertThat(done.attributes().checksum().value()).isEqualTo("combined-1");
    assertThat(
            f.objects.head(bucket, KEY, ReadConditions.NONE).attributes().checksum().partValues())
        .containsExactly("6b9JQg==");
  }

  @Test
  void complete_statedObjectChecksumDiffers_refusedWithBadDigest_uploadKept() {
    ObjectAttributes withAlgorithm =
        ObjectAttributes.EMPTY.withChecksum(
            new ObjectChecksum("SHA256", ObjectChecksum.COMPOSITE, null, List.of()));
    String id = f.multipart.create(bucket, KEY, withAlgorithm, null, null);
    ETag e1 =
        f.multipart.uploadPart(
            bucket, KEY, id, 1, new ByteArrayInputStream(utf8("a")), null, () -> "cGFydA==", null);
    ChecksumCombiner combiner =
        (chosen, parts) ->
            new ObjectChecksum(
                chosen.algorithm(), chosen.type(), "Y29tYmluZWQ=-1", List.of("cGFydA=="));
    List<CompletedPart> parts = List.of(new CompletedPart(1, e1.value(), "cGFydA=="));

    assertThatThrownBy(
            () ->
                f.multipart.complete(
                    bucket, KEY, id, parts, WriteCondition.NONE, combiner, "YXV0cmU=", null))
        .isInstanceOf(fr.coffre.core.BadDigestException.class);
    assertThatThrownBy(
            () ->
                f.multipart.complete(
                    bucket,
                    KEY,
                    id,
                    List.of(new CompletedPart(1, e1.value(), "YXV0cmU=")),
                    WriteCondition.NONE,
                    combiner,
                    null,
                    null))
        .satisfies(
            e ->
                assertThat(reason(e)).isEqualTo(InvalidPartException.Reason.MISSING_OR_MISMATCHED));
    assertThatThrownBy(() -> f.read(bucket, KEY.value())).isInstanceOf(NoSuchKeyException.class);

    // The value with or without its part count is accepted.
    f.multipart.complete(
        bucket, KEY, id, parts, WriteCondition.NONE, combiner, "Y29tYmluZWQ=", null);
    assertThat(f.objects.head(bucket, KEY, ReadConditions.NONE).attributes().checksum().value())
        .isEqualTo("Y29tYmluZWQ=-1");
  }

  @Test
  void copy_ofAMultipartObject_isOnePiece_withAPlainMd5ETag_andNoCompositeChecksum() {
    ObjectAttributes withAlgorithm =
        ObjectAttributes.EMPTY.withChecksum(
            new ObjectChecksum("CRC32", ObjectChecksum.COMPOSITE, null, List.of()));
    String id = f.multipart.create(bucket, KEY, withAlgorithm, null, null);
    byte[] p1 = randomBytes(MIN, 10);
    byte[] p2 = randomBytes(1_000, 11);
    ETag e1 =
        f.multipart.uploadPart(
            bucket, KEY, id, 1, new ByteArrayInputStream(p1), null, () -> "AAAAAA==", null);
    ETag e2 =
        f.multipart.uploadPart(
            bucket, KEY, id, 2, new ByteArrayInputStream(p2), null, () -> "AQEBAQ==", null);
    f.multipart.complete(
        bucket,
        KEY,
        id,
        List.of(new CompletedPart(1, e1.value()), new CompletedPart(2, e2.value())),
        WriteCondition.NONE,
        (chosen, parts) ->
            new ObjectChecksum(
                chosen.algorithm(),
                chosen.type(),
                "AgICAg==-2",
                parts.stream().map(PartRecord::checksum).toList()),
        null,
        null);

    ObjectInfo copy =
        f.objects.copy(
            bucket,
            KEY,
            ReadConditions.NONE,
            null,
            bucket,
            new ObjectKey("copie"),
            a -> a,
            WriteCondition.NONE,
            null,
            null);

    byte[] whole = concat(p1, p2);
    assertThat(copy.etag().value()).isEqualTo(md5Hex(whole));
    assertThat(copy.attributes().checksum()).isNull();
    assertThat(f.objects.head(bucket, new ObjectKey("copie"), ReadConditions.NONE).partsCount())
        .isEqualTo(1);
    assertThat(f.read(bucket, "copie")).isEqualTo(whole);
  }

  @Test
  void customerKeyUpload_partsNeedTheCreationsKey_andTheObjectReadsOnlyWithIt() {
    fr.coffre.core.CustomerKey mine = new fr.coffre.core.CustomerKey(randomBytes(32, 12));
    fr.coffre.core.CustomerKey other = new fr.coffre.core.CustomerKey(randomBytes(32, 13));
    String id = f.multipart.create(bucket, KEY, ObjectAttributes.EMPTY, mine, null);

    assertThatThrownBy(
            () ->
                f.multipart.uploadPart(
                    bucket, KEY, id, 1, new ByteArrayInputStream(utf8("x")), null, null, null))
        .isInstanceOf(fr.coffre.core.CustomerKeyException.class);
    assertThatThrownBy(
            () ->
                f.multipart.uploadPart(
                    bucket, KEY, id, 1, new ByteArrayInputStream(utf8("x")), null, null, other))
        .isInstanceOf(fr.coffre.core.CustomerKeyException.class);
    assertThat(f.blobFiles()).isEmpty();
    ETag e1 =
        f.multipart.uploadPart(
            bucket, KEY, id, 1, new ByteArrayInputStream(utf8("secret")), null, null, mine);
    f.multipart.complete(
        bucket,
        KEY,
        id,
        List.of(new CompletedPart(1, e1.value())),
        WriteCondition.NONE,
        null,
        null,
        mine);

    assertThat(
            ServiceFixture.drain(
                f.objects.get(bucket, KEY, ReadConditions.NONE, null, false, mine).content()))
        .isEqualTo(utf8("secret"));
    assertThatThrownBy(() -> f.read(bucket, KEY.value()))
        .isInstanceOf(fr.coffre.core.CustomerKeyException.class);
  }

  @Test
  void create_keepsTheAttributes_whichTheCompletedObjectCarries() {
    ObjectAttributes attrs =
        new ObjectAttributes(
            "video/mp4", null, "attachment", null, null, null, Map.of("seance", "2026-12-01"));
    String id = f.multipart.create(bucket, KEY, attrs, null, null);
    ETag e1 = upload(id, 1, utf8("images"));

    complete(id, new CompletedPart(1, e1.value()));

    assertThat(f.objects.head(bucket, KEY, ReadConditions.NONE).attributes()).isEqualTo(attrs);
  }
}
