package fr.coffre.service;

import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import java.util.List;

/**
 * The "place" step of a write: which volumes a new blob's copies go to, as the bucket's sensitivity
 * class allows. Refusals are {@link fr.coffre.core.PlacementRefusedException}.
 */
public interface Placer {
  /** One volume, every class accepted as is: the behaviour of a store without placement rules. */
  Placer NONE =
      new Placer() {
        @Override
        public String classFor(String requested) {
          return requested == null ? BucketRecord.DEFAULT_CLASS : requested;
        }

        @Override
        public List<String> place(BucketName bucket, long sizeHint, BlobId id) {
          return List.of();
        }

        @Override
        public List<String> classNames() {
          return List.of();
        }
      };

  /**
   * Whether requests signed with AWS Signature Version 2 may reach buckets of this class; a store
   * without placement rules has no class that refuses it.
   */
  default boolean acceptsSigV2(String sensitivityClass) {
    return true;
  }

  /**
   * Whether buckets of this class may be made public (public ACLs, public bucket policies); a store
   * without placement rules has no class that refuses it.
   */
  default boolean acceptsPublicAccess(String sensitivityClass) {
    return true;
  }

  /** The sensitivity classes a bucket may be created in, by name. */
  List<String> classNames();

  /** The class a new bucket gets: the one requested (checked), or the configured default. */
  String classFor(String requested);

  /**
   * The volumes for a new blob of {@code bucket}: as many as its class requires, all allowed.
   *
   * @param sizeHint the blob's size when known (Content-Length), else -1
   */
  List<String> place(BucketName bucket, long sizeHint, BlobId id);
}
