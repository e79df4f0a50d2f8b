package fr.coffre.server;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running server's admin API answers, left in its data directory ({@code
 * DATA/admin.endpoint}) at each start, so that {@code coffre admin --data DIR} reaches the server
 * of that directory whatever flags or environment it was started with: its URL (the port it really
 * bound) and the certificate it presents. Nothing secret: the token stays in {@code
 * DATA/admin-token}.
 *
 * @param url the admin API's base URL, e.g. {@code https://127.0.0.1:7072}
 * @param tlsCert the certificate chain the listener presents (to trust it), or null without TLS
 */
public record AdminEndpoint(URI url, Path tlsCert) {
  public static final String FILE_NAME = "admin.endpoint";

  /** Writes the file atomically. */
  void write(Path dataDir) {
    Properties p = new Properties();
    p.setProperty("url", url.toString());
    if (tlsCert != null) {
      p.setProperty("tls-cert", tlsCert.toAbsolutePath().toString());
    }
    Path file = dataDir.resolve(FILE_NAME);
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(
            w,
            "where this server's admin API answers (written at each start; coffre admin reads it)");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The endpoint a server left in {@code dataDir}, if any and readable. */
  public static Optional<AdminEndpoint> read(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      String url = p.getProperty("url");
      String cert = p.getProperty("tls-cert");
      return url == null
          ? Optional.empty()
          : Optional.of(new AdminEndpoint(URI.create(url), cert == null ? null : Path.of(cert)));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
