package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * The audit trail cannot record an action (disk full, I/O error), and the server is configured to
 * fail closed: the action is refused rather than done unrecorded.
 */
public final class AuditUnavailableException extends CoffreException {
  public AuditUnavailableException(String message) {
    super(message);
  }

  public AuditUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
