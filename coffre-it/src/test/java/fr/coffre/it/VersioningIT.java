package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Bucket versioning through the AWS SDK v2, as it ships (CRC trailers) and as it was before 2025,
 * against a real server: version ids, reads by version, delete markers and their 404/405 answers,
 * ListObjectVersions paging, DeleteObjects by version, the null version of a suspended bucket, copy
 * and tagging by version, multipart completion.
 */
class VersioningIT {
  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start("384m");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static S3Client client(String which) {
    URI endpoint = server.endpoint();
    return which.equals("modern") ? S3Clients.modern(endpoint) : S3Clients.legacy(endpoint);
  }

  private static void enable(S3Client s3, String bucket) {
    s3.createBucket(b -> b.bucket(bucket));
    s3.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  private static String put(S3Client s3, String bucket, String key, String body) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).versionId();
  }

  private static String get(S3Client s3, String bucket, String key, String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
  }

  private static S3Exception failure(Runnable call) {
    S3Exception e = catchThrowableOfType(S3Exception.class, call::run);
    assertThat(e).as("the call should have failed").isNotNull();
    return e;
  }

  @ParameterizedTest
  @ValueSource(strings = {"modern", "legacy"})
  void enabled_putsGetDeleteMarkers_andReadsByVersion(String which) {
    String bucket = "ver-basic-" + which;
    try (S3Client s3 = client(which)) {
      enable(s3, bucket);
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status())
          .isEqualTo(BucketVersioningStatus.ENABLED);
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        ids.add(put(s3, bucket, "doc.txt", "v" + i));
      }
      assertThat(ids).doesNotContainNull().doesNotHaveDuplicates().doesNotContain("null");
      assertThat(get(s3, bucket, "doc.txt", null)).isEqualTo("v3");
      for (int i = 0; i < 3; i++) {
        assertThat(get(s3, bucket, "doc.txt", ids.get(i))).isEqualTo("v" + (i + 1));
        String id = ids.get(i);
        var head = s3.headObject(b -> b.bucket(bucket).key("doc.txt").versionId(id));
        assertThat(head.versionId()).isEqualTo(id);
        assertThat(head.contentLength()).isEqualTo(2);
      }
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc.txt")).response().versionId())
          .isEqualTo(ids.get(2));

      // ListObjects shows the key once; ListObjectVersions all three, newest first.
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents())
          .extracting(S3Object::key)
          .containsExactly("doc.txt");
      ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(bucket));
      assertThat(versions.versions())
          .extracting(ObjectVersion::versionId)
          .containsExactly(ids.get(2), ids.get(1), ids.get(0));
      assertThat(versions.versions())
          .extracting(ObjectVersion::isLatest)
          .containsExactly(true, false, false);

      // DELETE without a version: a delete marker; GET 404 saying so; the marker's version 405.
      var deleted = s3.deleteObject(b -> b.bucket(bucket).key("doc.txt"));
      assertThat(deleted.deleteMarker()).isTrue();
      String marker = deleted.versionId();
      assertThat(marker).isNotNull().isNotIn(ids);
      S3Exception gone = failure(() -> get(s3, bucket, "doc.txt", null));
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(gone.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
      assertThat(
              gone.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker"))
          .hasValue("true");
      S3Exception notAllowed = failure(() -> get(s3, bucket, "doc.txt", marker));
      assertThat(notAllowed.statusCode()).isEqualTo(405);
      assertThat(notAllowed.awsErrorDetails().errorCode()).isEqualTo("MethodNotAllowed");
      assertThat(
              notAllowed
                  .awsErrorDetails()
                  .sdkHttpResponse()
                  .firstMatchingHeader("x-amz-delete-marker"))
          .hasValue("true");
      S3Exception headMarker =
          failure(() -> s3.headObject(b -> b.bucket(bucket).key("doc.txt").versionId(marker)));
      assertThat(headMarker.statusCode()).isEqualTo(405);
      assertThat(get(s3, bucket, "doc.txt", ids.get(0))).isEqualTo("v1");
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
      ListObjectVersionsResponse withMarker = s3.listObjectVersions(b -> b.bucket(bucket));
      assertThat(withMarker.deleteMarkers())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.versionId()).isEqualTo(marker);
                assertThat(m.isLatest()).isTrue();
              });
      assertThat(withMarker.versions()).hasSize(3).noneMatch(ObjectVersion::isLatest);

      // Removing the marker brings the newest version back.
      var unmarked = s3.deleteObject(b -> b.bucket(bucket).key("doc.txt").versionId(marker));
      assertThat(unmarked.deleteMarker()).isTrue();
      assertThat(unmarked.versionId()).isEqualTo(marker);
      assertThat(get(s3, bucket, "doc.txt", null)).isEqualTo("v3");

      // Deleting a version for good: the previous one becomes current; an unknown version 404s.
      s3.deleteObject(b -> b.bucket(bucket).key("doc.txt").versionId(ids.get(2)));
      assertThat(get(s3, bucket, "doc.txt", null)).isEqualTo("v2");
      S3Exception noVersion = failure(() -> get(s3, bucket, "doc.txt", ids.get(2)));
      assertThat(noVersion.statusCode()).isIn(400, 404);
      assertThat(noVersion.awsErrorDetails().errorCode()).isIn("NoSuchVersion", "InvalidArgument");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"modern", "legacy"})
  void listObjectVersions_pagesWithMarkers_prefixAndDelimiter(String which) {
    String bucket = "ver-list-" + which;
    try (S3Client s3 = client(which)) {
      enable(s3, bucket);
      Set<String> all = new HashSet<>();
      for (String key : List.of("a/1", "a/2", "b/1", "c")) {
        for (int i = 0; i < 3; i++) {
          all.add(key + "@" + put(s3, bucket, key, key + i));
        }
      }
      String markerId = s3.deleteObject(b -> b.bucket(bucket).key("a/2")).versionId();
      all.add("a/2@" + markerId);
      assertThat(all).hasSize(13);

      for (int pageSize : new int[] {1, 2, 5, 13, 1000}) {
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        int pages = 0;
        while (true) {
          String km = keyMarker;
          String vm = versionMarker;
          ListObjectVersionsResponse page =
              s3.listObjectVersions(
                  b -> b.bucket(bucket).maxKeys(pageSize).keyMarker(km).versionIdMarker(vm));
          pages++;
          List<String> entries = new ArrayList<>();
          page.versions().forEach(v -> entries.add(v.key() + "@" + v.versionId()));
          page.deleteMarkers().forEach(m -> entries.add(m.key() + "@" + m.versionId()));
          assertThat(entries.size()).isLessThanOrEqualTo(pageSize);
          for (String e : entries) {
            assertThat(seen.add(e)).as("listed twice: " + e).isTrue();
          }
          page.versions().forEach(v -> order.add(v.key()));
          if (!page.isTruncated()) {
            break;
          }
          keyMarker = page.nextKeyMarker();
          versionMarker = page.nextVersionIdMarker();
          assertThat(keyMarker).isNotNull();
          assertThat(pages).isLessThan(100);
        }
        assertThat(seen).as("page size " + pageSize).isEqualTo(all);
        assertThat(order).isSorted();
      }

      ListObjectVersionsResponse underA = s3.listObjectVersions(b -> b.bucket(bucket).prefix("a/"));
      assertThat(underA.versions()).hasSize(6).allMatch(v -> v.key().startsWith("a/"));
      assertThat(underA.deleteMarkers()).extracting(DeleteMarkerEntry::key).containsExactly("a/2");

      ListObjectVersionsResponse top = s3.listObjectVersions(b -> b.bucket(bucket).delimiter("/"));
      assertThat(top.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/", "b/");
      assertThat(top.versions()).extracting(ObjectVersion::key).containsOnly("c").hasSize(3);
      assertThat(top.deleteMarkers()).isEmpty();

      // A key marker alone starts after every version of that key.
      ListObjectVersionsResponse afterB =
          s3.listObjectVersions(b -> b.bucket(bucket).keyMarker("b/1"));
      assertThat(afterB.versions()).extracting(ObjectVersion::key).containsOnly("c");

      // ListObjects shows only current versions, and not the key hidden by its marker.
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents())
          .extracting(S3Object::key)
          .containsExactly("a/1", "b/1", "c");
      assertThat(s3.listObjects(b -> b.bucket(bucket)).contents())
          .extracting(S3Object::key)
          .containsExactly("a/1", "b/1", "c");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"modern", "legacy"})
  void deleteObjects_byVersion_removesThoseVersions_andAddsMarkersOtherwise(String which) {
    String bucket = "ver-multi-" + which;
    try (S3Client s3 = client(which)) {
      enable(s3, bucket);
      String x1 = put(s3, bucket, "x", "x1");
      String x2 = put(s3, bucket, "x", "x2");
      String y1 = put(s3, bucket, "y", "y1");
      var result =
          s3.deleteObjects(
              b ->
                  b.bucket(bucket)
                      .delete(
                          d ->
                              d.objects(
                                  ObjectIdentifier.builder().key("x").versionId(x2).build(),
                                  ObjectIdentifier.builder().key("y").build())));
      assertThat(result.errors()).isEmpty();
      assertThat(result.deleted()).hasSize(2);
      var x = result.deleted().stream().filter(d -> d.key().equals("x")).findFirst().orElseThrow();
      assertThat(x.versionId()).isEqualTo(x2);
      var y = result.deleted().stream().filter(d -> d.key().equals("y")).findFirst().orElseThrow();
      assertThat(y.deleteMarker()).isTrue();
      assertThat(y.deleteMarkerVersionId()).isNotNull();

      assertThat(get(s3, bucket, "x", null)).isEqualTo("x1");
      assertThat(get(s3, bucket, "y", y1)).isEqualTo("y1");
      assertThat(failure(() -> get(s3, bucket, "y", null)).statusCode()).isEqualTo(404);

      // Deleting the marker by version through DeleteObjects restores y.
      var restore =
          s3.deleteObjects(
              b ->
                  b.bucket(bucket)
                      .delete(
                          d ->
                              d.objects(
                                  ObjectIdentifier.builder()
                                      .key("y")
                                      .versionId(y.deleteMarkerVersionId())
                                      .build())));
      assertThat(restore.errors()).isEmpty();
      assertThat(get(s3, bucket, "y", null)).isEqualTo("y1");
      assertThat(x1).isNotEqualTo(x2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"modern", "legacy"})
  void suspended_writesTheNullVersion_keepingOlderVersions(String which) {
    String bucket = "ver-susp-" + which;
    try (S3Client s3 = client(which)) {
      s3.createBucket(b -> b.bucket(bucket));
      // Written before versioning: the null version, no version id header.
      String before = put(s3, bucket, "k", "before");
      assertThat(before).isNull();
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      String v1 = put(s3, bucket, "k", "enabled");
      assertThat(get(s3, bucket, "k", "null")).isEqualTo("before");

      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status())
          .isEqualTo(BucketVersioningStatus.SUSPENDED);
      String s1 = put(s3, bucket, "k", "suspended-1");
      assertThat(s1).isIn(null, "null");
      String s2 = put(s3, bucket, "k", "suspended-2");
      assertThat(s2).isIn(null, "null");
      // The second suspended PUT replaced the null version (the pre-versioning one is gone too).
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions())
          .extracting(ObjectVersion::versionId)
          .containsExactly("null", v1);
      assertThat(get(s3, bucket, "k", null)).isEqualTo("suspended-2");
      assertThat(get(s3, bucket, "k", v1)).isEqualTo("enabled");

      // DELETE on a suspended bucket: a null delete marker replaces the null version.
      var deleted = s3.deleteObject(b -> b.bucket(bucket).key("k"));
      assertThat(deleted.deleteMarker()).isTrue();
      assertThat(deleted.versionId()).isEqualTo("null");
      ListObjectVersionsResponse after = s3.listObjectVersions(b -> b.bucket(bucket));
      assertThat(after.versions()).extracting(ObjectVersion::versionId).containsExactly(v1);
      assertThat(after.deleteMarkers())
          .extracting(DeleteMarkerEntry::versionId)
          .containsExactly("null");
      assertThat(get(s3, bucket, "k", v1)).isEqualTo("enabled");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"modern", "legacy"})
  void copyTaggingAndMultipart_addressVersions(String which) {
    String bucket = "ver-copy-" + which;
    try (S3Client s3 = client(which)) {
      enable(s3, bucket);
      String old = put(s3, bucket, "src", "old content");
      String current = put(s3, bucket, "src", "new content");

      var copy =
          s3.copyObject(
              b ->
                  b.sourceBucket(bucket)
                      .sourceKey("src")
                      .sourceVersionId(old)
                      .destinationBucket(bucket)
                      .destinationKey("dst"));
      assertThat(copy.copySourceVersionId()).isEqualTo(old);
      assertThat(copy.versionId()).isNotNull().isNotIn(old, current);
      assertThat(get(s3, bucket, "dst", null)).isEqualTo("old content");

      // Tags of one version leave the other alone.
      s3.putObjectTagging(
          b ->
              b.bucket(bucket)
                  .key("src")
                  .versionId(old)
                  .tagging(t -> t.tagSet(Tag.builder().key("era").value("old").build())));
      Function<String, List<Tag>> tags =
          v -> s3.getObjectTagging(b -> b.bucket(bucket).key("src").versionId(v)).tagSet();
      assertThat(tags.apply(old)).extracting(Tag::value).containsExactly("old");
      assertThat(tags.apply(current)).isEmpty();
      var tagged = s3.getObjectTagging(b -> b.bucket(bucket).key("src").versionId(old));
      assertThat(tagged.versionId()).isEqualTo(old);
      s3.deleteObjectTagging(b -> b.bucket(bucket).key("src").versionId(old));
      assertThat(tags.apply(old)).isEmpty();

      // Multipart completion makes a new version and says which.
      var created = s3.createMultipartUpload(b -> b.bucket(bucket).key("src"));
      byte[] part = new byte[5 * 1024 * 1024];
      java.util.Arrays.fill(part, (byte) 'm');
      var p1 =
          s3.uploadPart(
              b -> b.bucket(bucket).key("src").uploadId(created.uploadId()).partNumber(1),
              RequestBody.fromBytes(part));
      var p2 =
          s3.uploadPart(
              b -> b.bucket(bucket).key("src").uploadId(created.uploadId()).partNumber(2),
              RequestBody.fromString("tail"));
      var done =
          s3.completeMultipartUpload(
              b ->
                  b.bucket(bucket)
                      .key("src")
                      .uploadId(created.uploadId())
                      .multipartUpload(
                          m ->
                              m.parts(
                                  CompletedPart.builder().partNumber(1).eTag(p1.eTag()).build(),
                                  CompletedPart.builder().partNumber(2).eTag(p2.eTag()).build())));
      assertThat(done.versionId()).isNotNull().isNotIn(old, current);
      String mpVersion = done.versionId();
      assertThat(s3.headObject(b -> b.bucket(bucket).key("src")).versionId()).isEqualTo(mpVersion);
      assertThat(s3.headObject(b -> b.bucket(bucket).key("src")).contentLength())
          .isEqualTo(part.length + 4L);
      assertThat(get(s3, bucket, "src", current)).isEqualTo("new content");
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix("src")).versions())
          .extracting(ObjectVersion::versionId)
          .containsExactly(mpVersion, current, old);
    }
  }
}
