package fr.coffre.service;

import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PlacementRefusedException;
import fr.coffre.core.PlacementRefusedException.Reason;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.placement.PlacementException;
import fr.coffre.policy.placement.SensitivityClass;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes a bucket's sensitivity class. Without a migration it is refused while any copy of the
 * bucket's objects sits where the new class forbids (or falls short of its copies and sites),
 * naming them. With a migration, each such blob is first copied to volumes the new class allows and
 * its forbidden copies removed; only when every object complies does the class change — then the
 * objects are checked once more, for writes placed by the old class meanwhile.
 */
public final class Reclassification {
  private static final Logger LOG = LoggerFactory.getLogger(Reclassification.class);
  private static final int NAMED = 20;

  private final MetadataStore metadata;
  private final BlobStore blobs;
  private final PlacementService placement;
  private final CopyIntegrity integrity;
  private final Object lock;

  /** What happened: the classes, how many blobs were moved, what still does not comply. */
  public record Result(
      String bucket, String from, String to, long blobs, long migrated, List<String> offending) {}

  /**
   * @param crypto checks a copy before it is copied from (null: presence only)
   * @param lock shared with the scrubber, so that both never move the same bucket's data at once
   */
  public Reclassification(
      MetadataStore metadata,
      BlobStore blobs,
      PlacementService placement,
      ObjectCrypto crypto,
      Object lock) {
    this.integrity = new CopyIntegrity(blobs, crypto);
    this.lock = lock;
    this.metadata = metadata;
    this.blobs = blobs;
    this.placement = placement;
  }

  public Result reclassify(BucketName bucket, String newClass, boolean migrate) {
    synchronized (lock) {
      return reclassifyLocked(bucket, newClass, migrate);
    }
  }

  private Result reclassifyLocked(BucketName bucket, String newClass, boolean migrate) {
    BucketRecord b =
        metadata.bucket(bucket).orElseThrow(() -> new NoSuchBucketException(bucket.value()));
    String to = placement.classFor(newClass); // known, and it accepts this server's key mode
    SensitivityClass target = placement.classes().get(to);
    long[] counts = new long[2];
    List<String> offending = pass(bucket, target, migrate, counts);
    if (!offending.isEmpty()) {
      throw new PlacementRefusedException(
          Reason.DATA_OUT_OF_CLASS,
          "bucket "
              + bucket.value()
              + " cannot become '"
              + to
              + "': "
              + offending.size()
              + " blob(s) are where it forbids"
              + (migrate ? " and could not be moved" : " (ask for a migration to move them)")
              + ": "
              + String.join("; ", offending.subList(0, Math.min(NAMED, offending.size()))));
    }
    metadata.setBucketClass(bucket, to);
    // Writes placed by the old class while the data moved: brought in line (or reported) now.
    List<String> late = pass(bucket, target, true, counts);
    LOG.info(
        "bucket {} reclassified from '{}' to '{}': {} blobs checked, {} moved{}",
        bucket.value(),
        b.sensitivityClass(),
        to,
        counts[0],
        counts[1],
        late.isEmpty() ? "" : "; still out of class: " + late);
    return new Result(bucket.value(), b.sensitivityClass(), to, counts[0], counts[1], late);
  }

  /**
   * Checks (and with {@code migrate}, moves) every blob of the bucket; returns what still does not
   * comply.
   */
  private List<String> pass(BucketName bucket, SensitivityClass c, boolean migrate, long[] counts) {
    List<String> offending = new ArrayList<>();
    try {
      ObjectWalk.each(
          metadata,
          bucket,
          o -> {
            for (BlobSlice slice : o.blobs()) {
              counts[0]++;
              List<String> copies = blobs.volumesOf(slice.blob());
              List<String> problems = placement.check(c.name(), copies);
              if (problems.isEmpty()) {
                continue;
              }
              if (migrate && move(c, o, slice, copies)) {
                counts[1]++;
                continue;
              }
              offending.add(o.key().value() + " (" + String.join(", ", problems) + ")");
            }
            return true;
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return offending;
  }

  /** Copies a blob onto volumes {@code c} allows, then removes its copies {@code c} forbids. */
  private boolean move(SensitivityClass c, ObjectRecord o, BlobSlice slice, List<String> copies)
      throws IOException {
    String source;
    try (DataKey key = integrity.dataKey(o)) {
      source = integrity.source(key, slice.blob(), copies);
    }
    if (source == null) {
      LOG.warn(
          "blob {} is not moved: no copy can be trusted as a source ({})", slice.blob(), copies);
      return false;
    }
    List<String> target;
    try {
      target = placement.keeping(c, copies, slice.size(), slice.blob());
    } catch (PlacementException e) {
      LOG.warn("blob {} cannot be moved: {}", slice.blob(), e.getMessage());
      return false;
    }
    for (String v : target) {
      if (!copies.contains(v)) {
        blobs.copy(slice.blob(), source, v);
      }
    }
    // The new copies are checked before any old one goes.
    List<String> now = blobs.volumesOf(slice.blob());
    List<String> allowed = now.stream().filter(v -> placement.allows(c.name(), v)).toList();
    if (!placement.check(c.name(), allowed).isEmpty()) {
      return false;
    }
    try (DataKey key = integrity.dataKey(o)) {
      for (String v : target) {
        if (!integrity.intact(key, slice.blob(), v)) {
          LOG.warn(
              "blob {}: the new copy on {} fails its check; the old copies stay", slice.blob(), v);
          return false;
        }
      }
    }
    for (String v : now) {
      if (!placement.allows(c.name(), v)) {
        blobs.delete(slice.blob(), v);
      }
    }
    return placement.check(c.name(), blobs.volumesOf(slice.blob())).isEmpty();
  }
}
