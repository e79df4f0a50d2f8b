package fr.coffre.crypto;

import fr.coffre.core.SealedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.jspecify.annotations.Nullable;

/**
 * A root key kept on disk only sealed under a passphrase: the passphrase derives a key-encryption
 * key with Argon2id (memory-hard, RFC 9106), which opens the 256-bit root key with AES-GCM. Until
 * {@link #unseal} succeeds every wrap and unwrap throws {@link SealedException}, so the server
 * serves nothing it would need the key for. The file is made once, by an explicit {@link #create}
 * that refuses weak passphrases; an unseal never creates it.
 *
 * <p>File: magic {@code COFFRES1}, then (big-endian) Argon2 memory KiB (int), iterations (int),
 * parallelism (int), 16-byte salt, key id (UTF), then the key sealed with AES-GCM in the
 * wrapped-key layout (version byte, 12-byte nonce, ciphertext and tag); the bytes before the nonce
 * are the GCM associated data, so parameters cannot be weakened undetected.
 */
public final class SealedRootKey implements RootKey {
  private static final byte[] MAGIC = "COFFRES1".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Argon2id cost; RFC 9106's second recommended setting (64 MiB, 3 passes, 4 lanes). */
  public record Cost(int memoryKib, int iterations, int parallelism) {
    public static final Cost DEFAULT = new Cost(64 * 1024, 3, 4);
  }

  private final Path file;
  private final Cost cost;
  private volatile @Nullable SecretKeySpec key;
  private volatile @Nullable String id;

  private SealedRootKey(Path file, Cost cost) {
    this.file = file;
    this.cost = cost;
  }

  /**
   * A sealed key backed by {@code file} (which may not exist yet); sealed until {@link #unseal}.
   */
  public static SealedRootKey at(Path file, Cost cost) {
    return new SealedRootKey(file, cost);
  }

  public boolean isSealed() {
    return key == null;
  }

  /** Whether the sealed key file exists (false until {@link #create}). */
  public boolean exists() {
    return Files.exists(file);
  }

