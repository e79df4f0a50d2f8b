package fr.coffre.core;

/** A write that would take a bucket or a tenant past its quota; nothing was changed. */
public final class QuotaExceededException extends CoffreException {
  public QuotaExceededException(String message) {
    super(message);
  }
}
