package fr.coffre.service.lifecycle;

import fr.coffre.core.BucketName;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The versions a lifecycle pass looks at and how it acts on them: the seam between the job and how
 * objects are kept. {@code fr.coffre.service.LifecycleVersions} hands every version of every key
 * with its facts (noncurrent since, newer noncurrent count, delete marker, only version, lock) and
 * carries out {@link LifecycleAction#REMOVE_NONCURRENT} and {@link
 * LifecycleAction#REMOVE_DELETE_MARKER} by version id.
 */
public interface LifecycleTargets {

  /**
   * One version as the pass sees it.
   *
   * @param facts its facts, tags not read yet (null)
   * @param versionId its version id, or null in an unversioned bucket
   * @param etag its ETag, so that {@link #apply} can tell it was replaced meanwhile
   */
  record Version(ObjectFacts facts, String versionId, String etag) {}

  /**
   * Hands every version of the bucket to {@code visitor}, until it returns false. Versions are seen
   * with their tags unread ({@code facts().tags() == null}).
   */
  void forEach(BucketName bucket, Predicate<Version> visitor);

  /** The version's tags, or empty when they cannot be read (it is then left alone). */
  Optional<Map<String, String>> tags(BucketName bucket, Version version);

  /**
   * Carries out a decided action on the version.
   *
   * @return false when nothing was done because the version changed or vanished meanwhile
   * @throws UnsupportedOperationException for an action this implementation cannot take
   */
  boolean apply(BucketName bucket, Version version, LifecycleAction action);
}
