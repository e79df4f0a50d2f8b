package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * A bucket's versioning state, as S3 names it. A bucket starts {@link #UNVERSIONED} and, once
 * enabled, can only move between {@link #ENABLED} and {@link #SUSPENDED}.
 */
public enum Versioning {
  /** Never enabled: each key has one object, whose version id is {@code null}. */
  UNVERSIONED,
  /** Each write makes a new version with its own id; a delete leaves a delete marker. */
  ENABLED,
  /** Writes and deletes replace the key's {@code null} version; other versions are kept. */
  SUSPENDED;

  /** The {@code Status} of GetBucketVersioning, or null for a bucket never enabled. */
  public @Nullable String status() {
    return switch (this) {
      case UNVERSIONED -> null;
      case ENABLED -> "Enabled";
      case SUSPENDED -> "Suspended";
    };
  }
}
