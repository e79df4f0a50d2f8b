package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * A condition checked atomically with an object write: the write happens only if it holds.
 *
 * @param mustBeAbsent the key must have no current object (If-None-Match: *)
 * @param mustMatch null, or the ETag the current object must have (If-Match)
 */
public record WriteCondition(boolean mustBeAbsent, @Nullable ETag mustMatch) {
  public static final WriteCondition NONE = new WriteCondition(false, null);
}
