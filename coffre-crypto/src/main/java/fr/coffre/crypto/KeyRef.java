package fr.coffre.crypto;

import fr.coffre.core.CorruptDataException;
import java.util.Base64;

/**
 * What wraps an object's data key, as stored beside the wrapped key (in the blob header and the
 * metadata row): the root key itself, a KMS key version (SSE-KMS), or a customer's key (SSE-C, of
 * which only a salted check is kept). Parsed in one place; the text form is the on-disk format
 * (docs/on-disk-format.md) and never changes for existing data.
 */
public sealed interface KeyRef permits KeyRef.Root, KeyRef.Kms, KeyRef.Customer {
  String KMS_PREFIX = "kms:";
  String CUSTOMER_PREFIX = "sse-c:";

  /** The stored form. */
  String text();

  /** Reads a stored reference; a malformed KMS or SSE-C one is corrupt data, never guessed. */
  static KeyRef parse(String text) {
    if (text.startsWith(KMS_PREFIX)) {
      int colon = text.lastIndexOf(':');
      try {
        return new Kms(
            text.substring(KMS_PREFIX.length(), colon),
            Integer.parseInt(text.substring(colon + 1)));
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        throw new CorruptDataException("malformed KMS key reference " + text, e);
      }
    }
    if (text.startsWith(CUSTOMER_PREFIX)) {
      String[] parts = text.substring(CUSTOMER_PREFIX.length()).split(":");
      try {
        if (parts.length != 2) {
          throw new IllegalArgumentException("expected salt:check");
        }
        return new Customer(
            Base64.getDecoder().decode(parts[0]), Base64.getDecoder().decode(parts[1]));
      } catch (IllegalArgumentException e) {
        throw new CorruptDataException("malformed SSE-C key reference", e);
      }
    }
    return new Root(text);
  }

  /**
   * Wrapped by the root key whose id this is ({@code file:…}, {@code sealed:…}, {@code pkcs11:…}).
   */
  record Root(String rootKeyId) implements KeyRef {
    @Override
    public String text() {
      return rootKeyId;
    }
  }

  /** Wrapped by version {@code version} of KMS key {@code keyId}. */
  record Kms(String keyId, int version) implements KeyRef {
    /** The prefix every version of a key shares, for queries over all of them. */
    public static String prefixOf(String keyId) {
      return KMS_PREFIX + keyId + ":";
    }

    @Override
    public String text() {
      return prefixOf(keyId) + version;
    }
  }

  /** Wrapped by a customer's key; {@code check} is HMAC-SHA256(key, salt ‖ context). */
  record Customer(byte[] salt, byte[] check) implements KeyRef {
    @Override
    public String text() {
      return CUSTOMER_PREFIX
          + Base64.getEncoder().encodeToString(salt)
          + ":"
          + Base64.getEncoder().encodeToString(check);
    }
  }
}
