package fr.coffre.service;

import fr.coffre.core.ETag;
import fr.coffre.core.NotModifiedException;
import fr.coffre.core.PreconditionFailedException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The conditional headers of a read (If-Match, If-None-Match, If-Modified-Since,
 * If-Unmodified-Since), each null when absent, evaluated in the order of RFC 9110 §13.2.2 as S3
 * does: an If-Match that holds makes If-Unmodified-Since irrelevant, an If-None-Match that is
 * present makes If-Modified-Since irrelevant.
 */
public record ReadConditions(
    String ifMatch, String ifNoneMatch, Instant ifModifiedSince, Instant ifUnmodifiedSince) {

  public static final ReadConditions NONE = new ReadConditions(null, null, null, null);

  /**
   * Checks the conditions against the current object.
   *
   * @param notModifiedFails true for copy sources, where S3 answers 412 instead of 304
   */
  public void check(ETag etag, Instant lastModified, boolean notModifiedFails) {
    // HTTP dates have one-second resolution.
    Instant modified = lastModified.truncatedTo(ChronoUnit.SECONDS);
    if (ifMatch != null) {
      if (!matchesAny(ifMatch, etag)) {
        throw new PreconditionFailedException("If-Match");
      }
    } else if (ifUnmodifiedSince != null && modified.isAfter(ifUnmodifiedSince)) {
      throw new PreconditionFailedException("If-Unmodified-Since");
    }
    boolean notModified;
    String header;
    if (ifNoneMatch != null) {
      notModified = matchesAny(ifNoneMatch, etag);
      header = "If-None-Match";
    } else {
      notModified = ifModifiedSince != null && !modified.isAfter(ifModifiedSince);
      header = "If-Modified-Since";
    }
    if (notModified) {
      if (notModifiedFails) {
        throw new PreconditionFailedException(header);
      }
      throw new NotModifiedException(etag);
    }
  }

  private static boolean matchesAny(String list, ETag etag) {
    for (String tag : list.split(",")) {
      if (etag.matches(tag)) {
        return true;
      }
    }
    return false;
  }
}
