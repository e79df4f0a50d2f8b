package fr.coffre.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * What a data directory remembers of its root key: the mode it was created with (development key
 * file, passphrase-sealed, or HSM) and, once the key has been usable, its identity and a check
 * value. Every start compares its configured mode with the pin before anything listens, and every
 * key that becomes usable (at start, or at unseal) is checked against it.
 *
 * <p>Why: every wrapped key, every sealed credential and every audit signature depends on the same
 * root key. A start that silently falls back to another mode (for example a fresh development key
 * because the passphrase setting was forgotten) writes new data under a key that will not open
 * tomorrow and cannot open yesterday's data. Refusing the start is the only safe answer.
 *
 * <p>The check value is 32 zero bytes wrapped by the key with a fixed context: unwrapping it proves
 * that the key material is the one the directory was created with (an HSM key recreated under the
 * same label has the same id but fails the check). It reveals nothing about the key (AES-GCM with a
 * random nonce over a known plaintext).
 *
 * <p>File {@code DATA/keys/root-key.pin}, Java properties in UTF-8: {@code format=1}, {@code mode}
 * ({@code file}, {@code sealed} or {@code hsm}), and once known {@code id} and {@code check}
 * (base64). Written atomically (temporary file, fsync, rename).
 *
 * <p>After a root key rotation the pin names the new key ({@code id}, {@code check}) and lists the
 * retired keys ({@code retired.N.id}, {@code retired.N.check}, oldest first) until the re-wrap pass
 * has moved everything under the new key; a pin with retired keys is written with {@code format=2},
 * so that a server too old to know a key ring refuses it instead of starting without them.
 */
