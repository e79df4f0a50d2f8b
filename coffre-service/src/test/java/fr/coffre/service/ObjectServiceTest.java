package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.md5Hex;
import static fr.coffre.service.ServiceFixture.randomBytes;
import static fr.coffre.service.ServiceFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BadDigestException;
import fr.coffre.core.BucketName;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.CustomerKeyException;
import fr.coffre.core.ETag;
import fr.coffre.core.InvalidPartNumberException;
import fr.coffre.core.InvalidRangeException;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.NotModifiedException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.WriteCondition;
import fr.coffre.metadata.MetadataStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object use cases end to end: real crypto, real blob files, real SQLite rows, a hand-moved clock.
 */
class ObjectServiceTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private BucketName bucket;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    bucket = f.bucket("archives");
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private static ObjectKey key(String k) {
    return new ObjectKey(k);
  }

  // ---------------------------------------------------------------- put and get

  @Test
  void put_thenGet_returnsTheSameBytesAndTheMd5ETag() {
    byte[] content = randomBytes(300_000, 1); // several 64 KiB segments
    ObjectInfo put = f.put(bucket, "rapport.pdf", content);

    assertThat(put.size()).isEqualTo(300_000);
    assertThat(put.etag().value()).isEqualTo(md5Hex(content));
    assertThat(put.lastModified()).isEqualTo(ServiceFixture.START);
    assertThat(put.kmsKeyArn()).isNull();
    assertThat(f.read(bucket, "rapport.pdf")).isEqualTo(content);
    ObjectInfo head = f.objects.head(bucket, key("rapport.pdf"), ReadConditions.NONE);
    assertThat(head.etag()).isEqualTo(put.etag());
    assertThat(head.size()).isEqualTo(300_000);
    assertThat(head.partsCount()).isEqualTo(1);
  }

  @Test
  void put_emptyBody_storesAnEmptyObjectWithTheMd5OfNothing() {
    ObjectInfo put = f.put(bucket, "empty", new byte[0]);

    assertThat(put.etag().value()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(f.read(bucket, "empty")).isEmpty();
    assertThatThrownBy(() -> f.read(bucket, "empty", new ByteRange(0, 0)))
        .isInstanceOf(InvalidRangeException.class);
  }

  @Test
  void put_contentAndMetadata_areNowhereInClearOnDisk() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      text.append("Dossier patient 1789-")
          .append(i)
          .append(" : diagnostic confidentiel ne pas divulguer.\n");
    }
    byte[] content = utf8(text.toString());
    String secretMeta = "valeur-de-metadonnee-tres-confidentielle";
    ObjectAttributes attrs =
        new ObjectAttributes(
            "text/plain", null, null, null, null, null, Map.of("classification", secretMeta));
    f.put(bucket, "patients.txt", content, PutRequest.of(attrs));

    assertThat(f.read(bucket, "patients.txt")).isEqualTo(content);
    assertThat(
            f.objects
                .head(bucket, key("patients.txt"), ReadConditions.NONE)
                .attributes()
                .userMetadata())
        .containsEntry("classification", secretMeta);
    List<Path> blobFiles = f.blobFiles();
    assertThat(blobFiles).hasSize(1);
    assertThat(Files.size(blobFiles.get(0))).isGreaterThan(content.length); // header and GCM tags
    byte[] contentNeedle = utf8("diagnostic confidentiel");
    byte[] metaNeedle = utf8(secretMeta);
    for (Path file : f.allFiles()) {
      byte[] bytes = Files.readAllBytes(file);
      assertThat(indexOf(bytes, contentNeedle)).as("plaintext content in %s", file).isEqualTo(-1);
      assertThat(indexOf(bytes, metaNeedle)).as("plaintext metadata in %s", file).isEqualTo(-1);
    }
  }

  @Test
  void put_contentMd5Mismatch_refusedWithBadDigest_andLeavesNothing() {
    byte[] content = utf8("le contenu envoyé");
    byte[] wrongMd5 = new byte[16];

    assertThatThrownBy(
            () ->
                f.put(
                    bucket,
                    "k",
                    content,
                    new PutRequest(ObjectAttributes.EMPTY, wrongMd5, WriteCondition.NONE)))
        .isInstanceOf(BadDigestException.class);
    assertThatThrownBy(() -> f.read(bucket, "k")).isInstanceOf(NoSuchKeyException.class);
    assertThat(f.allFiles()).noneMatch(p -> p.startsWith(f.volume));
  }

  @Test
  void put_bodyFailsMidway_nothingVisibleAndNoBlobLeft() {
    f.put(bucket, "k", utf8("ancien"));
    InputStream broken =
        new InputStream() {
          private int sent;

          @Override
          public int read() throws IOException {
            if (sent++ > 100_000) {
              throw new IOException("connection reset by peer");
            }
            return 'x';
          }
        };

    assertThatThrownBy(
            () -> f.objects.put(bucket, key("k"), broken, PutRequest.of(ObjectAttributes.EMPTY)))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(f.read(bucket, "k")).isEqualTo(utf8("ancien"));
    assertThat(f.blobFiles()).hasSize(1);
    assertThat(f.allFiles()).filteredOn(p -> p.startsWith(f.volume.resolve("tmp"))).isEmpty();
  }

  @Test
  void put_databaseFailsAfterItCommitted_keepsTheBlobTheRowNames() {
    // A networked database can commit and then lose the connection before saying so.
    MetadataStore answerLost =
        (MetadataStore)
            Proxy.newProxyInstance(
                MetadataStore.class.getClassLoader(),
                new Class<?>[] {MetadataStore.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(f.metadata, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("putObject")) {
                    throw new StorageFailureException("connection lost during COMMIT", null);
                  }
                  return result;
                });
    ObjectService objects =
        new ObjectService(answerLost, f.blobs, f.crypto, f.keys, f.clock, f.placement);

    assertThatThrownBy(
            () ->
                objects.put(
                    bucket,
                    key("k"),
                    new ByteArrayInputStream(utf8("committed")),
                    PutRequest.of(ObjectAttributes.EMPTY)))
        .isInstanceOf(StorageFailureException.class);
    assertThat(f.read(bucket, "k")).isEqualTo(utf8("committed"));
  }

  @Test
  void put_intoMissingBucket_failsWithNoSuchBucket_andWritesNoBlob() {
    BucketName missing = new BucketName("nowhere");

    assertThatThrownBy(() -> f.put(missing, "k", utf8("x")))
        .isInstanceOf(NoSuchBucketException.class);
    assertThat(f.blobFiles()).isEmpty();
  }

  @Test
  void put_withCustomerKey_readableOnlyWithThatKey() {
    CustomerKey mine = new CustomerKey(randomBytes(32, 7));
    CustomerKey other = new CustomerKey(randomBytes(32, 8));
    byte[] content = utf8("chiffré par la clé du client");
    f.put(
        bucket,
        "ssec",
        content,
        new PutRequest(ObjectAttributes.EMPTY, null, null, null, mine, null));

    assertThat(
            ServiceFixture.drain(
                f.objects
                    .get(bucket, key("ssec"), ReadConditions.NONE, null, false, mine)
                    .content()))
        .isEqualTo(content);
    assertThatThrownBy(() -> f.read(bucket, "ssec"))
        .isInstanceOfSatisfying(
            CustomerKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(CustomerKeyException.Reason.REQUIRED));
    assertThatThrownBy(
            () -> f.objects.get(bucket, key("ssec"), ReadConditions.NONE, null, false, other))
        .isInstanceOfSatisfying(
            CustomerKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(CustomerKeyException.Reason.MISMATCH));
  }

  // ---------------------------------------------------------------- conditional writes

  @Test
  void put_ifNoneMatchStar_onAbsentKey_creates() {
    ObjectInfo put =
        f.put(
            bucket,
            "new",
            utf8("premier"),
            new PutRequest(ObjectAttributes.EMPTY, null, new WriteCondition(true, null)));

    assertThat(f.read(bucket, "new")).isEqualTo(utf8("premier"));
    assertThat(put.etag().value()).isEqualTo(md5Hex(utf8("premier")));
  }

  @Test
  void put_ifNoneMatchStar_onExistingKey_failsPrecondition_keepsOldAndReclaimsNewBlob() {
    f.put(bucket, "k", utf8("premier"));

    assertThatThrownBy(
            () ->
                f.put(
                    bucket,
                    "k",
                    utf8("second"),
                    new PutRequest(ObjectAttributes.EMPTY, null, new WriteCondition(true, null))))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(f.read(bucket, "k")).isEqualTo(utf8("premier"));
    assertThat(f.blobFiles()).hasSize(1);
  }

  @Test
  void put_ifMatchCurrentETag_replaces() {
    ETag first = f.put(bucket, "k", utf8("v1")).etag();

    f.put(
        bucket,
        "k",
        utf8("v2"),
        new PutRequest(ObjectAttributes.EMPTY, null, new WriteCondition(false, first)));

    assertThat(f.read(bucket, "k")).isEqualTo(utf8("v2"));
    assertThat(f.blobFiles()).hasSize(1);
  }

  @Test
  void put_ifMatchStaleETag_failsPrecondition_andKeepsCurrent() {
    ETag first = f.put(bucket, "k", utf8("v1")).etag();
    f.put(bucket, "k", utf8("v2"));

    assertThatThrownBy(
            () ->
                f.put(
                    bucket,
                    "k",
                    utf8("v3"),
                    new PutRequest(ObjectAttributes.EMPTY, null, new WriteCondition(false, first))))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(f.read(bucket, "k")).isEqualTo(utf8("v2"));
    assertThat(f.blobFiles()).hasSize(1);
  }

  @Test
  void put_ifMatch_onAbsentKey_failsPrecondition_andCreatesNothing() {
    ETag any = new ETag(md5Hex(utf8("x")));

    assertThatThrownBy(
            () ->
                f.put(
                    bucket,
                    "absent",
                    utf8("x"),
                    new PutRequest(ObjectAttributes.EMPTY, null, new WriteCondition(false, any))))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> f.read(bucket, "absent")).isInstanceOf(NoSuchKeyException.class);
    assertThat(f.blobFiles()).isEmpty();
  }

  // ---------------------------------------------------------------- overwrite and delete

  @Test
  void overwrite_whileAReaderIsOpen_readerGetsAllOfTheOld_newReadersGetTheNew() throws IOException {
    byte[] old = randomBytes(400_000, 2);
    byte[] fresh = randomBytes(250_000, 3);
    f.put(bucket, "k", old);
    ObjectService.OpenObject reader =
        f.objects.get(bucket, key("k"), ReadConditions.NONE, null, false, null);
    byte[] firstBytes = reader.content().readNBytes(1000);

    f.advance(Duration.ofSeconds(5));
    ObjectInfo replaced = f.put(bucket, "k", fresh);

    byte[] rest = ServiceFixture.drain(reader.content());
    byte[] seen = new byte[firstBytes.length + rest.length];
    System.arraycopy(firstBytes, 0, seen, 0, firstBytes.length);
    System.arraycopy(rest, 0, seen, firstBytes.length, rest.length);
    assertThat(seen).isEqualTo(old);
    assertThat(reader.info().etag().value()).isEqualTo(md5Hex(old));
    assertThat(f.read(bucket, "k")).isEqualTo(fresh);
    assertThat(f.objects.head(bucket, key("k"), ReadConditions.NONE).lastModified())
        .isEqualTo(replaced.lastModified())
        .isEqualTo(ServiceFixture.START.plusSeconds(5));
    assertThat(f.blobFiles()).as("the old blob is reclaimed").hasSize(1);
  }

  @Test
  void overwrite_concurrentWithReads_everyReadIsOneWholeVersion() throws Exception {
    byte[] a = randomBytes(100_000, 20); // two segments, so a torn read would show
    byte[] b = randomBytes(70_000, 21);
    f.put(bucket, "k", a);
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread writer =
        Thread.ofPlatform()
            .name("writer")
            .start(
                () -> {
                  try {
                    for (int i = 0; i < 20; i++) {
                      f.put(bucket, "k", i % 2 == 0 ? b : a);
                    }
                  } finally {
                    done.set(true);
                  }
                });
    int reads = 0;
    while (!done.get() || reads < 10) {
      byte[] seen = f.read(bucket, "k");
      assertThat(Arrays.equals(seen, a) || Arrays.equals(seen, b))
          .as("read %d is a whole version", reads)
          .isTrue();
      reads++;
    }
    writer.join();
    assertThat(f.read(bucket, "k")).isEqualTo(a);
    assertThat(f.blobFiles()).hasSize(1);
  }

  @Test
  void put_checksumFoundWrongAfterTheBody_refused_andItsBlobReclaimed() {
    f.put(bucket, "k", utf8("ancien"));
    PutRequest request =
        new PutRequest(
            ObjectAttributes.EMPTY,
            null,
            null,
            () -> {
              throw new BadDigestException(
                  "The CRC32 you specified did not match the calculated checksum.");
            },
            null,
            null);

    assertThatThrownBy(() -> f.put(bucket, "k", utf8("nouveau"), request))
        .isInstanceOf(BadDigestException.class);

    assertThat(f.read(bucket, "k")).isEqualTo(utf8("ancien"));
    assertThat(f.blobFiles()).hasSize(1);
  }

  @Test
  void put_withAVerifiedChecksum_keepsIt_andACopyKeepsAFullObjectOne() {
    var checksum = fr.coffre.core.ObjectChecksum.fullObject("CRC32", "NSRBwg==");
    f.put(
        bucket,
        "k",
        utf8("contenu"),
        new PutRequest(ObjectAttributes.EMPTY, null, null, () -> checksum, null, null));

    assertThat(f.objects.head(bucket, key("k"), ReadConditions.NONE).attributes().checksum())
        .isEqualTo(checksum);
    f.objects.copy(
        bucket,
        key("k"),
        ReadConditions.NONE,
        null,
        bucket,
        key("copie"),
        a -> a,
        WriteCondition.NONE,
        null,
        null);
    assertThat(f.objects.head(bucket, key("copie"), ReadConditions.NONE).attributes().checksum())
        .isEqualTo(checksum);
  }

  @Test
  void delete_existingKey_removesItAndItsBlob_thenSecondDeleteIsANoOp() {
    f.put(bucket, "k", utf8("à supprimer"));

    f.objects.delete(bucket, key("k"));

    assertThatThrownBy(() -> f.read(bucket, "k")).isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> f.objects.head(bucket, key("k"), ReadConditions.NONE))
        .isInstanceOf(NoSuchKeyException.class);
    assertThat(f.blobFiles()).isEmpty();
    assertThat(f.objects.delete(bucket, key("k")))
        .isEqualTo(new ObjectService.Deleted(false, null));
  }

  @Test
  void delete_inMissingBucket_failsWithNoSuchBucket() {
    assertThatThrownBy(() -> f.objects.delete(new BucketName("nowhere"), key("k")))
        .isInstanceOf(NoSuchBucketException.class);
  }

  // ---------------------------------------------------------------- ranges and parts

  @Test
  void get_rangeAcrossSegments_returnsExactlyThoseBytes() {
    byte[] content = randomBytes(200_000, 4);
    f.put(bucket, "k", content);

    assertThat(f.read(bucket, "k", new ByteRange(70_000, 140_000)))
        .isEqualTo(Arrays.copyOfRange(content, 70_000, 140_001));
    assertThat(f.read(bucket, "k", new ByteRange(0, 0)))
        .isEqualTo(Arrays.copyOfRange(content, 0, 1));
    assertThat(f.read(bucket, "k", new ByteRange(65_535, 65_536)))
        .isEqualTo(Arrays.copyOfRange(content, 65_535, 65_537));
  }

  @Test
  void get_suffixAndOpenRanges_areResolvedAgainstTheSize() {
    byte[] content = randomBytes(100_000, 5);
    f.put(bucket, "k", content);

    assertThat(f.read(bucket, "k", ByteRange.suffix(1_000)))
        .isEqualTo(Arrays.copyOfRange(content, 99_000, 100_000));
    assertThat(f.read(bucket, "k", ByteRange.suffix(1_000_000))).isEqualTo(content);
    assertThat(f.read(bucket, "k", new ByteRange(99_990, -1)))
        .isEqualTo(Arrays.copyOfRange(content, 99_990, 100_000));
    assertThat(f.read(bucket, "k", new ByteRange(99_000, 5_000_000)))
        .isEqualTo(Arrays.copyOfRange(content, 99_000, 100_000));
    ObjectService.OpenObject open =
        f.objects.get(bucket, key("k"), ReadConditions.NONE, new ByteRange(10, 19), false, null);
    assertThat(open.slice()).isEqualTo(new ByteRange.Slice(10, 10));
    assertThat(open.content().length()).isEqualTo(10);
    ServiceFixture.drain(open.content());
  }

  @Test
  void get_rangeStartingPastTheEnd_failsWithInvalidRange() {
    f.put(bucket, "k", randomBytes(1_000, 6));

    assertThatThrownBy(() -> f.read(bucket, "k", new ByteRange(1_000, -1)))
        .isInstanceOf(InvalidRangeException.class);
    assertThatThrownBy(() -> f.read(bucket, "k", ByteRange.suffix(0)))
        .isInstanceOf(InvalidRangeException.class);
  }

  @Test
  void getPart_ofASinglePartObject_partOneIsTheWhole_otherPartsRefused() {
    byte[] content = randomBytes(5_000, 9);
    f.put(bucket, "k", content);

    var part = f.objects.getPart(bucket, key("k"), ReadConditions.NONE, 1, null);
    assertThat(ServiceFixture.drain(part.content())).isEqualTo(content);
    assertThatThrownBy(() -> f.objects.getPart(bucket, key("k"), ReadConditions.NONE, 2, null))
        .isInstanceOf(InvalidPartNumberException.class);
  }

  // ---------------------------------------------------------------- read conditions

  @Test
  void get_ifNoneMatchCurrentETag_isNotModified_butFailsPreconditionForACopySource() {
    ETag etag = f.put(bucket, "k", utf8("x")).etag();
    ReadConditions sameTag = new ReadConditions(null, etag.quoted(), null, null);

    assertThatThrownBy(() -> f.objects.get(bucket, key("k"), sameTag, null, false, null))
        .isInstanceOf(NotModifiedException.class);
    assertThatThrownBy(() -> f.objects.get(bucket, key("k"), sameTag, null, true, null))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(
            () ->
                f.objects.head(
                    bucket,
                    key("k"),
                    new ReadConditions("\"" + md5Hex(utf8("y")) + "\"", null, null, null)))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(
            () ->
                f.objects.head(
                    bucket,
                    key("k"),
                    new ReadConditions(null, null, ServiceFixture.START.plusSeconds(1), null)))
        .isInstanceOf(NotModifiedException.class);
  }

  // ---------------------------------------------------------------- copy

  @Test
  void copy_toAnotherBucket_sameBytesAndETag_newBlobUnderANewDataKey() {
    BucketName target = f.bucket("copies");
    byte[] content = randomBytes(150_000, 10);
    ObjectAttributes attrs =
        new ObjectAttributes(
            "application/pdf", null, null, null, null, null, Map.of("auteur", "mairie"));
    ObjectInfo source = f.put(bucket, "src", content, PutRequest.of(attrs));

    ObjectInfo copy =
        f.objects.copy(
            bucket,
            key("src"),
            ReadConditions.NONE,
            null,
            target,
            key("dst"),
            a -> a,
            WriteCondition.NONE,
            null,
            null);

    assertThat(copy.etag()).isEqualTo(source.etag());
    assertThat(f.read(target, "dst")).isEqualTo(content);
    assertThat(f.objects.head(target, key("dst"), ReadConditions.NONE).attributes())
        .isEqualTo(attrs);
    assertThat(f.blobFiles()).hasSize(2);
    ObjectRecord a = f.metadata.object(bucket, key("src")).orElseThrow();
    ObjectRecord b = f.metadata.object(target, key("dst")).orElseThrow();
    assertThat(b.blobs().get(0).blob()).isNotEqualTo(a.blobs().get(0).blob());
    assertThat(b.wrappedKey()).isNotEqualTo(a.wrappedKey());
    // The source stays whole after the copy.
    assertThat(f.read(bucket, "src")).isEqualTo(content);
  }

  @Test
  void copy_ontoItselfReplacingMetadata_keepsTheContent() {
    byte[] content = randomBytes(70_000, 11);
    f.put(bucket, "k", content);
    ObjectAttributes replaced =
        new ObjectAttributes("text/csv", null, null, null, null, null, Map.of("v", "2"));

    f.objects.copy(
        bucket,
        key("k"),
        ReadConditions.NONE,
        null,
        bucket,
        key("k"),
        a -> replaced,
        WriteCondition.NONE,
        null,
        null);

    assertThat(f.read(bucket, "k")).isEqualTo(content);
    assertThat(f.objects.head(bucket, key("k"), ReadConditions.NONE).attributes().contentType())
        .isEqualTo("text/csv");
    assertThat(f.blobFiles()).hasSize(1);
  }

  @Test
  void copy_sourceConditionFails_orSourceMissing_writesNothing() {
    f.put(bucket, "src", utf8("source"));
    ReadConditions otherTag =
        new ReadConditions("\"" + md5Hex(utf8("autre")) + "\"", null, null, null);

    assertThatThrownBy(
            () ->
                f.objects.copy(
                    bucket,
                    key("src"),
                    otherTag,
                    null,
                    bucket,
                    key("dst"),
                    a -> a,
                    WriteCondition.NONE,
                    null,
                    null))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(
            () ->
                f.objects.copy(
                    bucket,
                    key("missing"),
                    ReadConditions.NONE,
                    null,
                    bucket,
                    key("dst"),
                    a -> a,
                    WriteCondition.NONE,
                    null,
                    null))
        .isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> f.read(bucket, "dst")).isInstanceOf(NoSuchKeyException.class);
    assertThat(f.blobFiles()).hasSize(1);
  }

  // ---------------------------------------------------------------- tags, attributes, listing

  @Test
  void setTags_replacesTags_withoutTouchingContentETagOrDate() {
    byte[] content = randomBytes(10_000, 12);
    ObjectInfo put = f.put(bucket, "k", content);
    f.advance(Duration.ofHours(1));

    f.objects.setTags(bucket, key("k"), Map.of("projet", "budget", "annee", "2027"));

    assertThat(f.objects.tags(bucket, key("k")))
        .containsExactly(Map.entry("annee", "2027"), Map.entry("projet", "budget"));
    ObjectInfo head = f.objects.head(bucket, key("k"), ReadConditions.NONE);
    assertThat(head.etag()).isEqualTo(put.etag());
    assertThat(head.lastModified()).isEqualTo(put.lastModified());
    assertThat(f.read(bucket, "k")).isEqualTo(content);

    f.objects.setTags(bucket, key("k"), Map.of());
    assertThat(f.objects.tags(bucket, key("k"))).isEmpty();
    assertThatThrownBy(() -> f.objects.setTags(bucket, key("absent"), Map.of("a", "b")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void overwrite_dropsTheTagsOfThePreviousVersion() {
    f.put(bucket, "k", utf8("v1"));
    f.objects.setTags(bucket, key("k"), Map.of("a", "b"));

    f.put(bucket, "k", utf8("v2"));

    assertThat(f.objects.tags(bucket, key("k"))).isEmpty();
  }

  @Test
  void list_withPrefixAndDelimiter_rollsUpCommonPrefixes() {
    for (String k : List.of("a/1", "a/2", "b", "c/d/e")) {
      f.put(bucket, k, utf8(k));
    }

    ListPage page = f.objects.list(bucket, new ListQuery("", "/", null, 1000));
    assertThat(page.objects()).extracting(o -> o.key().value()).containsExactly("b");
    assertThat(page.commonPrefixes()).containsExactly("a/", "c/");
    ListPage under = f.objects.list(bucket, new ListQuery("a/", null, null, 1));
    assertThat(under.objects()).extracting(o -> o.key().value()).containsExactly("a/1");
    assertThat(under.truncated()).isTrue();
    ListPage next = f.objects.list(bucket, new ListQuery("a/", null, under.last(), 1));
    assertThat(next.objects()).extracting(o -> o.key().value()).containsExactly("a/2");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
