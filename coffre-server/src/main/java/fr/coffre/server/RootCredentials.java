package fr.coffre.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The root access key and secret: from the environment when set, otherwise generated once and
 * kept in an owner-only file in the data directory. The secret is never logged.
 */
public record RootCredentials(String accessKey, String secretKey, Path file) {
  public static final String FILE_NAME = "root-credentials";
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  static RootCredentials resolve(ServerConfig config) {
    if (config.rootAccessKey() != null) {
      return new RootCredentials(config.rootAccessKey(), config.rootSecretKey(), null);
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
      return new RootCredentials(ak, sk, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void generate(Path file) throws IOException {
    SecureRandom random = new SecureRandom();
    String content =
        "# Coffre root credentials, generated on first start. Keep this file private.\n"
            + "access_key="
            + random(random, ALPHABET, 20)
            + "\nsecret_key="
            + random(random, SECRET_ALPHABET, 40)
            + "\n";
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    try {
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
    }
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
