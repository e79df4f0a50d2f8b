package fr.coffre.s3.auth;

import java.util.Optional;

/** Finds the secret key of an access key id; empty when the key is unknown or disabled. */
@FunctionalInterface
public interface CredentialLookup {
  Optional<String> secretKey(String accessKeyId);
}
