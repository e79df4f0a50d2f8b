package fr.coffre.s3.handlers;

import fr.coffre.core.LockState;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.RetentionMode;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ObjectInfo;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The version and Object Lock headers: {@code x-amz-object-lock-*} read from a write and written on
 * GET and HEAD, {@code x-amz-version-id} on every answer that names a version.
 */
final class ObjectLockHeaders {
  static final String MODE = "x-amz-object-lock-mode";
  static final String UNTIL = "x-amz-object-lock-retain-until-date";
  static final String HOLD = "x-amz-object-lock-legal-hold";

  private ObjectLockHeaders() {}

  /** The lock a write asks for, or null when it asks none (the bucket's default applies). */
  static LockState requested(S3Request request) {
    return requested(request::header);
  }

  /**
   * As {@link #requested(S3Request)}, from named values: the headers of a request or the fields of
   * a browser form upload (by lower-case name).
   */
  static LockState requested(Function<String, String> values) {
    String mode = values.apply(MODE);
    String until = values.apply(UNTIL);
    String hold = values.apply(HOLD);
    if (mode == null && until == null && hold == null) {
      return null;
    }
    if ((mode == null) != (until == null)) {
      throw new S3Exception(
          S3Error.INVALID_ARGUMENT,
          "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
    }
    boolean legalHold = false;
    if (hold != null) {
      legalHold = legalHold(hold.strip());
    }
    return new LockState(
        mode == null ? null : mode(mode.strip()),
        until == null ? null : date(until.strip()),
        legalHold);
  }

  static RetentionMode mode(String mode) {
    return switch (mode) {
      case "GOVERNANCE" -> RetentionMode.GOVERNANCE;
      case "COMPLIANCE" -> RetentionMode.COMPLIANCE;
      default ->
          throw new S3Exception(S3Error.INVALID_ARGUMENT, "Unknown wormMode directive.")
              .with("ArgumentName", MODE)
              .with("ArgumentValue", mode);
    };
  }

  static boolean legalHold(String status) {
    return switch (status) {
      case "ON" -> true;
      case "OFF" -> false;
      default ->
          throw new S3Exception(
                  S3Error.INVALID_ARGUMENT, "Legal Hold must be either of 'ON' or 'OFF'")
              .with("ArgumentName", HOLD)
              .with("ArgumentValue", status);
    };
  }

  /** An ISO-8601 date and time, as the retain-until date is written. */
  static Instant date(String text) {
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    } catch (DateTimeParseException e) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "The retain until date must be provided in ISO 8601 format")
          .with("ArgumentName", UNTIL)
          .with("ArgumentValue", text);
    }
  }

  /** {@code x-amz-version-id}, for a version of a bucket that has or had versioning. */
  static void versionId(S3Response response, ObjectInfo info) {
    if (!ObjectVersion.NULL_ID.equals(info.versionId())) {
      response.header("x-amz-version-id", info.versionId());
    }
  }

  /**
   * {@code x-amz-version-id} on an answer about one version's subresource (tagging): the version
   * asked for, else the latest one's id, looked up after the action succeeded.
   */
  static S3Response versionId(S3Response response, ApiContext ctx, S3Request request) {
    String id = Requests.versionId(request);
    if (id == null) {
      id = ctx.objects().versionIdOf(Requests.bucket(request), Requests.key(request), null);
    }
    if (!ObjectVersion.NULL_ID.equals(id)) {
      response.header("x-amz-version-id", id);
    }
    return response;
  }

  /** The version's lock, as GET and HEAD report it. */
  static void write(S3Response response, ObjectInfo info) {
    LockState lock = info.lock();
    if (lock.mode() != null && lock.retainUntil() != null) {
      response.header(MODE, lock.mode().name());
      response.header(UNTIL, DateTimeFormatter.ISO_INSTANT.format(lock.retainUntil()));
    }
    if (lock.legalHold()) {
      response.header(HOLD, "ON");
    }
  }
}
