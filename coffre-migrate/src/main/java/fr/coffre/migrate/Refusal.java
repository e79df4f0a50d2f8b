package fr.coffre.migrate;

import org.jspecify.annotations.Nullable;

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
