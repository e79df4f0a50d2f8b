package fr.coffre.service;

import fr.coffre.core.BucketName;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectRecord;
import fr.coffre.metadata.MetadataStore;
import java.io.IOException;

/** Every current object of a bucket, a page of metadata at a time (scrub, reports, migrations). */
final class ObjectWalk {
  private static final int PAGE = 1000;

  /** Sees one object; returns false to stop the walk. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(ObjectRecord object) throws IOException;
  }

  private ObjectWalk() {}

  static void each(MetadataStore metadata, BucketName bucket, Visitor visitor) throws IOException {
    String after = null;
    while (true) {
      ListPage page = metadata.list(bucket, new ListQuery(null, null, after, PAGE));
      for (ObjectRecord o : page.objects()) {
        if (!visitor.visit(o)) {
          return;
        }
      }
      if (!page.truncated()) {
        return;
      }
      after = page.last();
    }
  }
}
