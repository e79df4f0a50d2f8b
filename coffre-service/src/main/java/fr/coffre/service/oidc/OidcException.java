package fr.coffre.service.oidc;

/**
 * A token, a provider's answer or a sign-in that OIDC verification refused. The message is safe to
 * show to the person signing in: it names what was wrong (an expired token, another audience),
 * never a token or a secret.
 */
public final class OidcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What was wrong, for callers that map it to a status or an error code. */
  public enum Reason {
    /** The provider could not be reached or answered something that is not OIDC. */
    PROVIDER,
    /** Not a JWT, or a JWT whose parts cannot be read. */
    MALFORMED,
    /** Unsigned ({@code alg: none}), or signed with an algorithm that is not allowed. */
    ALGORITHM,
    /** No key of the provider has that key id, even after the keys were fetched again. */
    UNKNOWN_KEY,
    /** The signature does not match. */
    SIGNATURE,
    /** Another issuer. */
    ISSUER,
    /** Issued for another client. */
    AUDIENCE,
    /** Expired, not yet valid, or issued in the future. */
    TIME,
    /** The nonce is missing or is not the one the sign-in sent. */
    NONCE,
    /** A claim the caller needs is missing or has the wrong type. */
    CLAIM,
    /** The sign-in's state is unknown, expired or used already, or its browser is another. */
    STATE,
    /** The claims designate no tenant of this server, or a user that may not sign in this way. */
    MAPPING
  }

  private final Reason reason;

  public OidcException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public OidcException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
