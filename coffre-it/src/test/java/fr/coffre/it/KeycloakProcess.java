package fr.coffre.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Keycloak, a real OpenID Connect provider, in a process of its own: Maven Central's distribution
 * ({@code org.keycloak:keycloak-quarkus-dist}, unpacked by coffre-it's pom), in development mode on
 * a loopback port with an in-memory database, and the realm {@code mairie} of {@code
 * keycloak/mairie-realm.json} imported at start: the confidential client {@code coffre-console}
 * (PKCE S256 required, signed userinfo), the users {@code agent1} (group {@code agents}), {@code
 * admin1} (group {@code coffre-admins}) and {@code stranger}, each with a {@code siret} attribute
 * that mappers put in the tokens and the userinfo with a {@code groups} claim.
 *
 * <p>Starting takes 20 to 60 s on a loaded machine: start one per test class.
 */
final class KeycloakProcess implements AutoCloseable {
  static final String REALM = "mairie";
  static final String CLIENT_ID = "coffre-console";
  static final String CLIENT_SECRET = "coffre-console-test-secret";

  private final Process process;
  private final int port;
  private final Path log;

  private KeycloakProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static KeycloakProcess start() throws IOException, InterruptedException {
    Path home = Path.of(System.getProperty("coffre.it.keycloak", "target/keycloak/keycloak"));
    if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      throw new IllegalStateException(home + " has no bin/kc.sh: run the ITs through mvn verify");
    }
    Path work = Path.of(System.getProperty("coffre.it.workdir", "target/it-work"));
    Path dir = work.resolve("keycloak-" + UUID.randomUUID());
    // --import-realm reads the distribution's data/import; the realm is the same for every test.
    Path imports = home.resolve("data/import");
    Files.createDirectories(imports);
    Files.createDirectories(dir);
    try (var in = KeycloakProcess.class.getResourceAsStream("/keycloak/mairie-realm.json")) {
      if (in == null) {
        throw new IllegalStateException("keycloak/mairie-realm.json is not on the classpath");
      }
      Files.copy(in, imports.resolve("mairie-realm.json"), StandardCopyOption.REPLACE_EXISTING);
    }
    int port = Ports.free();
    int managementPort = Ports.free();
    Path log = dir.resolve("keycloak.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/kc.sh").toString());
    cmd.add("start-dev");
    cmd.add("--http-host=127.0.0.1");
    cmd.add("--http-port=" + port);
    cmd.add("--http-management-port=" + managementPort);
    cmd.add("--db=dev-mem");
    cmd.add("--cache=local");
    cmd.add("--import-realm");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    String javaHome =
        ProcessHandle.current()
            .info()
            .command()
            .map(Path::of)
            .map(p -> p.getParent().getParent().toString())
            .orElse(System.getProperty("java.home"));
    env.put("JAVA_HOME", javaHome);
    env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    env.put("KC_LOG_LEVEL", "info");
    Process p = pb.start();
    KeycloakProcess kc = new KeycloakProcess(p, port, log);
    kc.awaitReady(Duration.ofSeconds(300));
    return kc;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited: " + tail());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    close();
    throw new IllegalStateException("Keycloak did not start in " + timeout + ": " + tail());
  }

  /**
   * Tokens for a user straight from the token endpoint (the resource-owner password grant, which
   * the test realm's client allows): {@code id_token}, {@code access_token}… as JSON. For tests
   * that need a token without a browser (STS, the verifier against a real provider).
   */
  String passwordGrant(String user, String password) throws IOException, InterruptedException {
    String form =
        "grant_type=password&scope=openid&username="
            + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8)
            + "&password="
            + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
    String basic =
        java.util.Base64.getEncoder()
            .encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Authorization", "Basic " + basic)
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("Keycloak refused the password grant: " + r.body());
      }
      return r.body();
    }
  }

  /** The realm's issuer identifier, as its tokens and discovery document name it. */
  String issuer() {
    return "http://127.0.0.1:" + port + "/realms/" + REALM;
  }

  Path log() {
    return log;
  }

  /** The end of Keycloak's log, for a failure message. */
  String tail() throws IOException {
    String all = Files.exists(log) ? Files.readString(log) : "";
    return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
  }

  @Override
  public void close() throws InterruptedException {
    // kc.sh execs java: the process is Keycloak's JVM; its children too, if any.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
