package fr.coffre.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/**
 * How {@code coffre admin} reaches a running server: its admin URL, the certificate it trusts, the
 * operator's token ({@link AdminTarget} reads them from the server's own sources), and how the
 * answer is printed.
 */
final class AdminConnection {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The server's admin API (env COFFRE_ADMIN_URL; default: from the server's configuration,"
              + " else http://127.0.0.1:7072).")
  String url;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The server's configuration file (env COFFRE_CONFIG): its admin address, TLS certificate"
              + " and data directory are used.")
  Path config;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the admin token (default: env COFFRE_ADMIN_TOKEN, else DATA/admin-token).")
  Path tokenFile;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "The server's data directory, to read DATA/admin-token (env COFFRE_DATA; default: the"
              + " configuration's, else ~/.local/share/coffre, else /var/lib/coffre when present).")
  Path data;

  @Option(
      names = "--ca-cert",
      paramLabel = "PEM",
      description =
          "Trust this CA or self-signed certificate for HTTPS (default: the server's tls.cert).")
  Path caCert;

  @Option(
      names = "--json",
      description = "Print the server's JSON answer as is (default: tables and lines for people).")
  boolean json;

  /** The server's answer: status and body. */
  record Reply(int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  AdminTarget target() {
    return AdminTarget.resolve(
        new AdminTarget.Flags(url, config, data, caCert),
        System.getenv(),
        Path.of(System.getProperty("user.home")));
  }

  Reply call(String method, String path, String body) throws IOException, InterruptedException {
    return call(method, path, body, true);
  }

  /** A call without credentials ({@code login}). */
  Reply callAnonymous(String method, String path, String body)
      throws IOException, InterruptedException {
    return call(method, path, body, false);
  }

  /**
   * Where {@code coffre admin login} keeps the operator's session: one line, the server's admin URL
   * and the session token, so it is only ever sent to that server.
   */
  static Path sessionFile() {
    return Path.of(System.getProperty("user.home"), ".config", "coffre", "admin-session");
  }

  /** Keeps a session for the server this connection reaches (owner-only file). */
  void keepSession(String token) throws IOException {
    Path file = sessionFile();
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("admin-session.tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, target().url() + " " + token + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The kept session for {@code url}, if {@code coffre admin login} left one. */
  static String session(URI url) {
    String env = System.getenv("COFFRE_ADMIN_SESSION");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      String[] line = Files.readString(sessionFile(), StandardCharsets.UTF_8).strip().split(" ");
      return line.length == 2 && line[0].equals(url.toString()) ? line[1] : null;
    } catch (IOException e) {
      return null;
    }
  }

  private Reply call(String method, String path, String body, boolean authenticated)
      throws IOException, InterruptedException {
    AdminTarget target;
    try {
      target = target();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target.url() + "/admin/v1/" + path))
            .timeout(Duration.ofMinutes(10))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authenticated) {
      String session = tokenFile == null ? session(target.url()) : null;
      request.header(
          "Authorization", "Bearer " + (session != null ? session : token(target.data())));
    }
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (target.trust() != null && "https".equals(target.url().getScheme())) {
      client.sslContext(trusting(target.trust(), target.trustSource()));
    }
    try {
      HttpResponse<String> response =
          client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new IOException(explain(e, target), e);
    }
  }

  /** What went wrong reaching the server, said for the operator (never a bare Java exception). */
  static String explain(IOException e, AdminTarget target) {
    String where = target.url() + " (from " + target.urlSource() + ")";
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof ConnectException) {
        return "nothing answers at "
            + where
            + ": is the server running, with its admin API there? Give the server's --config"
            + " FILE or --data DIR, or --url.";
      }
      if (m.contains("PKIX") || t instanceof CertPathValidatorException) {
        return "the admin API at "
            + where
            + " presents a certificate this machine does not trust"
            + (target.trust() == null
                ? ". Give its certificate or CA with --ca-cert PEM, or the server's --config FILE"
                    + " so that its tls.cert is trusted."
                : " (trusting "
                    + target.trust()
                    + " from "
                    + target.trustSource()
                    + "). Give the CA that signed it with --ca-cert PEM.");
      }
      if (m.contains("No subject alternative") || m.contains("No name matching")) {
        return "the certificate of "
            + where
            + " does not name "
            + target.url().getHost()
            + "; reach it by a name the certificate holds (--url https://NAME:PORT).";
      }
      if (t instanceof SSLException) {
        return "TLS with " + where + " failed: " + m;
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer from " + where + " in time";
      }
    }
    return "cannot reach " + where + ": " + e.getMessage();
  }

  private String token(Path dir) throws IOException {
    if (tokenFile != null) {
      return Files.readString(tokenFile).strip();
    }
    String env = System.getenv("COFFRE_ADMIN_TOKEN");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    Path file = dir.resolve("admin-token");
    if (!Files.isReadable(file)) {
      throw new IOException(
          "no admin token: cannot read "
              + file
              + (Files.exists(file) || (Files.exists(dir) && !Files.isReadable(dir))
                  ? " (run as the server's user, e.g. sudo -u coffre coffre admin ...)"
                  : "")
              + "; set COFFRE_ADMIN_TOKEN, or give --token-file, or the server's --data DIR or"
              + " --config FILE");
    }
    return Files.readString(file).strip();
  }

  private static SSLContext trusting(Path pem, String source) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new IOException(
          "cannot read the certificate to trust, " + pem + " (from " + source + ")", e);
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot use "
              + pem
              + " (from "
              + source
              + ") as a trusted certificate: "
              + e.getMessage(),
          e);
    }
  }
}
