package fr.coffre.policy;

import java.util.Objects;

/**
 * Whether a request may proceed, and why, in words fit for an audit log or an operator ("explicit
 * deny in bucket policy statement 'DenyHttp'"). Not meant for the client, which only ever sees
 * AccessDenied.
 */
public record Decision(boolean allowed, String reason) {
  public Decision {
    Objects.requireNonNull(reason, "reason");
  }

  static Decision allow(String reason) {
    return new Decision(true, reason);
  }

  static Decision deny(String reason) {
    return new Decision(false, reason);
  }
}
