package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Temporary credentials (STS) as stored: an {@code ASIA…} access key id, its secret sealed by the
 * root key like a long-term key's, the SHA-256 of its session token (the token itself is a random
 * value shown once: the database never holds a usable token), and the role session it acts as.
 *
 * @param sessionName the RoleSessionName the caller chose
 * @param source who assumed the role: a user's ARN, or {@code issuer|subject} for a web identity
 * @param tokenHash lowercase hex SHA-256 of the session token
 */
public record SessionCredentialRecord(
    String accessKeyId,
    String tenant,
    String role,
    String sessionName,
    String source,
    byte[] sealedSecret,
    String tokenHash,
    Instant created,
    Instant expires) {
  public SessionCredentialRecord {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    TenantRecord.validName(tenant);
    RoleRecord.validName(role);
    Objects.requireNonNull(sessionName, "sessionName");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sealedSecret, "sealedSecret");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(expires, "expires");
  }
}
