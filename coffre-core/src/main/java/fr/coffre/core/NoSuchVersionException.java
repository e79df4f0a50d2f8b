package fr.coffre.core;

/** The named version of a key does not exist. */
public final class NoSuchVersionException extends CoffreException {
  private final String key;
  private final String versionId;

  public NoSuchVersionException(String key, String versionId) {
    super("The specified version does not exist.");
    this.key = key;
    this.versionId = versionId;
  }

  public String key() {
    return key;
  }

  public String versionId() {
    return versionId;
  }
}
