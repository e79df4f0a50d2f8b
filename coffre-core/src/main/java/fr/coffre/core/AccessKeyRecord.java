package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;

/**
 * An access key of a user, as stored: its secret is sealed (wrapped by the root key), never kept in
 * clear.
 *
 * @param enabled an inactive key is refused like an unknown one
 */
public record AccessKeyRecord(
    String accessKeyId,
    String tenant,
    String user,
    byte[] sealedSecret,
    boolean enabled,
    Instant created) {
  public AccessKeyRecord {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(sealedSecret, "sealedSecret");
    Objects.requireNonNull(created, "created");
  }
}
