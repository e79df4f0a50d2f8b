package fr.coffre.migrate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every version and delete marker of a bucket, by key, newest first within a key (the order of
 * ListObjectVersions). A server without ListObjectVersions is listed with ListObjectsV2, each
 * object as its only, "null", version.
 */
final class Listing {
  private Listing() {}

  static List<ObjectEntry> versions(software.amazon.awssdk.services.s3.S3Client s3, String bucket) {
    List<ObjectEntry> out = new ArrayList<>();
    try {
      for (ListObjectVersionsResponse page :
          s3.listObjectVersionsPaginator(b -> b.bucket(bucket))) {
        List<ObjectEntry> onPage = new ArrayList<>();
        for (ObjectVersion v : page.versions()) {
          onPage.add(
              entry(
                  v.key(),
                  v.versionId(),
                  Boolean.TRUE.equals(v.isLatest()),
                  false,
                  v.lastModified() == null ? null : v.lastModified().toString(),
                  v.eTag(),
                  v.size(),
                  v.storageClassAsString()));
        }
        for (DeleteMarkerEntry d : page.deleteMarkers()) {
          onPage.add(
              entry(
                  d.key(),
                  d.versionId(),
                  Boolean.TRUE.equals(d.isLatest()),
                  true,
                  d.lastModified() == null ? null : d.lastModified().toString(),
                  null,
                  null,
                  null));
        }
        out.addAll(onPage);
      }
    } catch (S3Exception e) {
      if (e.statusCode() != 501 && e.statusCode() != 405) {
        throw e;
      }
      out.clear();
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
        out.add(
            entry(
                o.key(),
                "null",
                true,
                false,
                o.lastModified() == null ? null : o.lastModified().toString(),
                o.eTag(),
                o.size(),
                o.storageClassAsString()));
      }
    }
    // A page lists versions and delete markers apart: put them back in one order per key, the
    // current one first, then newest to oldest; the sort is stable, so versions of one instant
    // keep the server's order.
    out.sort(
        Comparator.comparing(ObjectEntry::key)
            .thenComparing(e -> !e.latest())
            .thenComparing(
                (ObjectEntry e) ->
                    e.lastModified() == null ? Instant.EPOCH : Instant.parse(e.lastModified()),
                Comparator.reverseOrder()));
    return out;
  }

  private static ObjectEntry entry(
      String key,
      String versionId,
      boolean latest,
      boolean deleteMarker,
      @org.jspecify.annotations.Nullable String lastModified,
      @org.jspecify.annotations.Nullable String etag,
      @org.jspecify.annotations.Nullable Long size,
      @org.jspecify.annotations.Nullable String storageClass) {
    return new ObjectEntry(
        key,
        versionId == null ? "null" : versionId,
        latest,
        deleteMarker,
        lastModified,
        etag,
        size,
        storageClass,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
