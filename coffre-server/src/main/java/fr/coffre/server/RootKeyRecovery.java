package fr.coffre.server;

import fr.coffre.crypto.EscrowShare;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.SealedRootKey;
import fr.coffre.crypto.SecretSharing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What a recovery of a data directory's root key from escrow shares did: which key, into which
 * file, from how many shares, and whether it wrote it ({@code installed} is false when the same key
 * was already in place). See {@link RootKeyCustody} for why it is safe.
 */
public record RootKeyRecovery(
    String keyId, Mode mode, Path keyFile, int sharesUsed, boolean installed) {

  /**
   * Rebuilds the root key of {@code data} from shares and installs it: the development key file, or
   * a sealed key file under {@code newPassphrase}. The data directory is locked meanwhile (no
   * server may run on it). A key file already there is left alone: when it holds the same key
   * nothing is done, when another one the recovery is refused.
   *
   * @param shares each share's text, keyed by where it came from (named in errors)
   * @param newPassphrase the passphrase to seal a recovered sealed key under; ignored otherwise
   * @throws CustodyException saying why the shares were refused or nothing was installed
   */
  public static RootKeyRecovery recover(
      Path data, Map<String, String> shares, char @Nullable [] newPassphrase) throws IOException {
    RootKeyCustody.requireDataDirectory(data);
    try (DataDirectory dir = lockOrRefuse(data)) {
      RootKeyPin pin = RootKeyCustody.knownPin(dir.path(), "a recovery");
      if (pin.mode() == Mode.HSM) {
        throw new CustodyException(RootKeyCustody.hsmRefusal(pin));
      }
      Map<Integer, byte[]> points = new TreeMap<>();
      EscrowShare first = null;
      for (Map.Entry<String, String> e : new LinkedHashMap<>(shares).entrySet()) {
        EscrowShare share;
        try {
          share = EscrowShare.parse(e.getValue());
        } catch (IllegalArgumentException ex) {
          throw new CustodyException(e.getKey() + ": " + ex.getMessage(), ex);
        }
        if (!share.keyId().equals(pin.id())) {
          throw new CustodyException(
              e.getKey()
                  + " is a share of root key "
                  + share.keyId()
                  + ", not of this data directory's key "
                  + pin.id()
                  + ". Nothing was written.");
        }
        if (first == null) {
          first = share;
        } else if (!share.setId().equals(first.setId())) {
          throw new CustodyException(
              e.getKey()
                  + " belongs to escrow set "
                  + share.setId()
                  + ", the first share to set "
                  + first.setId()
                  + ": shares of two escrows do not combine. Nothing was written.");
        } else if (share.threshold() != first.threshold() || share.count() != first.count()) {
          throw new CustodyException(
              e.getKey() + " disagrees with the first share on the threshold or count");
        }
        if (points.put(share.index(), share.data()) != null) {
          throw new CustodyException(
              "share " + share.index() + " was given twice (" + e.getKey() + ")");
        }
      }
      if (first == null) {
        throw new CustodyException("no share given (--share FILE, one per custodian present)");
      }
      if (points.size() < first.threshold()) {
        throw new CustodyException(
            first.threshold()
                + " shares of set "
                + first.setId()
                + " are needed to rebuild "
                + pin.id()
                + ", "
                + points.size()
                + " given: fewer reveal nothing of the key. Nothing was written.");
      }
      byte[] material = SecretSharing.combine(points);
      points.values().forEach(p -> Arrays.fill(p, (byte) 0));
      try {
        RootKeyCustody.requirePinned(
            pin, RootKeyCustody.keyOf(pin.mode(), material), "the key rebuilt from these shares");
        RootKeyRecovery done =
            install(dir.path().resolve("keys"), pin, material, newPassphrase, points.size());
        RootKeyCustody.log(
            dir.path().resolve("keys"),
            "recovery key="
                + pin.id()
                + " set="
                + first.setId()
                + " shares="
                + points.keySet().stream().map(String::valueOf).collect(Collectors.joining(","))
                + (done.installed()
                    ? " installed=" + done.keyFile().getFileName()
                    : " already-in-place"));
        return done;
      } finally {
        Arrays.fill(material, (byte) 0);
      }
    }
  }

  private static RootKeyRecovery install(
      Path keys, RootKeyPin pin, byte[] material, char @Nullable [] newPassphrase, int used)
      throws IOException {
    switch (pin.mode()) {
      case FILE -> {
        Path file = keys.resolve(RootKeys.DEV_KEY_FILE);
        if (Files.exists(file)) {
          byte[] present;
          try {
            present = KeyFileRootKey.readMaterial(file);
          } catch (IllegalStateException e) {
            throw new CustodyException(
                file + " is present but unusable (" + e.getMessage() + "); move it away first", e);
          }
          boolean same = Arrays.equals(present, material);
          Arrays.fill(present, (byte) 0);
          if (!same) {
            throw new CustodyException(
                file
                    + " is present and holds another key: a recovery never replaces a key file."
                    + " Move it away (keep it: it may open other data) and run the recovery again.");
          }
          return new RootKeyRecovery(pin.id(), pin.mode(), file, used, false);
        }
        KeyFileRootKey.install(file, material);
        return new RootKeyRecovery(pin.id(), pin.mode(), file, used, true);
      }
      case SEALED -> {
        Path file = keys.resolve(RootKeys.SEALED_KEY_FILE);
        SealedRootKey sealed = SealedRootKey.at(file, SealedRootKey.Cost.DEFAULT);
        if (sealed.exists()) {
          Optional<String> present = sealed.storedId();
          if (present.isPresent() && present.get().equals(pin.id())) {
            return new RootKeyRecovery(pin.id(), pin.mode(), file, used, false);
          }
          throw new CustodyException(
              file
                  + " is present and holds another key ("
                  + present.orElse("unknown")
                  + "): a recovery never replaces a key file. Move it away and run the recovery"
                  + " again.");
        }
        if (newPassphrase == null || newPassphrase.length == 0) {
          throw new CustodyException(
              "the recovered key is sealed again under a new passphrase: give it with"
                  + " --passphrase-file (the server then starts with COFFRE_ROOT_PASSPHRASE_FILE"
                  + " naming that file). Nothing was written.");
        }
        try {
          sealed.createFrom(material, newPassphrase);
        } catch (IllegalArgumentException e) {
          throw new CustodyException(e.getMessage() + ". Nothing was written.", e);
        } catch (GeneralSecurityException e) {
          throw new CustodyException("cannot seal the recovered key: " + e.getMessage(), e);
        }
        RootKeyCustody.fsyncDirectory(keys);
        return new RootKeyRecovery(pin.id(), pin.mode(), file, used, true);
      }
      case HSM -> throw new CustodyException(RootKeyCustody.hsmRefusal(pin));
    }
    throw new AssertionError(pin.mode());
  }

  private static DataDirectory lockOrRefuse(Path data) throws IOException {
    try {
      return DataDirectory.lock(data);
    } catch (
        IllegalStateException e) { // also OverlappingFileLockException (a lock held in this JVM)
      throw new CustodyException(
          "data directory "
              + data
              + " is in use by a Coffre process: stop the server before a recovery. Nothing was"
              + " written.",
          e);
    }
  }
}
