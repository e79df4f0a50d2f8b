package fr.coffre.server;

import fr.coffre.audit.AuditLog;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.RootKeyRing;
import fr.coffre.crypto.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code coffre audit rotate-signing-key}, offline: a new Ed25519 signing key for everything signed
 * from now on (checkpoints, certificates, reports). The rotation is recorded in the system chain
 * and checkpointed under the old key first, so the old key's last signature covers it; the old
 * public key is kept published in {@code keys/signing-retired.pub} (and by {@code GET
 * /admin/v1/signing-key}) so that what it signed still verifies.
 *
 * @param oldPublicKey the retired key's PEM, or null when there was none yet
 * @param newPublicKey the new key's PEM
 */
public record SigningKeyRotation(@Nullable String oldPublicKey, String newPublicKey) {

  /**
   * Rotates the signing key of {@code data}.
   *
   * @param passphrase a sealed root key's passphrase; ignored else
   * @throws CustodyException saying why it was refused
   */
  public static SigningKeyRotation rotate(Path data, char @Nullable [] passphrase, Clock clock)
      throws IOException {
    RootKeyCustody.requireDataDirectory(data);
    try (DataDirectory dir = RootKeyRotation.lock(data)) {
      Path keys = dir.path().resolve("keys");
      RootKeyPin pin = RootKeyCustody.knownPin(dir.path(), "a signing key rotation");
      if (pin.mode() == Mode.HSM) {
        throw new CustodyException(
            "the root key is in a PKCS#11 HSM: rotate the signing key with the server's HSM"
                + " settings is not done yet (docs/key-custody.md). Nothing was changed.");
      }
      RootKeyRing ring;
      try {
        ring = RootKeySwitch.openRing(keys, pin, passphrase);
      } catch (GeneralSecurityException | RootKeyPin.MismatchException e) {
        throw new CustodyException("the root key could not be opened: " + e.getMessage(), e);
      }
      SigningKey old = SigningKey.openOrCreate(keys, ring);
      String oldPem = old.publicKeyPem();
      try (AuditLog audit =
          AuditLog.open(
              dir.path().resolve("audit"),
              AuditLog.Options.defaults(),
              () -> ServerAudit.signer(() -> old),
              clock)) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("retiredPublicKey", old.publicKeyBase64());
        RootKeyRotation.record(audit, clock, "SigningKeyRotated", d);
        audit.checkpoint();
      }
      String pem = SigningKey.rotate(keys, ring, clock.instant());
      RootKeyCustody.log(keys, "signing key rotated");
      return new SigningKeyRotation(oldPem, pem);
    }
  }
}
