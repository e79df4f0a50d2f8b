package fr.coffre.core;

import java.time.Instant;

/** One version of a key: an object with content, or a delete marker. */
public sealed interface ObjectVersion permits ObjectRecord, DeleteMarker {
  /** The id of the version of every object written while its bucket was not versioned. */
  String NULL_ID = "null";

  BucketName bucket();

  ObjectKey key();

  String versionId();

  Instant lastModified();
}
