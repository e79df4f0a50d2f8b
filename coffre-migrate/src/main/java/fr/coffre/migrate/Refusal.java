package fr.coffre.migrate;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Something the import target refused (NotImplemented, AccessDenied, InvalidRequest...): listed at
 * the end of an import and written to its report, never dropped.
 *
 * @param operation what was asked: a setting's name, or putObject, deleteObject (a delete marker),
 *     putObjectTagging, putObjectRetention, putObjectLegalHold
 */
public record Refusal(
    String bucket,
    @Nullable String key,
    @Nullable String versionId,
    String operation,
    String code,
    String message) {

  /** The refusal an S3 error answer says. */
  static Refusal of(
      String bucket, @Nullable String key, @Nullable String version, String op, S3Exception e) {
    String message =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? ""
            : e.awsErrorDetails().errorMessage();
    return new Refusal(bucket, key, version, op, BucketSettings.code(e), message);
  }

  @Override
  public String toString() {
    return bucket
        + (key == null ? "" : " " + key + (versionId == null ? "" : " (version " + versionId + ")"))
        + ": "
        + operation
        + " refused: "
        + code
        + (message.isEmpty() ? "" : " (" + message + ")");
  }
}
