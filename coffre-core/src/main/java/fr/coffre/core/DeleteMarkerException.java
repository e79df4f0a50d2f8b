package fr.coffre.core;

/**
 * A read met a delete marker: the key's latest version is one ({@code addressed} false: S3 answers
 * 404 NoSuchKey), or the request named a delete marker's version id ({@code addressed} true: 405
 * MethodNotAllowed). Either way the answer says it is a delete marker, and which.
 */
public final class DeleteMarkerException extends CoffreException {
  private final String key;
  private final String versionId;
  private final boolean addressed;

  public DeleteMarkerException(String key, String versionId, boolean addressed) {
    super(
        addressed
            ? "The specified method is not allowed against this resource."
            : "The specified key does not exist.");
    this.key = key;
    this.versionId = versionId;
    this.addressed = addressed;
  }

  public String key() {
    return key;
  }

  public String versionId() {
    return versionId;
  }

  public boolean addressed() {
    return addressed;
  }
}
