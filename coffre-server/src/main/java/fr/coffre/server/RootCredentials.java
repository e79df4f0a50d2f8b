package fr.coffre.server;

import fr.coffre.crypto.RootKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The root access key and secret: from the environment when set, otherwise generated once into the
 * owner-only file {@code DATA/root-credentials} — a hand-off to the operator, who may delete it.
 * The server itself keeps the secret only encrypted under the root key ({@code
 * DATA/keys/root-credentials.sealed}) and reads it from there. The secret is never logged.
 */
public record RootCredentials(String accessKey, Supplier<String> secret, Path file) {
  public static final String FILE_NAME = "root-credentials";
  static final String SEALED_NAME = "root-credentials.sealed";
  private static final String SEALED_MAGIC = "coffre-sealed-secret-v1";

  public String secretKey() {
    return secret.get();
  }

  /**
   * The credentials of a server whose root key is {@code root}: the environment's, else the sealed
   * copy in {@code keysDir}, else the hand-off file (sealed on first use, when the root key can
   * wrap).
   */
  static RootCredentials resolve(ServerConfig config, RootKey root, Path keysDir) {
    if (config.rootAccessKey() != null) {
      String s = config.rootSecretKey();
      return new RootCredentials(config.rootAccessKey(), () -> s, null);
    }
    Path sealed = keysDir.resolve(SEALED_NAME);
    try {
      if (Files.exists(sealed)) {
        List<String> lines = Files.readAllLines(sealed, StandardCharsets.US_ASCII);
        if (lines.size() != 3 || !lines.get(0).equals(SEALED_MAGIC)) {
          throw new IllegalStateException(sealed + " is not a sealed secret");
        }
        String accessKey = lines.get(1);
        byte[] wrapped = Base64.getDecoder().decode(lines.get(2));
        Path handoff = config.dataDir().resolve(FILE_NAME);
        return new RootCredentials(
            accessKey,
            memoize(() -> open(root, accessKey, wrapped)),
            Files.exists(handoff) ? handoff : null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sealed, e);
    }
    RootCredentials plain = resolve(config);
    String secret = plain.secretKey();
    return new RootCredentials(
        plain.accessKey(),
        memoize(
            () -> {
              seal(sealed, root, plain.accessKey(), secret);
              return secret;
            }),
        plain.file());
  }

  /**
   * Re-wraps the sealed root credentials under the ring's current key (a root key rotation);
   * returns whether the file was rewritten (false when absent or already under the current key).
   */
  static boolean rewrap(Path keysDir, fr.coffre.crypto.RootKeyRing ring)
      throws IOException, GeneralSecurityException {
    Path sealed = keysDir.resolve(SEALED_NAME);
    if (!Files.exists(sealed)) {
      return false;
    }
    List<String> lines = Files.readAllLines(sealed, StandardCharsets.US_ASCII);
    if (lines.size() != 3 || !lines.get(0).equals(SEALED_MAGIC)) {
      throw new IllegalStateException(sealed + " is not a sealed secret");
    }
    String accessKey = lines.get(1);
    byte[] wrapped = ring.rewrap(Base64.getDecoder().decode(lines.get(2)), context(accessKey));
    if (wrapped == null) {
      return false;
    }
    write(sealed, accessKey, wrapped);
    return true;
  }

  private static String open(RootKey root, String accessKey, byte[] wrapped) {
    try {
      return new String(root.unwrap(wrapped, context(accessKey)), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the sealed root credentials do not open with this root key", e);
    }
  }

  private static void seal(Path sealed, RootKey root, String accessKey, String secret) {
    try {
      write(
          sealed,
          accessKey,
          root.wrap(secret.getBytes(StandardCharsets.UTF_8), context(accessKey)));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot seal the root credentials under the root key", e);
    }
  }

  private static void write(Path sealed, String accessKey, byte[] wrapped) throws IOException {
    Path tmp = sealed.resolveSibling(SEALED_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        tmp,
        SEALED_MAGIC + "\n" + accessKey + "\n" + Base64.getEncoder().encodeToString(wrapped) + "\n",
        StandardCharsets.US_ASCII,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(tmp, sealed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] context(String accessKey) {
    return ("coffre root secret v1|" + accessKey).getBytes(StandardCharsets.UTF_8);
  }

  private static Supplier<String> memoize(Supplier<String> s) {
    return new Supplier<>() {
      private String value;

      @Override
      public synchronized String get() {
        if (value == null) {
          value = s.get();
        }
        return value;
      }
    };
  }

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  static RootCredentials resolve(ServerConfig config) {
    if (config.rootAccessKey() != null) {
      String s = config.rootSecretKey();
      return new RootCredentials(config.rootAccessKey(), () -> s, null);
    }
    Path file = config.dataDir().resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        generate(file);
      }
      Properties p = new Properties();
      try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      }
      String ak = p.getProperty("access_key");
      String sk = p.getProperty("secret_key");
      if (ak == null || sk == null) {
        throw new IllegalStateException(file + " lacks access_key or secret_key");
      }
      return new RootCredentials(ak, () -> sk, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void generate(Path file) throws IOException {
    SecureRandom random = new SecureRandom();
    String accessKey = random(random, ALPHABET, 20);
    String secretKey = random(random, SECRET_ALPHABET, 40);
    String content = content(accessKey, secretKey);
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        tmp, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The hand-off file: {@code access_key}/{@code secret_key} lines (what the server reads, as
   * properties) and the same keys as {@code export AWS_...} lines, so that {@code . FILE} in a
   * shell sets them for aws-cli and the SDKs. Both alphabets are letters and digits: nothing to
   * quote.
   */
  static String content(String accessKey, String secretKey) {
    return "# Coffre root credentials, generated on first start. Keep this file private.\n"
        + "# In a shell, '. THIS-FILE' sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.\n"
        + "access_key="
        + accessKey
        + "\nsecret_key="
        + secretKey
        + "\nexport AWS_ACCESS_KEY_ID="
        + accessKey
        + "\nexport AWS_SECRET_ACCESS_KEY="
        + secretKey
        + "\n";
  }

  private static String random(SecureRandom random, String alphabet, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "RootCredentials[" + accessKey + "]";
  }
}
