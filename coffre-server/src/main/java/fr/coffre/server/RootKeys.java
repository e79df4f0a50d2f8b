package fr.coffre.server;

import fr.coffre.admin.SealControl;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.RootKeyRing;
import fr.coffre.crypto.SealedRootKey;
import fr.coffre.crypto.SwitchableRootKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of a start: the root key in the configured mode, checked against what the data
 * directory was created with ({@link RootKeyPin}) before anything else is opened. A start in
 * another mode, or with another key, is refused with a message naming the mode expected; a missing
 * key file or HSM key is never silently replaced by a new one.
 */
final class RootKeys {
  private static final Logger LOG = LoggerFactory.getLogger(RootKeys.class);
  static final String DEV_KEY_FILE = "dev-root.key";
  static final String SEALED_KEY_FILE = "sealed-root.key";

  /** Where a rotation keeps the keys it retired until nothing refers to them. */
  static final String RETIRED_DIR = "retired";

  private final Path keysDir;
  private final Mode mode;
  private final RootKey key;
  private final SwitchableRootKey live;
  private final SealedRootKey sealed;
  private final Map<String, SealedRootKey> retiredSealed;
  private volatile RootKeyPin pin;

  private RootKeys(
      Path keysDir,
      Mode mode,
      RootKey key,
      SealedRootKey sealed,
      Map<String, SealedRootKey> retiredSealed,
      RootKeyPin pin) {
    this.keysDir = keysDir;
    this.mode = mode;
    this.key = key;
    this.live = new SwitchableRootKey(key);
    this.sealed = sealed;
    this.retiredSealed = retiredSealed;
    this.pin = pin;
  }

  /** The file a retired root key {@code id} is kept in ({@code keys/retired/MODE-HEX.key}). */
  static Path retiredFile(Path keysDir, String id) {
    return keysDir.resolve(RETIRED_DIR).resolve(id.replace(':', '-') + ".key");
  }

  /**
   * The retired keys of a development-key directory, opened and checked against the pin; a missing
   * file stops the start (what it wrapped would not open).
   */
  static Map<String, RootKey> retiredFileKeys(Path keysDir, RootKeyPin pin)
      throws IOException, GeneralSecurityException {
    Map<String, RootKey> out = new LinkedHashMap<>();
    for (String id : pin.retiredIds()) {
      Path file = retiredFile(keysDir, id);
      if (!Files.exists(file)) {
        throw new RootKeyPin.MismatchException(
            "the retired root key "
                + id
                + " is missing ("
                + file
                + "): the root key rotation to "
                + pin.id()
                + " has not finished re-wrapping what it wrapped. Restore the file, then run"
                + " `coffre root-key rotate --data DIR` again to finish. Nothing was started.");
      }
      byte[] material = KeyFileRootKey.readMaterial(file);
      try {
        RootKey old = KeyFileRootKey.of(material);
        pin.requireRetired(id, old);
        out.put(id, old);
      } finally {
        Arrays.fill(material, (byte) 0);
      }
    }
    return out;
  }

  /** The retired keys of a sealed directory, still sealed (the same passphrase opens them). */
  static Map<String, SealedRootKey> retiredSealedKeys(Path keysDir, RootKeyPin pin)
      throws IOException {
    Map<String, SealedRootKey> out = new LinkedHashMap<>();
    for (String id : pin.retiredIds()) {
      SealedRootKey old = SealedRootKey.at(retiredFile(keysDir, id), SealedRootKey.Cost.DEFAULT);
      String found =
          old.storedId()
              .orElseThrow(
                  () ->
                      new RootKeyPin.MismatchException(
                          "the retired sealed root key "
                              + retiredFile(keysDir, id)
                              + " is missing: the rotation to "
                              + pin.id()
                              + " has not finished re-wrapping what it wrapped. Restore the file,"
                              + " then run `coffre root-key rotate` again. Nothing was started."));
      if (!found.equals(id)) {
        throw new RootKeyPin.MismatchException(
            retiredFile(keysDir, id)
                + " holds "
                + found
                + ", not "
                + id
                + ". Nothing was started.");
      }
      out.put(id, old);
    }
    return out;
  }

  /** The mode a configuration asks for. */
  static Mode modeOf(ServerConfig config) {
    return config.sealed() != null ? Mode.SEALED : config.hsm() != null ? Mode.HSM : Mode.FILE;
  }

