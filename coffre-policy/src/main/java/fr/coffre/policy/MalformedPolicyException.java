package fr.coffre.policy;

/**
 * A policy document that is not valid JSON or not a valid policy. The message is written for the
 * person who wrote the policy: it names the element and, where there is one, the statement ({@code
 * Statement[2]: unknown condition operator 'StringEqualz'}), and it is safe to return to the client
 * (S3 sends it as MalformedPolicy).
 */
public final class MalformedPolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedPolicyException(String message) {
    super(message);
  }
}
