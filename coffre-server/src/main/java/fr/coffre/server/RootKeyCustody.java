package fr.coffre.server;

import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.SealedRootKey;
import fr.coffre.crypto.SecretSharing;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Custody of a data directory's root key, offline: an escrow splits a recovery copy of the key into
 * Shamir shares ({@link SecretSharing}), one per custodian, any {@code threshold} of which rebuild
 * it; a recovery rebuilds the key from shares and installs it again.
 *
 * <p>Why it is safe: a share names the key it belongs to, so a share of another key is refused
 * before any arithmetic; fewer shares than the threshold are refused, and whatever they would give
 * is no key at all; and the rebuilt key must open the data directory's pin ({@link RootKeyPin}, its
 * id and check value) before it is written, so a wrong reconstruction (shares of two escrows, a
 * forged threshold) never becomes a root key. A recovery never replaces a key file that is there.
 *
 * <p>An HSM key is not extractable: it cannot be escrowed here; the HSM vendor's backup does that
 * (docs/key-custody.md).
 */
final class RootKeyCustody {
  private RootKeyCustody() {}

  /** Why an HSM key is not escrowed here, and where its backup lies. */
  static String hsmRefusal(RootKeyPin pin) {
    return "the root key of this data directory is "
        + pin.id()
        + " in a PKCS#11 HSM, created non-extractable (CKA_EXTRACTABLE=false, CKA_SENSITIVE=true):"
        + " Coffre cannot read it, so it cannot split it. Back it up with the HSM's own mechanism"
        + " (a backup or cloned HSM, key replication within the vendor's security domain; with"
        + " SoftHSM2, a copy of its token directory) — see docs/key-custody.md. Nothing was written.";
  }

  static void requireDataDirectory(Path data) {
    if (!Files.isDirectory(data.resolve("keys"))) {
      throw new CustodyException(
          data + " is not a Coffre data directory (it has no keys/ directory)");
    }
  }

  static RootKeyPin knownPin(Path data, String what) throws IOException {
    Optional<RootKeyPin> pin;
    try {
      pin = RootKeyPin.read(data.resolve("keys"));
    } catch (IllegalStateException e) {
      throw new CustodyException(e.getMessage(), e);
    }
    if (pin.isEmpty() || !pin.get().knowsKey()) {
      throw new CustodyException(
          data
              + " has no recorded root key (keys/"
              + RootKeyPin.FILE_NAME
              + " with its id): start the server on it once (and unseal it) before "
              + what
              + ", so that a key can be checked against it");
    }
    return pin.get();
  }

  static RootKey keyOf(Mode mode, byte[] material) {
    try {
      return switch (mode) {
        case FILE -> KeyFileRootKey.of(material);
        case SEALED -> SealedRootKey.of(material);
        case HSM -> throw new IllegalStateException("an HSM key has no material here");
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static void requirePinned(RootKeyPin pin, RootKey key, String what) {
    try {
      pin.requireKey(key);
    } catch (RootKeyPin.MismatchException e) {
      throw new CustodyException(
          what
              + " is not this data directory's root key "
              + pin.id()
              + " (it is "
              + key.id()
              + ", or its check value does not open): wrong or mixed shares. Nothing was written.",
          e);
    }
  }

  /** The custody log's file name in DATA/keys. */
  static final String LOG_FILE = "custody.log";

  /**
   * Appends one line to {@code DATA/keys/custody.log} (owner-only, fsynced): when, what, and its
   * public labels (key id, set, threshold, custodians, share indexes), never a share. It tells the
   * operator which escrow sets exist, and when a key was recovered.
   */
  static void log(Path keys, String line) throws IOException {
    Path file = keys.resolve(LOG_FILE);
    if (!Files.exists(file)) {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        // made meanwhile: append to it
      }
    }
    Files.writeString(
        file,
        Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND,
        StandardOpenOption.SYNC);
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