  /**
   * Opens the root key of {@code data} as {@code config} says.
   *
   * @throws RootKeyPin.MismatchException when the directory was made with another mode or key
   */
  static RootKeys open(ServerConfig config, Path data)
      throws IOException, GeneralSecurityException {
    Path keysDir = data.resolve("keys");
    Files.createDirectories(keysDir);
    Mode configured = modeOf(config);
    Optional<RootKeyPin> stored = RootKeyPin.read(keysDir);
    Optional<Mode> made =
        stored
            .map(RootKeyPin::mode)
            .or(
                () -> {
                  try {
                    return RootKeyPin.inferLegacy(keysDir);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
    RootKeyPin pin = stored.orElseGet(() -> RootKeyPin.of(made.orElse(configured)));
    pin.requireMode(configured, data);
    if (RootKeySwitch.interruptedAfterCommit(keysDir, pin)) {
      throw new RootKeyPin.MismatchException(
          "a root key rotation to "
              + pin.id()
              + " was interrupted before its new key file was put in place; run `coffre root-key"
              + " rotate --data "
              + data
              + "` to complete it (and its re-wrap pass), then start again. Nothing was started.");
    }
    // Data was wrapped in this directory: its key must be found, never made anew.
    boolean keyExpected = pin.knowsKey() || made.isPresent();
    return switch (configured) {
      case FILE -> {
        Path file = keysDir.resolve(DEV_KEY_FILE);
        if (keyExpected && !Files.exists(file)) {
          throw new RootKeyPin.MismatchException(
              "the development root key "
                  + file
                  + " is missing; this data"
                  + " directory's data is wrapped under it"
                  + (pin.knowsKey() ? " (" + pin.id() + ")" : "")
                  + ". Restore it from a backup; a new key would open none of it. Nothing was started.");
        }
        RootKey key =
            RootKeyRing.of(KeyFileRootKey.openOrCreate(file), retiredFileKeys(keysDir, pin));
        LOG.warn(
            "DEVELOPMENT KEY MODE: the root key is a file ({}); anyone who can read the data"
                + " directory can decrypt it. Use an HSM or a sealed key in production.",
            file);
        yield admitted(keysDir, configured, key, pin);
      }
      case HSM -> {
        ServerConfig.Hsm hsm = config.hsm();
        String id = "pkcs11:" + hsm.keyLabel();
        if (pin.knowsKey() && !pin.id().equals(id)) {
          boolean rotatedFrom = pin.retiredIds().contains(id);
          throw new RootKeyPin.MismatchException(
              "this data directory's root key is "
                  + pin.id()
                  + " in the HSM"
                  + (rotatedFrom ? " (rotated from " + id + ", now retired)" : "")
                  + ", but this start names "
                  + id
                  + "; set COFFRE_PKCS11_KEY_LABEL (or root-key.pkcs11.key-label) to "
                  + HsmRotation.label(pin.id())
                  + ". Nothing was started.");
        }
        // No fallback: an HSM that cannot be opened stops the start. While a rotation's pass is
        // unfinished the retired labels the pin lists are opened too, as a ring.
        RootKey key = HsmRotation.serverKey(hsm, pin, !keyExpected);
        LOG.info("root key {} is in the HSM (slot {}), non-extractable", key.id(), hsm.slot());
        yield admitted(keysDir, configured, key, pin);
      }
      case SEALED -> {
        SealedRootKey sealed =
            SealedRootKey.at(keysDir.resolve(SEALED_KEY_FILE), SealedRootKey.Cost.DEFAULT);
        if (pin.knowsKey()) {
          String found =
              sealed
                  .storedId()
                  .orElseThrow(
                      () ->
                          new RootKeyPin.MismatchException(
                              "the sealed root key "
                                  + keysDir.resolve(SEALED_KEY_FILE)
                                  + " is missing; this data directory's data is wrapped under "
                                  + pin.id()
                                  + ". Restore the file from a backup. Nothing was started."));
          if (!found.equals(pin.id())) {
            throw new RootKeyPin.MismatchException(
                "the sealed root key file holds "
                    + found
                    + ", but this data"
                    + " directory's root key is "
                    + pin.id()
                    + "; restore its own sealed-root.key. Nothing was started.");
          }
        }
        if (!sealed.exists()
            && config.sealed().passphrase() != null
            && !config.sealed().passphrase().isEmpty()) {
          // The first unseal will create the key from this passphrase: refuse a weak one now.
          SealedRootKey.checkStrength(config.sealed().passphrase().toCharArray());
        }
        if (stored.isEmpty()) {
          pin.write(keysDir);
        }
        LOG.info(
            "root key is passphrase-sealed ({}); nothing is served until it is unsealed",
            config.sealed());
        Map<String, SealedRootKey> retired = retiredSealedKeys(keysDir, pin);
        yield new RootKeys(
            keysDir, configured, RootKeyRing.of(sealed, Map.copyOf(retired)), sealed, retired, pin);
      }
    };
  }

  private static RootKeys admitted(Path keysDir, Mode mode, RootKey key, RootKeyPin pin)
      throws IOException, GeneralSecurityException {
    pin.requireKey(key instanceof RootKeyRing ring ? ring.current() : key);
    if (!pin.knowsKey()) {
      pin = RootKeyPin.of(mode, key);
      pin.write(keysDir);
    }
    return new RootKeys(keysDir, mode, key, null, Map.of(), pin);
  }

  /**
   * The root key every service is handed: the key read at start, switched in place by an online
   * rotation ({@link OnlineRotation}).
   */
  SwitchableRootKey key() {
    return live;
  }

  /** The pin as this process last read or wrote it. */
  RootKeyPin pin() {
    return pin;
  }

  /** Records the pin an online rotation wrote. */
  void pinned(RootKeyPin written) {
    this.pin = written;
  }

  Path keysDir() {
    return keysDir;
  }

  Mode mode() {
    return mode;
  }

  /** The sealed key, or null when the root key is never sealed. */
  SealedRootKey sealed() {
    return sealed;
  }

  /** Whether the sealed key file exists (always true for the other modes). */
  boolean created() {
    return sealed == null || sealed.exists();
  }

  /** Creates the sealed key (once; refused when weak: IllegalArgumentException says why). */
  void create(char[] passphrase) throws IOException, GeneralSecurityException {
    sealed.create(passphrase);
  }

  /**
   * Unseals with {@code passphrase}, admitting only this directory's key; the first unseal of a new
   * directory records the key in the pin.
   */
  synchronized void unseal(char[] passphrase) throws IOException, GeneralSecurityException {
    // The retired keys first: once the current key is unsealed the server serves, and may need
    // them for what the rotation has not re-wrapped yet.
    for (Map.Entry<String, SealedRootKey> old : retiredSealed.entrySet()) {
      old.getValue()
          .unseal(
              passphrase,
              opened -> {
                try {
                  pin.requireRetired(old.getKey(), opened);
                } catch (RootKeyPin.MismatchException e) {
                  throw new GeneralSecurityException(e.getMessage(), e);
                }
              });
    }
    sealed.unseal(
        passphrase,
        opened -> {
          RootKeyPin current = pin;
          if (current.knowsKey()) {
            try {
              current.requireKey(opened);
            } catch (RootKeyPin.MismatchException e) {
              throw new GeneralSecurityException(e.getMessage(), e);
            }
          } else {
            RootKeyPin made = RootKeyPin.of(Mode.SEALED, opened);
            try {
              made.write(keysDir);
            } catch (IOException e) {
              throw new GeneralSecurityException(
                  "cannot record the root key in "
                      + keysDir.resolve(RootKeyPin.FILE_NAME)
                      + ": "
                      + e.getMessage(),
                  e);
            }
            pin = made;
          }
        });
  }

  /** The admin API's view of the seal: unseal, create, status. */
  SealControl sealControl() {
    if (sealed == null) {
      return SealControl.never(() -> mode.id() + " " + live.id());
    }
    RootKeys keys = this;
    SealedRootKey key = sealed;
    return new SealControl() {
      @Override
      public boolean sealed() {
        return key.isSealed();
      }

      @Override
      public Outcome unseal(char[] passphrase) {
        if (!keys.created()) {
          return Outcome.NOT_CREATED;
        }
        try {
          boolean was = key.isSealed();
          keys.unseal(passphrase);
          if (was) {
            LOG.info("root key {} unsealed through the admin API; serving", key.id());
          }
          return Outcome.UNSEALED;
        } catch (GeneralSecurityException e) {
          LOG.warn("unseal through the admin API refused: {}", e.getMessage());
          return Outcome.WRONG_PASSPHRASE;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } finally {
          Arrays.fill(passphrase, '\0');
        }
      }

      @Override
      public void create(char[] passphrase) {
        try {
          keys.create(passphrase);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(
              "the sealed root key could not be created: " + e.getMessage(), e);
        }
      }

      @Override
      public String rootKey() {
        return key.isSealed() ? "sealed" : "sealed " + key.id();
      }
    };
  }
}
