package fr.coffre.service;

import fr.coffre.core.BucketName;
import fr.coffre.core.CoffreException;
import fr.coffre.core.DeleteMarker;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.service.lifecycle.LifecycleAction;
import fr.coffre.service.lifecycle.LifecycleTargets;
import fr.coffre.service.lifecycle.ObjectFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle targets of every bucket, versioned or not: each version of each key with its facts,
 * read from the version listing a key at a time (newest first). A version stopped being current
 * when the next newer one was written, so its "noncurrent since" is that version's date; an object
 * of a bucket never versioned is simply current and alone.
 *
 * <p>Actions go through {@link ObjectService}: expiring the current object is a delete without
 * version (a delete marker in a versioned bucket); removing a noncurrent version or an expired
 * delete marker is a delete of that version, which the store refuses if Object Lock keeps it.
 */
public final class LifecycleVersions implements LifecycleTargets {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleVersions.class);
  private static final int PAGE = 1000;

  private final MetadataStore metadata;
  private final ObjectService objects;

  public LifecycleVersions(MetadataStore metadata, ObjectService objects) {
    this.metadata = metadata;
    this.objects = objects;
  }

  @Override
  public void forEach(BucketName bucket, Predicate<Version> visitor) {
    Instant now = objects.now();
    List<ObjectVersion> key = new ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    while (true) {
      VersionPage page =
          metadata.listVersions(bucket, new VersionQuery("", null, keyMarker, versionMarker, PAGE));
      for (VersionPage.Entry e : page.versions()) {
        if (!key.isEmpty() && !key.get(0).key().equals(e.version().key())) {
          if (!visitKey(key, now, visitor)) {
            return;
          }
          key.clear();
        }
        key.add(e.version());
      }
      if (!page.truncated()) {
        visitKey(key, now, visitor);
        return;
      }
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
  }

  /** Hands over the versions of one key, newest first; false if the visitor stopped. */
  private static boolean visitKey(
      List<ObjectVersion> versions, Instant now, Predicate<Version> visitor) {
    for (int i = 0; i < versions.size(); i++) {
      ObjectVersion v = versions.get(i);
      boolean current = i == 0;
      long size = v instanceof ObjectRecord o ? o.size() : 0;
      boolean locked = v instanceof ObjectRecord o && !o.lock().removableAt(now, false);
      ObjectFacts facts =
          new ObjectFacts(
              v.key().value(),
              size,
              null,
              v.lastModified(),
              current,
              v instanceof DeleteMarker,
              current ? null : versions.get(i - 1).lastModified(),
              current ? 0 : i - 1,
              versions.size() == 1,
              locked);
      String etag = v instanceof ObjectRecord o ? o.etag().value() : null;
      if (!visitor.test(new Version(facts, v.versionId(), etag))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Optional<Map<String, String>> tags(BucketName bucket, Version version) {
    try {
      return Optional.of(
          objects.tags(bucket, new ObjectKey(version.facts().key()), version.versionId()));
    } catch (CoffreException | IllegalArgumentException e) {
      LOG.info(
          "lifecycle: tags of {}/{} cannot be read ({}); left alone",
          bucket.value(),
          version.facts().key(),
          e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  @Override
  public boolean apply(BucketName bucket, Version version, LifecycleAction action) {
    ObjectKey key = new ObjectKey(version.facts().key());
    try {
      return switch (action) {
        case EXPIRE_CURRENT -> {
          // The object the decision was made on, not one written since (a narrow race remains
          // until deletes can be made conditional on the version).
          Optional<ObjectRecord> now = metadata.object(bucket, key);
          if (now.isEmpty()
              || !now.get().versionId().equals(version.versionId())
              || !now.get().etag().value().equals(version.etag())) {
            yield false;
          }
          objects.delete(bucket, key);
          yield true;
        }
        case REMOVE_NONCURRENT -> {
          objects.delete(bucket, key, version.versionId(), false);
          yield true;
        }
        case REMOVE_DELETE_MARKER -> {
          Optional<ObjectVersion> latest = metadata.latest(bucket, key);
          if (latest.isEmpty()
              || !(latest.get() instanceof DeleteMarker m)
              || !m.versionId().equals(version.versionId())) {
            yield false;
          }
          objects.delete(bucket, key, version.versionId(), false);
          yield true;
        }
        case NONE -> false;
        case ABORT_UPLOAD ->
            throw new UnsupportedOperationException("uploads are not versions: " + bucket.value());
      };
    } catch (ObjectLockException e) {
      LOG.info(
          "lifecycle: {}/{} version {} is kept by Object Lock",
          bucket.value(),
          key.value(),
          version.versionId());
      return false;
    }
  }
}
