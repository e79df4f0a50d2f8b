package fr.coffre.server;

/**
 * A backup, verification or restore that was refused or failed, with a message for the operator
 * (what is wrong and what to do); the command line prints it and exits non-zero.
 */
public final class BackupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
