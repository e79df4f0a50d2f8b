package fr.coffre.s3.auth;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Finds the secret key of an access key id; empty when the key is unknown or disabled. */
@FunctionalInterface
public interface CredentialLookup {
  Optional<String> secretKey(String accessKeyId);

  /**
   * The secret of a key presented with a session token ({@code x-amz-security-token}, null when
   * none came): temporary credentials need theirs. An implementation throws for a token that is
   * wrong or expired (InvalidToken, ExpiredToken); this default knows no temporary credentials and
   * takes a key with a token for an unknown one.
   */
  default Optional<String> secretKey(String accessKeyId, @Nullable String sessionToken) {
    return sessionToken == null ? secretKey(accessKeyId) : Optional.empty();
  }
}
