package fr.coffre.core;

/** A policy document that is not valid JSON or not a valid policy; the message says where. */
public final class MalformedPolicyException extends CoffreException {
  public MalformedPolicyException(String message) {
    super(message);
  }
}