  /**
   * The id stored in the sealed file's header, readable without the passphrase (empty when the file
   * does not exist). The header is authenticated: a forged id fails at unseal.
   */
  public Optional<String> storedId() throws IOException {
    if (!exists()) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + " is not a sealed Coffre root key");
      }
      in.readInt();
      in.readInt();
      in.readInt();
      in.readNBytes(16);
      return Optional.of(in.readUTF());
    }
  }

  /** Checks a key before it is published by {@link #unseal}: throws to keep the server sealed. */
  @FunctionalInterface
  public interface Admission {
    void check(RootKey opened) throws GeneralSecurityException;
  }

  /**
   * Opens the root key with {@code passphrase}. The sealed file must exist (see {@link #create}).
   * When already unsealed, the passphrase is still checked, and a wrong one refused.
   *
   * @throws GeneralSecurityException when the passphrase is wrong, the file was altered, or {@code
   *     admission} refuses the key
   */
  public synchronized void unseal(char[] passphrase, Admission admission)
      throws GeneralSecurityException, IOException {
    if (passphrase.length == 0) {
      throw new GeneralSecurityException("empty passphrase");
    }
    if (!exists()) {
      throw new GeneralSecurityException("no sealed root key yet (" + file + "); create it first");
    }
    Opened opened = open(passphrase);
    if (!isSealed()) {
      if (!opened.id().equals(id)) {
        throw new GeneralSecurityException("the sealed file changed since it was unsealed");
      }
      return; // the passphrase is right; already serving
    }
    admission.check(opened.view());
    this.id = opened.id();
    this.key = opened.key();
  }

  /** {@link #unseal(char[], Admission)} admitting any key the passphrase opens. */
  public void unseal(char[] passphrase) throws GeneralSecurityException, IOException {
    unseal(passphrase, k -> {});
  }

  private record Opened(String id, SecretKeySpec key) {
    RootKey view() {
      return new RootKey() {
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
      };
    }
  }

  private Opened open(char[] passphrase) throws GeneralSecurityException, IOException {
    byte[] all = Files.readAllBytes(file);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new GeneralSecurityException(file + " is not a sealed Coffre root key");
      }
      Cost stored = new Cost(in.readInt(), in.readInt(), in.readInt());
      byte[] salt = in.readNBytes(16);
      String storedId = in.readUTF();
      int aadLength = all.length - in.available();
      byte[] sealed = in.readAllBytes();
      if (stored.memoryKib() < 8
          || stored.memoryKib() > 4 * 1024 * 1024
          || stored.iterations() < 1
          || stored.iterations() > 100
          || stored.parallelism() < 1
          || stored.parallelism() > 64) {
        throw new GeneralSecurityException(
            file + ": Argon2 parameters out of range (file altered?)");
      }
      byte[] kek;
      try {
        kek = derive(passphrase, salt, stored);
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException(file + ": Argon2 parameters refused (file altered?)", e);
      }
      try {
        byte[] material =
            Gcm.open(new SecretKeySpec(kek, "AES"), sealed, Arrays.copyOf(all, aadLength));
        SecretKeySpec spec = new SecretKeySpec(material, "AES");
        Arrays.fill(material, (byte) 0);
        return new Opened(storedId, spec);
      } finally {
        Arrays.fill(kek, (byte) 0);
      }
    }
  }

  /**
   * Creates the sealed key file under {@code passphrase}, which must have at least {@value
   * #MIN_PASSPHRASE_LENGTH} characters and not be one character repeated.
   *
   * @throws IllegalStateException when the file already exists
   * @throws IllegalArgumentException when the passphrase is too weak (the message says why)
   */
  public synchronized void create(char[] passphrase) throws IOException, GeneralSecurityException {
    checkStrength(passphrase);
    if (exists()) {
      throw new IllegalStateException(file + " already exists: a sealed root key is created once");
    }
    byte[] material = new byte[KEY_BYTES];
    RANDOM.nextBytes(material);
    try {
      createFile(material, passphrase);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /**
   * Creates the sealed key file holding the given key {@code material} (a recovered root key),
   * sealed under a new {@code passphrase} checked as by {@link #create}. Its id is the one the key
   * had: it depends on the material only.
   *
   * @throws IllegalStateException when the file already exists (a key file is never replaced)
   */
  public synchronized void createFrom(byte[] material, char[] passphrase)
      throws IOException, GeneralSecurityException {
    if (material.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a root key has " + KEY_BYTES + " bytes, not " + material.length);
    }
    checkStrength(passphrase);
    if (exists()) {
      throw new IllegalStateException(
          file + " already exists: a sealed root key is never replaced");
    }
    createFile(material, passphrase);
  }

  /**
   * The key's 32 bytes, opened with {@code passphrase}, for the escrow that splits a recovery copy;
   * the caller wipes them after use. Works whether or not this instance is unsealed.
   *
   * @throws GeneralSecurityException when the passphrase is wrong or the file was altered
   */
  public byte[] exportMaterial(char[] passphrase) throws GeneralSecurityException, IOException {
    if (!exists()) {
      throw new GeneralSecurityException("no sealed root key (" + file + ")");
    }
    Opened opened = open(passphrase);
    byte[] material = opened.key().getEncoded();
    if (!idOf(material).equals(opened.id())) {
      Arrays.fill(material, (byte) 0);
      throw new GeneralSecurityException(file + ": the key does not match its stored id");
    }
    return material;
  }

  /** A usable view of the sealed key made of {@code material}, with the id it has when sealed. */
  public static RootKey of(byte[] material) throws GeneralSecurityException {
    if (material.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a root key has " + KEY_BYTES + " bytes, not " + material.length);
    }
    return new Opened(idOf(material), new SecretKeySpec(material, "AES")).view();
  }

  private static String idOf(byte[] material) throws GeneralSecurityException {
    byte[] fp = MessageDigest.getInstance("SHA-256").digest(material);
    return "sealed:" + HexFormat.of().formatHex(fp, 0, 8);
  }

  /** The shortest passphrase accepted when a sealed key is created. */
  public static final int MIN_PASSPHRASE_LENGTH = 12;

  /** Refuses a passphrase too weak to seal a root key, saying why. */
  public static void checkStrength(char[] passphrase) {
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new IllegalArgumentException(
          "a root key passphrase needs at least "
              + MIN_PASSPHRASE_LENGTH
              + " characters (got "
              + passphrase.length
              + "); a few words make a good one");
    }
    long distinct = CharBuffer.wrap(passphrase).chars().distinct().count();
    if (distinct < 5) {
      throw new IllegalArgumentException(
          "a root key passphrase needs at least 5 different characters");
    }
  }

  private void createFile(byte[] material, char[] passphrase)
      throws IOException, GeneralSecurityException {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(header)) {
      out.write(MAGIC);
      out.writeInt(cost.memoryKib());
      out.writeInt(cost.iterations());
      out.writeInt(cost.parallelism());
      out.write(salt);
      out.writeUTF(idOf(material));
    }
    byte[] aad = header.toByteArray();
    byte[] kek = derive(passphrase, salt, cost);
    byte[] sealed = Gcm.seal(new SecretKeySpec(kek, "AES"), material, aad);
    Arrays.fill(kek, (byte) 0);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    byte[] all = ByteBuffer.allocate(aad.length + sealed.length).put(aad).put(sealed).array();
    Files.write(tmp, all, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] derive(char[] passphrase, byte[] salt, Cost cost) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] secret = Arrays.copyOf(encoded.array(), encoded.limit());
    Arrays.fill(encoded.array(), (byte) 0);
    Argon2BytesGenerator argon = new Argon2BytesGenerator();
    argon.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(cost.memoryKib())
            .withIterations(cost.iterations())
            .withParallelism(cost.parallelism())
            .withSalt(salt)
            .build());
    byte[] kek = new byte[KEY_BYTES];
    argon.generateBytes(secret, kek);
    Arrays.fill(secret, (byte) 0);
    return kek;
  }

  @Override
  public String id() {
    String current = id;
    if (current == null) {
      throw new SealedException();
    }
    return current;
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] context) throws GeneralSecurityException {
    SecretKeySpec k = key;
    if (k == null) {
      throw new SealedException();
    }
    return Gcm.seal(k, dataKey, context);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException {
    SecretKeySpec k = key;
    if (k == null) {
      throw new SealedException();
    }
    return Gcm.open(k, wrapped, context);
  }

  @Override
  public String toString() {
    return "SealedRootKey[" + (isSealed() ? "sealed" : id) + "]";
  }
}
