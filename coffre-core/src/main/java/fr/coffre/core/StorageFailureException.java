package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/** A storage or metadata operation failed for a reason that is not the client's. */
public final class StorageFailureException extends CoffreException {
  public StorageFailureException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean messageIsPublic() {
    return false;
  }
}
