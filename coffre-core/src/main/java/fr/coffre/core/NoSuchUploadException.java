package fr.coffre.core;

/** The named multipart upload does not exist (never did, completed, or aborted). */
public final class NoSuchUploadException extends CoffreException {
  public NoSuchUploadException(String uploadId) {
    super(
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
  }
}
