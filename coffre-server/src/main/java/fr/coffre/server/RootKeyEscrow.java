package fr.coffre.server;

import fr.coffre.crypto.EscrowShare;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.SealedRootKey;
import fr.coffre.crypto.SecretSharing;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * One escrow of a data directory's root key: a recovery copy split into Shamir shares, one per
 * custodian, any {@code threshold} of which rebuild it ({@link RootKeyRecovery}); {@code setId}
 * names this split. See {@link RootKeyCustody} for why it is safe.
 */
public record RootKeyEscrow(String keyId, String setId, int threshold, List<EscrowShare> shares) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public RootKeyEscrow {
    shares = List.copyOf(shares);
  }

  /**
   * Splits a recovery copy of the root key of {@code data} into {@code count} shares, any {@code
   * threshold} of which rebuild it.
   *
   * @param custodians one name per share; empty names them {@code custodian-1..count}
   * @param passphrase the passphrase of a sealed key (needed to open it); ignored otherwise
   * @throws CustodyException when the directory has no usable key to escrow (HSM, missing key,
   *     wrong passphrase, bad parameters), saying why
   */
  public static RootKeyEscrow split(
      Path data, int count, int threshold, List<String> custodians, char @Nullable [] passphrase)
      throws IOException {
    List<String> names = custodianNames(count, custodians);
    try {
      SecretSharing.checkParameters(threshold, count);
    } catch (IllegalArgumentException e) {
      throw new CustodyException(e.getMessage(), e);
    }
    Path keys = data.resolve("keys");
    RootKeyCustody.requireDataDirectory(data);
    RootKeyPin pin = RootKeyCustody.knownPin(data, "an escrow");
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
          case HSM -> throw new CustodyException(RootKeyCustody.hsmRefusal(pin));
        };
    try {
      RootKeyCustody.requirePinned(
          pin, RootKeyCustody.keyOf(pin.mode(), material), "the key in " + keys);
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
      RootKeyCustody.log(
          keys,
          "escrow key="
              + pin.id()
              + " set="
              + setId
              + " threshold="
              + threshold
              + " shares="
              + count
              + " custodians="
              + String.join(",", names));
      return new RootKeyEscrow(pin.id(), setId, threshold, shares);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
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
  public List<Path> writeTo(Path outDir, Path data) throws IOException {
    if (!Files.isDirectory(outDir)) {
      Files.createDirectories(
          outDir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    List<Path> files = new ArrayList<>();
    for (EscrowShare share : shares) {
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
          shareFileText(shares.get(i), data),
          StandardCharsets.UTF_8,
          StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
    }
    RootKeyCustody.fsyncDirectory(outDir);
    return files;
  }
}