public record RootKeyPin(
    Mode mode, @Nullable String id, @Nullable String check, List<Retired> retired) {
  public static final String FILE_NAME = "root-key.pin";
  private static final byte[] CHECK_CONTEXT =
      "coffre root key check v1".getBytes(StandardCharsets.US_ASCII);

  /** How the root key is kept. */
  public enum Mode {
    FILE(
        "a development key file (keys/dev-root.key)",
        "start without COFFRE_ROOT_PASSPHRASE(_FILE), COFFRE_PKCS11_* and the root-key section of the configuration"),
    SEALED(
        "a passphrase-sealed key (keys/sealed-root.key)",
        "set COFFRE_ROOT_PASSPHRASE_FILE (or COFFRE_ROOT_PASSPHRASE, or root-key.passphrase-file in the configuration)"),
    HSM(
        "a key in a PKCS#11 HSM",
        "set COFFRE_PKCS11_LIBRARY, COFFRE_PKCS11_SLOT, COFFRE_PKCS11_PIN (or _PIN_FILE) and COFFRE_PKCS11_KEY_LABEL"
            + " (or root-key.pkcs11 in the configuration)");

    private final String description;
    private final String howToStart;

    Mode(String description, String howToStart) {
      this.description = description;
      this.howToStart = howToStart;
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
      return description;
    }

    static Mode of(String text) {
      for (Mode m : values()) {
        if (m.id().equals(text)) {
          return m;
        }
      }
      throw new IllegalStateException("unknown root key mode '" + text + "'");
    }
  }

  /** Raised when a start or an unseal does not match what the data directory was created with. */
  public static final class MismatchException extends IllegalStateException {
    public MismatchException(String message) {
      super(message);
    }
  }

  /** A root key a rotation replaced, still needed to unwrap what was not re-wrapped yet. */
  public record Retired(String id, String check) {
    public Retired {
      if (id.isBlank() || id.contains(" ") || check.isBlank()) {
        throw new IllegalArgumentException("a retired key needs an id and a check value");
      }
    }
  }

  public RootKeyPin(Mode mode, @Nullable String id, @Nullable String check) {
    this(mode, id, check, List.of());
  }

  public RootKeyPin {
    retired = List.copyOf(retired);
    if (!retired.isEmpty() && id == null) {
      throw new IllegalArgumentException("retired keys without a current key");
    }
    if (mode == null) {
      throw new IllegalArgumentException("mode is required");
    }
    if ((id == null) != (check == null)) {
      throw new IllegalArgumentException("id and check come together");
    }
  }

  /** A pin that knows only the mode (a sealed key not yet created). */
  public static RootKeyPin of(Mode mode) {
    return new RootKeyPin(mode, null, null);
  }

  /** A pin for a usable key: its mode, its id and a fresh check value. */
  public static RootKeyPin of(Mode mode, RootKey key) throws GeneralSecurityException {
    byte[] check = key.wrap(new byte[32], CHECK_CONTEXT);
    return new RootKeyPin(mode, key.id(), Base64.getEncoder().encodeToString(check));
  }

  /**
   * The pin after a rotation to {@code next}: it names {@code next} (with a fresh check value) and
   * adds the key it named so far to the retired ones.
   */
  public RootKeyPin rotatedTo(RootKey next) throws GeneralSecurityException {
    if (id == null || check == null) {
      throw new IllegalStateException("no root key is recorded yet: there is nothing to rotate");
    }
    List<Retired> more = new ArrayList<>(retired);
    more.add(new Retired(id, check));
    RootKeyPin fresh = of(mode, next);
    return new RootKeyPin(mode, fresh.id(), fresh.check(), more);
  }

  /** The pin once nothing refers to the retired keys any more: the current key alone. */
  public RootKeyPin withoutRetired() {
    return new RootKeyPin(mode, id, check, List.of());
  }

  /** The ids of the retired keys, oldest first. */
  public List<String> retiredIds() {
    return retired.stream().map(Retired::id).toList();
  }

  /**
   * Refuses {@code key} unless it is the retired key {@code retiredId} of this pin (same id, its
   * check value opens).
   */
  public void requireRetired(String retiredId, RootKey key) {
    Retired r =
        retired.stream()
            .filter(x -> x.id().equals(retiredId))
            .findFirst()
            .orElseThrow(
                () ->
                    new MismatchException(
                        retiredId + " is not a retired root key of this data directory"));
    if (!r.id().equals(key.id())) {
      throw new MismatchException(
          "the retired root key file holds "
              + key.id()
              + ", but the pin lists "
              + r.id()
              + "; restore its own file. Nothing was started.");
    }
    try {
      key.unwrap(Base64.getDecoder().decode(r.check()), CHECK_CONTEXT);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new MismatchException(
          "the retired root key "
              + r.id()
              + " has the pinned id but other key material (its check value does not open)."
              + " Nothing was started.");
    }
  }

  /** Whether the key's identity is recorded yet. */
  public boolean knowsKey() {
    return id != null;
  }

  /** The pin of {@code keysDir}, if the directory has one. */
  public static Optional<RootKeyPin> read(Path keysDir) throws IOException {
    Path file = keysDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    String format = p.getProperty("format");
    if (!"1".equals(format) && !"2".equals(format)) {
      throw new IllegalStateException(file + ": unknown format '" + format + "'");
    }
    try {
      List<Retired> retired = new ArrayList<>();
      for (int n = 1; p.getProperty("retired." + n + ".id") != null; n++) {
        String retiredCheck = p.getProperty("retired." + n + ".check");
        if (retiredCheck == null) {
          throw new IllegalArgumentException("retired." + n + ".check is missing");
        }
        retired.add(new Retired(p.getProperty("retired." + n + ".id"), retiredCheck));
      }
      return Optional.of(
          new RootKeyPin(
              Mode.of(p.getProperty("mode")),
              p.getProperty("id"),
              p.getProperty("check"),
              retired));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  /**
   * What an existing data directory made before pins existed was created with, judged from the key
   * files it holds; empty when nothing was ever wrapped in it (a new directory, or a sealed one
   * never unsealed), so any mode may start it.
   */
  public static Optional<Mode> inferLegacy(Path keysDir) throws IOException {
    if (Files.exists(keysDir.resolve("sealed-root.key"))) {
      return Optional.of(Mode.SEALED);
    }
    if (Files.exists(keysDir.resolve("dev-root.key"))) {
      return Optional.of(Mode.FILE);
    }
    if (Files.isDirectory(keysDir)) {
      try (var files = Files.list(keysDir)) {
        // Wrapped material (sealed credentials, the signing key) without a key file: only an HSM
        // leaves no key file behind.
        if (files.anyMatch(f -> !f.getFileName().toString().endsWith(".tmp"))) {
          return Optional.of(Mode.HSM);
        }
      }
    }
    return Optional.empty();
  }

  /** Writes the pin into {@code keysDir} (atomically, fsynced, owner-only). */
  public void write(Path keysDir) throws IOException {
    StringBuilder text = new StringBuilder();
    text.append(
        "# Coffre: how this data directory's root key is kept. Do not edit; see docs/on-disk-format.md.\n");
    text.append("format=")
        .append(retired.isEmpty() ? 1 : 2)
        .append('\n')
        .append("mode=")
        .append(mode.id())
        .append('\n');
    if (id != null) {
      text.append("id=").append(id).append('\n').append("check=").append(check).append('\n');
    }
    for (int n = 1; n <= retired.size(); n++) {
      Retired r = retired.get(n - 1);
      text.append("retired.").append(n).append(".id=").append(r.id()).append('\n');
      text.append("retired.").append(n).append(".check=").append(r.check()).append('\n');
    }
    Files.createDirectories(keysDir);
    Path tmp = keysDir.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        tmp, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Files.move(tmp, keysDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    try (var dir = FileChannel.open(keysDir, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /**
   * Refuses a start configured for {@code configured} when the directory was created with another
   * mode, naming the mode expected and how to start with it.
   */
  public void requireMode(Mode configured, Path dataDir) {
    if (configured != mode) {
      throw new MismatchException(
          "the data directory "
              + dataDir
              + " was created with "
              + mode.description()
              + (id == null ? "" : " (" + id + ")")
              + ", but this start is configured for "
              + configured.description()
              + ". Starting would write new data under another root key, unreadable with the directory's own; to start"
              + " it, "
              + mode.howToStart
              + ". Nothing was started.");
    }
  }

  /**
   * Refuses {@code key} unless it is the key this pin was made with (same id, check value opens).
   */
  public void requireKey(RootKey key) {
    if (id == null) {
      return;
    }
    if (!id.equals(key.id())) {
      throw new MismatchException(
          "the root key "
              + key.id()
              + " is not this data directory's root key ("
              + id
              + "); objects, credentials and audit signatures were made under "
              + id
              + ". Nothing was started.");
    }
    try {
      key.unwrap(Base64.getDecoder().decode(check), CHECK_CONTEXT);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new MismatchException(
          "the root key "
              + key.id()
              + " has this data directory's key id but other key"
              + " material (its check value does not open): it was replaced or recreated. Nothing was started.");
    }
  }
}
