package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * Upper bounds on what a tenant or a bucket may hold; a null bound means no limit.
 *
 * @param maxBytes total size of the current objects, or null
 * @param maxObjects number of objects, or null
 */
public record Quota(@Nullable Long maxBytes, @Nullable Long maxObjects) {
  /** No limit at all. */
  public static final Quota NONE = new Quota(null, null);

  public Quota {
    if (maxBytes != null && maxBytes < 0) {
      throw new InvalidArgumentException("quota bytes must be zero or more, got " + maxBytes);
    }
    if (maxObjects != null && maxObjects < 0) {
      throw new InvalidArgumentException("quota objects must be zero or more, got " + maxObjects);
    }
  }

  /** The limit this quota sets that {@code usage} plus the change would pass, or null if none. */
  public @Nullable String exceededBy(Usage usage, long addedObjects, long addedBytes) {
    if (maxBytes != null && addedBytes > 0 && usage.bytes() + addedBytes > maxBytes) {
      return "bytes: " + usage.bytes() + " used + " + addedBytes + " > " + maxBytes;
    }
    if (maxObjects != null && addedObjects > 0 && usage.objects() + addedObjects > maxObjects) {
      return "objects: " + usage.objects() + " stored + " + addedObjects + " > " + maxObjects;
    }
    return null;
  }
}
