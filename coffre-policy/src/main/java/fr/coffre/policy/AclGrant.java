package fr.coffre.policy;

import java.util.Objects;

/**
 * What an access control list grants the caller of a request, for {@link AccessDecision}: a grant
 * that names the caller itself (a user's canonical id, AllUsers, AuthenticatedUsers) is direct; one
 * that names the caller's account (its tenant's canonical id) is delegated, as a bucket policy
 * naming an account is: its root is in, its users need an identity policy too.
 *
 * @param label how reasons cite the grant, e.g. {@code bucket ACL grant READ to AllUsers}
 */
public record AclGrant(String label, boolean delegated) {
  public AclGrant {
    Objects.requireNonNull(label, "label");
  }
}
