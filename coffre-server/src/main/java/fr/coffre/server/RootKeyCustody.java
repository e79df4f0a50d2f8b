package fr.coffre.server;

import fr.coffre.crypto.EscrowShare;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.SealedRootKey;
import fr.coffre.crypto.SecretSharing;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

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
public final class RootKeyCustody {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RootKeyCustody() {}

  /** A refusal whose message is meant for the operator, and says what to do. */
  public static final class CustodyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CustodyException(String message) {
      super(message);
    }

    public CustodyException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One escrow: the key it splits and one share per custodian. */
  public record Escrow(String keyId, String setId, int threshold, List<EscrowShare> shares) {
    public Escrow {
      shares = List.copyOf(shares);
    }
  }

  /** What a recovery did. */
  public record Recovery(
      String keyId, Mode mode, Path keyFile, int sharesUsed, boolean installed) {}

  /**
   * Splits a recovery copy of the root key of {@code data} into {@code count} shares, any {@code
   * threshold} of which rebuild it.
   *
   * @param custodians one name per share; empty names them {@code custodian-1..count}
   * @param passphrase the passphrase of a sealed key (needed to open it); ignored otherwise
   * @throws CustodyException when the directory has no usable key to escrow (HSM, missing key,
   *     wrong passphrase, bad parameters), saying why
   */
  public static Escrow escrow(
      Path data, int count, int threshold, List<String> custodians, char @Nullable [] passphrase)
      throws IOException {
    List<String> names = custodianNames(count, custodians);
    try {
      SecretSharing.checkParameters(threshold, count);
    } catch (IllegalArgumentException e) {
      throw new CustodyException(e.getMessage(), e);
    }
    Path keys = data.resolve("keys");
    requireDataDirectory(data);
    RootKeyPin pin = knownPin(data, "an escrow");
    byte[] material =
        switch (pin.mode()) {
          case FILE -> {
            Path file = keys.resolve(RootKeys.DEV_KEY_FILE);
            if (!Files.exists(file)) {
              throw new CustodyException(
                  "the development root key "
                      + file
                      + " is missing: there is nothing to escrow. Rebuild it from an earlier escrow"
                      + " with `coffre root-key recover`.");
            }
            try {
              yield KeyFileRootKey.readMaterial(file);
            } catch (IllegalStateException e) {
              throw new CustodyException(e.getMessage(), e);
            }
          }
          case SEALED -> {
            if (passphrase == null || passphrase.length == 0) {
              throw new CustodyException(
                  "the root key of "
                      + data
                      + " is passphrase-sealed: give its passphrase (--passphrase-file) to open a"
                      + " recovery copy of it");
            }
            SealedRootKey sealed =
                SealedRootKey.at(
                    keys.resolve(RootKeys.SEALED_KEY_FILE), SealedRootKey.Cost.DEFAULT);
            if (!sealed.exists()) {
              throw new CustodyException(
                  "the sealed root key "
                      + keys.resolve(RootKeys.SEALED_KEY_FILE)
                      + " is missing: there is nothing to escrow. Rebuild it from an earlier escrow"
                      + " with `coffre root-key recover`.");
            }
            try {
              yield sealed.exportMaterial(passphrase);
            } catch (GeneralSecurityException e) {
              throw new CustodyException(
                  "the passphrase does not open "
                      + keys.resolve(RootKeys.SEALED_KEY_FILE)
                      + " (wrong passphrase, or the file was altered)",
                  e);
            }
          }
          case HSM -> throw new CustodyException(hsmRefusal(pin));
        };
    try {
      requirePinned(pin, keyOf(pin.mode(), material), "the key in " + keys);
      byte[] set = new byte[4];
      RANDOM.nextBytes(set);
      String setId = HexFormat.of().formatHex(set);
      SortedMap<Integer, byte[]> split = SecretSharing.split(material, threshold, count, RANDOM);
      List<EscrowShare> shares = new ArrayList<>();
      for (Map.Entry<Integer, byte[]> e : split.entrySet()) {
        shares.add(
            new EscrowShare(
                pin.id(),
                setId,
                names.get(e.getKey() - 1),
                e.getKey(),
                count,
                threshold,
                e.getValue()));
        Arrays.fill(e.getValue(), (byte) 0);
      }
      return new Escrow(pin.id(), setId, threshold, shares);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /** Why an HSM key is not escrowed here, and where its backup lies. */
  static String hsmRefusal(RootKeyPin pin) {
    return "the root key of this data directory is "
        + pin.id()
        + " in a PKCS#11 HSM, created non-extractable (CKA_EXTRACTABLE=false, CKA_SENSITIVE=true):"
        + " Coffre cannot read it, so it cannot split it. Back it up with the HSM's own mechanism"
        + " (a backup or cloned HSM, key replication within the vendor's security domain; with"
        + " SoftHSM2, a copy of its token directory) — see docs/key-custody.md. Nothing was written.";
  }

  private static List<String> custodianNames(int count, List<String> custodians) {
    if (custodians.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        names.add("custodian-" + i);
      }
      return names;
    }
    if (custodians.size() != count) {
      throw new CustodyException(
          custodians.size()
              + " custodians named for "
              + count
              + " shares: name one custodian per share (or none)");
    }
    for (String name : custodians) {
      try {
        EscrowShare.checkCustodian(name);
      } catch (IllegalArgumentException e) {
        throw new CustodyException(e.getMessage(), e);
      }
    }
    if (new HashSet<>(custodians).size() != custodians.size()) {
      throw new CustodyException("a custodian is named twice: each share goes to one person");
    }
    return List.copyOf(custodians);
  }

  /**
   * The text of a share's file: comments saying what it is and how it is used, then the share's
   * line.
   */
  public static String shareFileText(EscrowShare share, Path data) {
    return "# Coffre root key escrow: share "
        + share.index()
        + " of "
        + share.count()
        + ", for custodian "
        + share.custodian()
        + ".\n"
        + "# Any "
        + share.threshold()
        + " shares of set "
        + share.setId()
        + " rebuild root key "
        + share.keyId()
        + " (data directory "
        + data.toAbsolutePath()
        + ");\n"
        + "# fewer reveal nothing of it. Made "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + ". Keep it offline, apart from the other shares.\n"
        + "# To recover: coffre root-key recover --data DIR --share FILE --share FILE ...\n"
        + share.encode()
        + "\n";
  }

  /**
   * Writes one file per custodian ({@code <custodian>.share}, mode 0600, fsynced) into {@code
   * outDir} (made owner-only when new). Refused, before anything is written, when one of the files
   * exists: a share is written once.
   *
   * @return the files written, in share order
   */
  public static List<Path> writeShares(Escrow escrow, Path outDir, Path data) throws IOException {
    if (!Files.isDirectory(outDir)) {
      Files.createDirectories(
          outDir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    List<Path> files = new ArrayList<>();
    for (EscrowShare share : escrow.shares()) {
      Path file = outDir.resolve(share.custodian() + ".share");
      if (Files.exists(file)) {
        throw new CustodyException(
            file + " already exists: a share is written once; choose another --out directory");
      }
      files.add(file);
    }
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          file,
          shareFileText(escrow.shares().get(i), data),
          StandardCharsets.UTF_8,
          StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
    }
    fsyncDirectory(outDir);
    return files;
  }

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
  public static Recovery recover(
      Path data, Map<String, String> shares, char @Nullable [] newPassphrase) throws IOException {
    requireDataDirectory(data);
    try (DataDirectory dir = lockOrRefuse(data)) {
      RootKeyPin pin = knownPin(dir.path(), "a recovery");
      if (pin.mode() == Mode.HSM) {
        throw new CustodyException(hsmRefusal(pin));
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
        requirePinned(pin, keyOf(pin.mode(), material), "the key rebuilt from these shares");
        return install(dir.path().resolve("keys"), pin, material, newPassphrase, points.size());
      } finally {
        Arrays.fill(material, (byte) 0);
      }
    }
  }

  private static Recovery install(
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
          return new Recovery(pin.id(), pin.mode(), file, used, false);
        }
        KeyFileRootKey.install(file, material);
        return new Recovery(pin.id(), pin.mode(), file, used, true);
      }
      case SEALED -> {
        Path file = keys.resolve(RootKeys.SEALED_KEY_FILE);
        SealedRootKey sealed = SealedRootKey.at(file, SealedRootKey.Cost.DEFAULT);
        if (sealed.exists()) {
          Optional<String> present = sealed.storedId();
          if (present.isPresent() && present.get().equals(pin.id())) {
            return new Recovery(pin.id(), pin.mode(), file, used, false);
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
        fsyncDirectory(keys);
        return new Recovery(pin.id(), pin.mode(), file, used, true);
      }
      case HSM -> throw new CustodyException(hsmRefusal(pin));
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

  private static void requireDataDirectory(Path data) {
    if (!Files.isDirectory(data.resolve("keys"))) {
      throw new CustodyException(
          data + " is not a Coffre data directory (it has no keys/ directory)");
    }
  }

  private static RootKeyPin knownPin(Path data, String what) throws IOException {
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

  private static RootKey keyOf(Mode mode, byte[] material) {
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

  private static void requirePinned(RootKeyPin pin, RootKey key, String what) {
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

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
