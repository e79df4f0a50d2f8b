package fr.coffre.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of a version listing.
 *
 * @param versions in key order, each key's versions newest first
 * @param nextKeyMarker when truncated, where the next page starts
 * @param nextVersionIdMarker when truncated and the page ended inside a key, the last version given
 */
public record VersionPage(
    List<Entry> versions,
    List<String> commonPrefixes,
    boolean truncated,
    @Nullable String nextKeyMarker,
    @Nullable String nextVersionIdMarker) {

  /** One version, and whether it is its key's latest. */
  public record Entry(ObjectVersion version, boolean latest) {}

  public VersionPage {
    versions = List.copyOf(versions);
    commonPrefixes = List.copyOf(commonPrefixes);
  }
}
