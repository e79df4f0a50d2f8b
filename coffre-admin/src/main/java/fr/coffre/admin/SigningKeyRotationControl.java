package fr.coffre.admin;

import java.util.Map;

/**
 * The online rotation of the server's signing key, as the admin API starts it: {@code POST
 * /admin/v1/signing-key/rotate} (docs/key-custody.md, "Rotation of the audit signing key").
 */
@FunctionalInterface
public interface SigningKeyRotationControl {

  /**
   * Replaces the signing key now: the rotation is recorded and checkpointed under the old key, then
   * the new key signs everything from then on; the old public key stays published.
   *
   * @param by who asked (recorded)
   * @return the new public key and the retired one (PEM)
   */
  Map<String, Object> rotate(String by);
}
