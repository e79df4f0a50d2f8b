package fr.coffre.service;

import fr.coffre.core.BucketName;
import fr.coffre.core.CoffreException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.service.lifecycle.LifecycleAction;
import fr.coffre.service.lifecycle.LifecycleTargets;
import fr.coffre.service.lifecycle.ObjectFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle targets of buckets that keep one version per key (every bucket until versioning
 * lands): each object is current and the only version of its key; expiring it is {@link
 * ObjectService#delete}. There are no noncurrent versions nor delete markers to remove.
 */
public final class CurrentObjects implements LifecycleTargets {
  private static final Logger LOG = LoggerFactory.getLogger(CurrentObjects.class);

  private final MetadataStore metadata;
  private final ObjectService objects;

  public CurrentObjects(MetadataStore metadata, ObjectService objects) {
    this.metadata = metadata;
    this.objects = objects;
  }

  @Override
  public void forEach(BucketName bucket, Predicate<Version> visitor) {
    try {
      ObjectWalk.each(
          metadata,
          bucket,
          o ->
              visitor.test(
                  new Version(
                      ObjectFacts.unversioned(o.key().value(), o.size(), null, o.lastModified()),
                      null,
                      o.etag().value())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<Map<String, String>> tags(BucketName bucket, Version version) {
    try {
      return Optional.of(objects.tags(bucket, new ObjectKey(version.facts().key())));
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
    if (action != LifecycleAction.EXPIRE_CURRENT) {
      throw new UnsupportedOperationException(action + " needs versions: " + bucket.value());
    }
    ObjectKey key = new ObjectKey(version.facts().key());
    // The object the decision was made on, not one written since (a narrow race remains until
    // deletes can be made conditional on the version).
    Optional<ObjectRecord> now = metadata.object(bucket, key);
    if (now.isEmpty()
        || !now.get().etag().value().equals(version.etag())
        || !now.get().lastModified().equals(version.facts().lastModified())) {
      return false;
    }
    return objects.delete(bucket, key);
  }
}
