package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/** Stored data failed its integrity check; it is never served. */
public final class CorruptDataException extends CoffreException {
  public CorruptDataException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean messageIsPublic() {
    return false;
  }
}
