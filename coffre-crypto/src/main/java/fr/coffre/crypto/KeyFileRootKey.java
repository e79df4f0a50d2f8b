package fr.coffre.crypto;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Development-mode root key: 32 random bytes in an owner-only file. Whoever reads the file can
 * decrypt every object, so the server announces this mode loudly; production uses an HSM or a
 * passphrase-sealed key.
 */
public final class KeyFileRootKey implements RootKey {
  private static final int KEY_BYTES = 32;

  private final String id;
  private final SecretKeySpec key;

  private KeyFileRootKey(byte[] material) throws GeneralSecurityException {
    this.key = new SecretKeySpec(material, "AES");
    byte[] fp =
        MessageDigest.getInstance("SHA-256")
            .digest(
                concat(
                    "coffre root key fingerprint v1".getBytes(StandardCharsets.US_ASCII),
                    material));
    this.id = "file:" + HexFormat.of().formatHex(fp, 0, 8);
  }

  /** Loads the key file, creating it (atomically, mode 0600) when absent. */
  public static KeyFileRootKey openOrCreate(Path file)
      throws IOException, GeneralSecurityException {
    if (!Files.exists(file)) {
      create(file);
    }
    byte[] material = readMaterial(file);
    try {
      return new KeyFileRootKey(material);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /**
   * The key's 32 bytes, read from an existing owner-only key file. Only the escrow reads them, to
   * split a recovery copy; the caller wipes them after use.
   *
   * @throws IllegalStateException when the file is readable by others or has the wrong length
   */
  public static byte[] readMaterial(Path file) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    for (PosixFilePermission p : perms) {
      if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
        throw new IllegalStateException(
            "root key file "
                + file
                + " has permissions "
                + PosixFilePermissions.toString(perms)
                + "; it must be readable by its owner only (chmod 600)");
      }
    }
    byte[] material = Files.readAllBytes(file);
    if (material.length != KEY_BYTES) {
      Arrays.fill(material, (byte) 0);
      throw new IllegalStateException(
          "root key file " + file + " holds " + material.length + " bytes, expected " + KEY_BYTES);
    }
    return material;
  }

  /** The key made of {@code material} (32 bytes), e.g. to check a reconstruction's id. */
  public static KeyFileRootKey of(byte[] material) throws GeneralSecurityException {
    if (material.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a root key has " + KEY_BYTES + " bytes, not " + material.length);
    }
    return new KeyFileRootKey(material);
  }

  /**
   * Writes {@code material} as a new key file (temporary file mode 0600, fsync, atomic rename,
   * fsync of the directory), for a recovery. Never replaces a key file.
   *
   * @throws FileAlreadyExistsException when {@code file} exists
   */
  public static void install(Path file, byte[] material) throws IOException {
    if (material.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a root key has " + KEY_BYTES + " bytes, not " + material.length);
    }
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, material, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] material = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(material);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, material, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] context) throws GeneralSecurityException {
    return Gcm.seal(key, dataKey, context);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException {
    return Gcm.open(key, wrapped, context);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Override
  public String toString() {
    return "KeyFileRootKey[" + id + "]";
  }
}
