package fr.coffre.service.lifecycle;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the evaluator knows of one version of an object.
 *
 * @param key the object's key
 * @param size its size in bytes (0 for a delete marker)
 * @param tags its tags; null when they could not be read (a customer-key object, a disabled KMS
 *     key, unreadable attributes): such a version is never touched
 * @param lastModified when the version was written (for a delete marker: when it was put)
 * @param current whether it is the current version of its key
 * @param deleteMarker whether it is a delete marker
 * @param noncurrentSince when it became noncurrent (its successor's creation); null when current
 * @param newerNoncurrentVersions how many noncurrent versions of the key are newer than this one
 * @param onlyVersion whether it is the only version left of its key
 * @param locked whether Object Lock retention or a legal hold protects it: it is never removed
 */
public record ObjectFacts(
    String key,
    long size,
    Map<String, String> tags,
    Instant lastModified,
    boolean current,
    boolean deleteMarker,
    Instant noncurrentSince,
    int newerNoncurrentVersions,
    boolean onlyVersion,
    boolean locked) {

  public ObjectFacts {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastModified, "lastModified");
    tags = tags == null ? null : Map.copyOf(tags);
    if (!current && noncurrentSince == null) {
      throw new IllegalArgumentException("a noncurrent version says since when it is noncurrent");
    }
  }

  /** The object of an unversioned bucket: current, the only version, not locked. */
  public static ObjectFacts unversioned(
      String key, long size, Map<String, String> tags, Instant lastModified) {
    return new ObjectFacts(key, size, tags, lastModified, true, false, null, 0, true, false);
  }

  /** The same version with its tags known (or null: unreadable). */
  public ObjectFacts withTags(Map<String, String> tags) {
    return new ObjectFacts(
        key,
        size,
        tags,
        lastModified,
        current,
        deleteMarker,
        noncurrentSince,
        newerNoncurrentVersions,
        onlyVersion,
        locked);
  }
}
