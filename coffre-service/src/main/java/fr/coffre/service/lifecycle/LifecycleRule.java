package fr.coffre.service.lifecycle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One rule of a bucket's lifecycle configuration, as the evaluator reads it (the protocol layer
 * owns the S3 document and its validation; this is what a valid document means).
 *
 * @param id the rule's ID (named in audit records)
 * @param enabled whether the rule is applied ({@code Status} Enabled)
 * @param filter which objects and uploads it applies to
 * @param expiration what happens to current versions and lone delete markers, or null
 * @param noncurrentExpiration when noncurrent versions are removed, or null
 * @param abortAfterDays days after initiation when an unfinished multipart upload is aborted, or
 *     null
 */
public record LifecycleRule(
    String id,
    boolean enabled,
    LifecycleFilter filter,
    Expiration expiration,
    NoncurrentExpiration noncurrentExpiration,
    Integer abortAfterDays) {

  public LifecycleRule {
    Objects.requireNonNull(id, "id");
    filter = filter == null ? LifecycleFilter.ALL : filter;
    if (abortAfterDays != null && abortAfterDays < 1) {
      throw new IllegalArgumentException("abortAfterDays must be positive");
    }
    if (expiration == null && noncurrentExpiration == null && abortAfterDays == null) {
      throw new IllegalArgumentException("a rule needs at least one action");
    }
  }

  /**
   * S3's {@code Expiration}: current versions expire {@code days} after they were written, or on
   * {@code date}; with {@code expiredObjectDeleteMarker}, a delete marker left alone (no other
   * version) is removed. Exactly one of the three is given.
   *
   * @param days positive, or null
   * @param date a midnight UTC, or null
   * @param expiredObjectDeleteMarker whether lone delete markers are removed at once
   */
  public record Expiration(Integer days, Instant date, boolean expiredObjectDeleteMarker) {
    public Expiration {
      int given = (days != null ? 1 : 0) + (date != null ? 1 : 0);
      if (given > 1 || (given == 1 && expiredObjectDeleteMarker)) {
        throw new IllegalArgumentException(
            "an expiration has one of days, date and expiredObjectDeleteMarker");
      }
      if (days != null && days < 1) {
        throw new IllegalArgumentException("expiration days must be positive");
      }
      if (date != null && !date.truncatedTo(ChronoUnit.DAYS).equals(date)) {
        throw new IllegalArgumentException("an expiration date is a midnight UTC");
      }
    }

    public static Expiration afterDays(int days) {
      return new Expiration(days, null, false);
    }

    public static Expiration on(Instant date) {
      return new Expiration(null, date, false);
    }

    public static Expiration deleteMarkers() {
      return new Expiration(null, null, true);
    }
  }

  /**
   * S3's {@code NoncurrentVersionExpiration}: a version is removed {@code noncurrentDays} after it
   * became noncurrent, unless it is one of the {@code newerNoncurrentVersions} newest noncurrent
   * versions of its key, which are kept.
   *
   * @param noncurrentDays positive
   * @param newerNoncurrentVersions how many newer noncurrent versions to keep (1 to 100), or null
   */
  public record NoncurrentExpiration(int noncurrentDays, Integer newerNoncurrentVersions) {
    public NoncurrentExpiration {
      if (noncurrentDays < 1) {
        throw new IllegalArgumentException("noncurrentDays must be positive");
      }
      if (newerNoncurrentVersions != null && newerNoncurrentVersions < 1) {
        throw new IllegalArgumentException("newerNoncurrentVersions must be positive");
      }
    }
  }
}
