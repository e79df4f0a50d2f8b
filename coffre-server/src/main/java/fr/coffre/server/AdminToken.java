package fr.coffre.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The operator's bearer token for the admin API: COFFRE_ADMIN_TOKEN when set, otherwise 256 random
 * bits generated once into the owner-only file {@code DATA/admin-token}.
 */
final class AdminToken {
  static final String FILE_NAME = "admin-token";

  private AdminToken() {}

  static String resolve(ServerConfig config) {
    if (config.adminToken() != null) {
      return config.adminToken();
    }
    Path file = config.dataDir().toAbsolutePath().resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
            tmp,
            Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n",
            StandardCharsets.US_ASCII,
            StandardOpenOption.WRITE,
            StandardOpenOption.SYNC);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
          Files.deleteIfExists(tmp);
        }
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (token.length() < 16) {
        throw new IllegalStateException(
            file + " holds no usable admin token (at least 16 characters)");
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
