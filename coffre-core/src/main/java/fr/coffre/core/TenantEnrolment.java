package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tenant created under the consent rule, and the one-time link its first admin enrols with: the
 * operator creates the tenant, the tenant admin (and only they) receives its first credentials.
 * Once a tenant has an enrolment, the operator needs a {@link SupportWindow} to mint credentials or
 * grant access inside it.
 *
 * @param tokenHash SHA-256 of the one-time token, hex (the token itself is never stored)
 * @param redeemed when the first admin enrolled, or null
 * @param admin the user the first admin became, or null before
 */
public record TenantEnrolment(
    String tenant,
    String tokenHash,
    Instant created,
    Instant expires,
    @Nullable Instant redeemed,
    @Nullable String admin) {

  public TenantEnrolment {
    TenantRecord.validName(tenant);
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(expires, "expires");
  }
}
