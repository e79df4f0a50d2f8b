package fr.coffre.service.lifecycle;

import java.util.Map;
import java.util.Objects;

/**
 * Which objects a lifecycle rule applies to: a key prefix, tags that must all be present with their
 * values, and strict bounds on the size. Every condition given must hold (S3's {@code And}); an
 * empty filter applies to every object.
 *
 * @param prefix keys must start with it ("" for every key)
 * @param tags each of these tags must be on the object with this value
 * @param sizeGreaterThan the object must be strictly larger, or null
 * @param sizeLessThan the object must be strictly smaller, or null
 */
public record LifecycleFilter(
    String prefix, Map<String, String> tags, Long sizeGreaterThan, Long sizeLessThan) {

  /** The filter that applies to every object. */
  public static final LifecycleFilter ALL = new LifecycleFilter("", Map.of(), null, null);

  public LifecycleFilter {
    prefix = prefix == null ? "" : prefix;
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    if (sizeGreaterThan != null && sizeGreaterThan < 0) {
      throw new IllegalArgumentException("sizeGreaterThan must not be negative");
    }
    if (sizeLessThan != null && sizeLessThan < 0) {
      throw new IllegalArgumentException("sizeLessThan must not be negative");
    }
  }

  /** A filter on the key prefix only. */
  public static LifecycleFilter prefix(String prefix) {
    return new LifecycleFilter(prefix, Map.of(), null, null);
  }

  /**
   * Whether the filter names tags (then delete markers and uploads, which have none, never match).
   */
  public boolean hasTags() {
    return !tags.isEmpty();
  }

  /** Whether the filter bounds the size (then delete markers and uploads never match). */
  public boolean hasSize() {
    return sizeGreaterThan != null || sizeLessThan != null;
  }

  public boolean matchesKey(String key) {
    return key.startsWith(prefix);
  }

  public boolean matchesSize(long size) {
    return (sizeGreaterThan == null || size > sizeGreaterThan)
        && (sizeLessThan == null || size < sizeLessThan);
  }

  /** Whether every tag of the filter is on the object with the same value. */
  public boolean matchesTags(Map<String, String> objectTags) {
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (!Objects.equals(objectTags.get(t.getKey()), t.getValue())) {
        return false;
      }
    }
    return true;
  }
}
