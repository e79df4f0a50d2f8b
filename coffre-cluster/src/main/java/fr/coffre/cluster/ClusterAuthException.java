package fr.coffre.cluster;

/**
 * A request to the internal API that {@link ClusterAuth} refuses. The message says why (missing
 * header, clock skew, replay, bad signature) for the refusing node's audit log; it never contains
 * the secret and is never sent to the caller.
 */
public final class ClusterAuthException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public ClusterAuthException(String reason) {
    super(reason);
    this.reason = reason;
  }

  /** Why the request is refused. */
  public String reason() {
    return reason;
  }
}
