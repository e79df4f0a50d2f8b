package fr.coffre.service;

import fr.coffre.core.BucketName;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.metadata.MetadataStore;
import java.io.IOException;

/**
 * Every version with content of a bucket (current objects and older versions), a page of metadata
 * at a time: scrub, reports and migrations must see every copy, whichever version it belongs to.
 */
final class ObjectWalk {
  private static final int PAGE = 1000;

  /** Sees one object; returns false to stop the walk. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(ObjectRecord object) throws IOException;
  }

  private ObjectWalk() {}

  static void each(MetadataStore metadata, BucketName bucket, Visitor visitor) throws IOException {
    String keyMarker = null;
    String versionMarker = null;
    while (true) {
      VersionPage page =
          metadata.listVersions(bucket, new VersionQuery("", null, keyMarker, versionMarker, PAGE));
      for (VersionPage.Entry e : page.versions()) {
        if (e.version() instanceof ObjectRecord o && !visitor.visit(o)) {
          return;
        }
      }
      if (!page.truncated()) {
        return;
      }
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
  }
}
