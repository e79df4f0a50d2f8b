package fr.coffre.server;

import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.RootKeyRing;
import fr.coffre.crypto.SealedRootKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The first half of a root key rotation, offline: a new key in the directory's mode takes the
 * current key's place, the old one is kept in {@code keys/retired/} and the pin names the new key
 * and lists the old one as retired; and the ring of both, opened for the re-wrap pass.
 *
 * <p>Crash safety, step by step: (1) the old key is copied to {@code keys/retired/} (fsynced); (2)
 * the new key is written beside the current one as {@code KEYFILE.new} (fsynced); (3) the pin is
 * rewritten (atomic rename) — the commit point; (4) {@code KEYFILE.new} is renamed over {@code
 * KEYFILE}. A crash before (3) leaves the old key current and a stale {@code .new}, deleted by the
 * next run; a crash between (3) and (4) leaves a pin naming the staged key, which the next run
 * moves into place ({@link #finishInterrupted}).
 */
final class RootKeySwitch {
  private static final String STAGED = ".new";

  private RootKeySwitch() {}

  static Path keyFile(Path keysDir, Mode mode) {
    return keysDir.resolve(mode == Mode.SEALED ? RootKeys.SEALED_KEY_FILE : RootKeys.DEV_KEY_FILE);
  }

  /**
   * Whether a key switch was interrupted after its commit point: the pin names the staged key,
   * which is not in place yet (the next {@code coffre root-key rotate} completes it).
   */
  static boolean interruptedAfterCommit(Path keysDir, RootKeyPin pin) throws IOException {
    if (pin.mode() == Mode.HSM || !pin.knowsKey()) {
      return false;
    }
    Path file = keyFile(keysDir, pin.mode());
    Path staged = file.resolveSibling(file.getFileName() + STAGED);
    return Files.exists(staged) && idOf(staged, pin.mode()).equals(pin.id());
  }

  /** Completes or discards a key switch a crash interrupted (see the class comment). */
  static void finishInterrupted(Path keysDir, RootKeyPin pin) throws IOException {
    Path file = keyFile(keysDir, pin.mode());
    Path staged = file.resolveSibling(file.getFileName() + STAGED);
    if (!Files.exists(staged)) {
      return;
    }
    String stagedId = idOf(staged, pin.mode());
    if (stagedId.equals(pin.id())) {
      Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      RootKeyCustody.fsyncDirectory(keysDir);
    } else {
      Files.delete(staged); // made before the pin named it: it wrapped nothing
    }
  }

  private static String idOf(Path file, Mode mode) throws IOException {
    if (mode == Mode.SEALED) {
      return SealedRootKey.at(file, SealedRootKey.Cost.DEFAULT)
          .storedId()
          .orElseThrow(() -> new CustodyException(file + " is not a sealed root key"));
    }
    byte[] material = KeyFileRootKey.readMaterial(file);
    try {
      return KeyFileRootKey.of(material).id();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /**
   * Puts a new root key in place of the current one (same mode; a sealed key under the same
   * passphrase) and returns the pin that names it and retires the old one.
   */
  static RootKeyPin switchKey(Path keysDir, RootKeyPin pin, char @Nullable [] passphrase)
      throws IOException, GeneralSecurityException {
    Path file = keyFile(keysDir, pin.mode());
    Path staged = file.resolveSibling(file.getFileName() + STAGED);
    byte[] oldMaterial = currentMaterial(file, pin, passphrase);
    byte[] material = new byte[32];
    new SecureRandom().nextBytes(material);
    try {
      RootKey old = RootKeyCustody.keyOf(pin.mode(), oldMaterial);
      RootKeyCustody.requirePinned(pin, old, "the current root key file");
      Path retired = RootKeys.retiredFile(keysDir, old.id());
      Files.createDirectories(
          retired.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      if (!Files.exists(retired)) {
        copyOwnerOnly(file, retired);
      }
      Files.deleteIfExists(staged);
      RootKey next;
      if (pin.mode() == Mode.SEALED) {
        SealedRootKey.at(staged, SealedRootKey.Cost.DEFAULT).createFrom(material, passphrase);
        next = SealedRootKey.of(material);
      } else {
        KeyFileRootKey.install(staged, material);
        next = KeyFileRootKey.of(material);
      }
      RootKeyCustody.fsyncDirectory(keysDir);
      RootKeyPin rotated = pin.rotatedTo(next);
      rotated.write(keysDir);
      finishInterrupted(keysDir, rotated);
      return rotated;
    } finally {
      Arrays.fill(oldMaterial, (byte) 0);
      Arrays.fill(material, (byte) 0);
    }
  }

  private static byte[] currentMaterial(Path file, RootKeyPin pin, char @Nullable [] passphrase)
      throws IOException, GeneralSecurityException {
    if (!Files.exists(file)) {
      throw new CustodyException(file + " is missing: there is no root key to rotate");
    }
    if (pin.mode() == Mode.SEALED) {
      return SealedRootKey.at(file, SealedRootKey.Cost.DEFAULT)
          .exportMaterial(requirePassphrase(passphrase));
    }
    return KeyFileRootKey.readMaterial(file);
  }

  private static char[] requirePassphrase(char @Nullable [] passphrase) {
    if (passphrase == null || passphrase.length == 0) {
      throw new CustodyException(
          "the root key is passphrase-sealed: give its passphrase with --passphrase-file (the new"
              + " key is sealed under the same one). Nothing was changed.");
    }
    return passphrase;
  }

  private static void copyOwnerOnly(Path from, Path to) throws IOException {
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, Files.readAllBytes(from), java.nio.file.StandardOpenOption.SYNC);
    Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
    RootKeyCustody.fsyncDirectory(to.getParent());
  }

  /** The current key and the retired ones the pin lists, opened and checked against the pin. */
  static RootKeyRing openRing(Path keysDir, RootKeyPin pin, char @Nullable [] passphrase)
      throws IOException, GeneralSecurityException {
    Path file = keyFile(keysDir, pin.mode());
    if (pin.mode() == Mode.SEALED) {
      char[] p = requirePassphrase(passphrase);
      SealedRootKey current = SealedRootKey.at(file, SealedRootKey.Cost.DEFAULT);
      current.unseal(p, pin::requireKey);
      Map<String, RootKey> retired = new LinkedHashMap<>();
      for (Map.Entry<String, SealedRootKey> e :
          RootKeys.retiredSealedKeys(keysDir, pin).entrySet()) {
        e.getValue().unseal(p, opened -> pin.requireRetired(e.getKey(), opened));
        retired.put(e.getKey(), e.getValue());
      }
      return RootKeyRing.ring(current, retired);
    }
    byte[] material = KeyFileRootKey.readMaterial(file);
    try {
      RootKey current = KeyFileRootKey.of(material);
      pin.requireKey(current);
      return RootKeyRing.ring(current, RootKeys.retiredFileKeys(keysDir, pin));
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }
}
