package fr.coffre.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/** How {@code coffre admin} reaches a running server: its admin URL and the operator's token. */
final class AdminConnection {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "The server's admin API (env COFFRE_ADMIN_URL; default http://127.0.0.1:7072).")
  String url;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the admin token (default: env COFFRE_ADMIN_TOKEN, else DATA/admin-token).")
  Path tokenFile;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "The server's data directory, to read DATA/admin-token (env COFFRE_DATA).")
  Path data;

  @Option(
      names = "--ca-cert",
      paramLabel = "PEM",
      description = "Trust this CA or self-signed certificate for an HTTPS admin URL.")
  Path caCert;

  /** The server's answer: status and body. */
  record Reply(int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  Reply call(String method, String path, String json) throws IOException, InterruptedException {
    String base = url != null ? url : env("COFFRE_ADMIN_URL", "http://127.0.0.1:7072");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + "/admin/v1/" + path))
            .timeout(Duration.ofMinutes(10))
            .header("Authorization", "Bearer " + token())
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (caCert != null) {
      client.sslContext(trusting(caCert));
    }
    HttpResponse<String> response =
        client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }

  private String token() throws IOException {
    if (tokenFile != null) {
      return Files.readString(tokenFile).strip();
    }
    String env = System.getenv("COFFRE_ADMIN_TOKEN");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    Path dir =
        data != null
            ? data
            : Path.of(env("COFFRE_DATA", System.getProperty("user.home") + "/.local/share/coffre"));
    Path file = dir.resolve("admin-token");
    if (!Files.isReadable(file)) {
      throw new IOException(
          "no admin token: set COFFRE_ADMIN_TOKEN, or give --token-file or --data (cannot read "
              + file
              + ")");
    }
    return Files.readString(file).strip();
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? dflt : v;
  }

  private static SSLContext trusting(Path pem) throws IOException {
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
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(
          "cannot use " + pem + " as a trusted certificate: " + e.getMessage(), e);
    }
  }
}
