package fr.coffre.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of a listing, objects and common prefixes each in byte order.
 *
 * @param last the greatest key or common prefix in the page, where the next page starts after; null
 *     when the page is empty
 */
public record ListPage(
    List<ObjectRecord> objects,
    List<String> commonPrefixes,
    boolean truncated,
    @Nullable String last) {
  public ListPage {
    objects = List.copyOf(objects);
    commonPrefixes = List.copyOf(commonPrefixes);
  }
}
