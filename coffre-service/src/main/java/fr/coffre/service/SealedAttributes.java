package fr.coffre.service;

import fr.coffre.core.ObjectAttributes;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.ObjectCrypto;
import java.nio.charset.StandardCharsets;

/**
 * An object's attributes (user metadata, content type, tags, checksums...) as they are kept at
 * rest: encoded, then sealed under the object's own data key with a fixed context, so the rows of
 * the metadata store never hold them in clear and a row's attributes cannot be moved to another
 * object (another data key) undetected.
 */
final class SealedAttributes {
  private static final byte[] CONTEXT =
      "coffre object attributes v1".getBytes(StandardCharsets.US_ASCII);

  private SealedAttributes() {}

  static byte[] seal(ObjectCrypto crypto, DataKey key, ObjectAttributes attributes) {
    return crypto.seal(key, AttributesCodec.encode(attributes), CONTEXT);
  }

  static ObjectAttributes open(ObjectCrypto crypto, DataKey key, byte[] sealed) {
    return AttributesCodec.decode(crypto.open(key, sealed, CONTEXT));
  }
}
