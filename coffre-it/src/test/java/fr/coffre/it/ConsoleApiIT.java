package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consoles' HTTP contract (docs/console.md) against a real server: sessions, CSRF, share links
 * and their limits, tenant isolation, the audit trail, and the operator console's session. The
 * browser scenario is {@link ConsoleBrowserIT}.
 */
class ConsoleApiIT {
  static ServerProcess server;
  static Identities ids;
  static Identities.Key alice;
  static Identities.Key bob;
  static Identities.Key carol;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    ids = new Identities(server);
    ids.tenant("acme");
    ids.tenant("globex");
    alice = ids.user("acme", "alice", Identities.FULL_ACCESS);
    carol =
        ids.user(
            "acme",
            "carol",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}");
    bob = ids.user("globex", "bob", Identities.FULL_ACCESS);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static ConsoleClient signedIn(Identities.Key key) throws Exception {
    ConsoleClient c = new ConsoleClient(server.consoleEndpoint());
    assertThat(c.signIn(key.id(), key.secret()).status()).isEqualTo(200);
    return c;
  }

  private static String acmeTrail() throws Exception {
    ServerProcess.Admin export = server.admin("GET", "audit/acme", null);
    assertThat(export.status()).isEqualTo(200);
    return export.body();
  }

  @Test
  void sessionsAreCookiesWithCsrfTokensAndNoSecretTravelsBack() throws Exception {
    try (ConsoleClient anonymous = new ConsoleClient(server.consoleEndpoint());
        ConsoleClient c = new ConsoleClient(server.consoleEndpoint())) {
      ConsoleClient.Reply page = anonymous.get("/");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.raw().headers().firstValue("content-type").orElse(""))
          .startsWith("text/html");
      assertThat(page.raw().headers().firstValue("content-security-policy").orElse(""))
          .contains("script-src 'self'");
      assertThat(anonymous.get("/api/buckets").status()).isEqualTo(401);

      ConsoleClient.Reply wrong = c.signIn(alice.id(), "not-the-secret");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.json().get("error").asText()).isEqualTo("InvalidCredentials");
      assertThat(wrong.raw().headers().firstValue("set-cookie")).isEmpty();

      ConsoleClient.Reply ok = c.signIn(alice.id(), alice.secret());
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.json().get("tenant").asText()).isEqualTo("acme");
      assertThat(ok.json().get("user").asText()).isEqualTo("alice");
      assertThat(ok.body()).doesNotContain(alice.secret());
      assertThat(c.setCookieHeader)
          .contains("HttpOnly")
          .contains("SameSite=Strict")
          .contains("Path=/");

      // A change without the CSRF token, or from another origin, does nothing.
      String create = "{\"name\":\"acme-csrf\"}";
      ConsoleClient.Reply noToken =
          c.send("POST", "/api/buckets", create, "application/json", false, null);
      assertThat(noToken.status()).isEqualTo(403);
      assertThat(noToken.json().get("error").asText()).isEqualTo("CsrfRefused");
      ConsoleClient.Reply foreign =
          c.send("POST", "/api/buckets", create, "application/json", true, "http://evil.example");
      assertThat(foreign.status()).isEqualTo(403);
      assertThat(c.get("/api/buckets").body()).doesNotContain("acme-csrf");
      assertThat(c.change("POST", "/api/buckets", create).status()).isEqualTo(201);
      assertThat(c.get("/api/buckets").json().get("buckets").findValuesAsText("name"))
          .contains("acme-csrf");

      // Signing out ends the session on the server, not only in the browser.
      String cookie = c.cookie;
      assertThat(c.change("DELETE", "/api/session", null).status()).isEqualTo(204);
      c.cookie = cookie;
      assertThat(c.get("/api/buckets").status()).isEqualTo(401);
    }
    String trail = acmeTrail();
    assertThat(trail)
        .contains("\"operation\":\"ConsoleSignIn\"")
        .contains("\"error\":\"InvalidCredentials\"")
        .contains("\"accessKey\":\"" + alice.id() + "\"");
    assertThat(trail).contains("\"source\":\"console\"").contains("\"operation\":\"CreateBucket\"");
    assertThat(trail).doesNotContain("not-the-secret").doesNotContain(alice.secret());
  }

  @Test
  void aDisabledUserLosesItsSessionAtOnce() throws Exception {
    Identities.Key dave = ids.user("acme", "dave", Identities.FULL_ACCESS);
    try (ConsoleClient c = signedIn(dave)) {
      assertThat(c.get("/api/buckets").status()).isEqualTo(200);
      ids.call(200, "POST", "tenants/acme/users/dave/disable", null);
      assertThat(c.get("/api/buckets").status()).isEqualTo(401);
    }
  }

  @Test
  void shareLinksHonourPasswordLimitRevocationAndTenants() throws Exception {
    byte[] content = "acte de naissance n° 1789\n".getBytes(StandardCharsets.UTF_8);
    String key = "état civil/acte 1789.txt";
    String q = "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    try (ConsoleClient a = signedIn(alice);
        ConsoleClient recipient = new ConsoleClient(server.consoleEndpoint())) {
      assertThat(a.change("POST", "/api/buckets", "{\"name\":\"acme-shares\"}").status())
          .isEqualTo(201);
      assertThat(
              a.send(
                      "PUT",
                      "/api/buckets/acme-shares/object" + q,
                      new String(content, StandardCharsets.UTF_8),
                      "text/plain",
                      true,
                      null)
                  .status())
          .isEqualTo(200);

      String body =
          "{\"bucket\":\"acme-shares\",\"key\":\""
              + key
              + "\",\"expiresInSeconds\":3600,"
              + "\"password\":\"correct horse\",\"maxDownloads\":2}";
      ConsoleClient.Reply made = a.change("POST", "/api/shares", body);
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      String url = made.json().get("url").asText();
      String token = url.substring(3);
      assertThat(url).startsWith("/s/");

      // The recipient's page learns nothing of the file before the password.
      JsonNode facts = recipient.get("/api/share/" + token).json();
      assertThat(facts.get("passwordRequired").asBoolean()).isTrue();
      assertThat(facts.get("name").isNull()).isTrue();
      assertThat(recipient.get(url).status()).isEqualTo(200);

      assertThat(recipient.download(url, null).status()).isEqualTo(403);
      assertThat(recipient.download(url, "wrong").status()).isEqualTo(403);
      ConsoleClient.Reply first = recipient.download(url, "correct horse");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).isEqualTo(new String(content, StandardCharsets.UTF_8));
      assertThat(first.raw().headers().firstValue("content-disposition").orElse(""))
          .contains("filename*=UTF-8''acte%201789.txt");
      assertThat(recipient.download(url, "correct horse").status()).isEqualTo(200);
      ConsoleClient.Reply third = recipient.download(url, "correct horse");
      assertThat(third.status()).isEqualTo(410);
      assertThat(third.body()).contains("download limit");
      assertThat(recipient.download(url + "x", "correct horse").status()).isEqualTo(404);
      // A GET (a mail scanner following the link) never downloads.
      assertThat(recipient.get(url + "/download").status()).isEqualTo(405);

      // A second link: listed, then revoked, then refused.
      ConsoleClient.Reply open =
          a.change(
              "POST",
              "/api/shares",
              "{\"bucket\":\"acme-shares\",\"key\":\"" + key + "\",\"expiresInSeconds\":86400}");
      String openUrl = open.json().get("url").asText();
      String openId = open.json().get("id").asText();
      assertThat(recipient.get("/api/share/" + openUrl.substring(3)).json().get("name").asText())
          .isEqualTo("acte 1789.txt");
      assertThat(recipient.download(openUrl, null).status()).isEqualTo(200);
      assertThat(a.get("/api/shares").json().get("shares").findValuesAsText("id")).contains(openId);

      // Another tenant can neither see, revoke nor make links to acme's objects.
      try (ConsoleClient b = signedIn(bob)) {
        assertThat(b.get("/api/shares").json().get("shares").size()).isZero();
        ConsoleClient.Reply steal = b.change("DELETE", "/api/shares/" + openId, null);
        assertThat(steal.status()).isEqualTo(404);
        assertThat(
                b.change(
                        "POST",
                        "/api/shares",
                        "{\"bucket\":\"acme-shares\",\"key\":\""
                            + key
                            + "\",\"expiresInSeconds\":3600}")
                    .status())
            .isEqualTo(403);
      }
      // Nor can a user of acme who may not read the object; nor see or revoke alice's links.
      try (ConsoleClient c = signedIn(carol)) {
        assertThat(
                c.change(
                        "POST",
                        "/api/shares",
                        "{\"bucket\":\"acme-shares\",\"key\":\""
                            + key
                            + "\",\"expiresInSeconds\":3600}")
                    .status())
            .isEqualTo(403);
        assertThat(c.get("/api/shares").json().get("shares").size()).isZero();
        assertThat(c.change("DELETE", "/api/shares/" + openId, null).status()).isEqualTo(404);
        // A malformed query is the client's mistake, not a server error.
        assertThat(rawStatus("GET /api/buckets/acme-shares/objects?prefix=%zz HTTP/1.1", c.cookie))
            .isEqualTo(400);
        assertThat(rawStatus("GET /api/buckets/acme%zz/objects HTTP/1.1", c.cookie)).isEqualTo(400);
      }
      assertThat(recipient.download(openUrl, null).status()).isEqualTo(200);

      // A link is to the content shared: once the key holds other content, the link is dead.
      String pinned =
          a.change(
                  "POST",
                  "/api/shares",
                  "{\"bucket\":\"acme-shares\",\"key\":\"" + key + "\",\"expiresInSeconds\":3600}")
              .json()
              .get("url")
              .asText();
      assertThat(
              a.send(
                      "PUT",
                      "/api/buckets/acme-shares/object" + q,
                      "replaced",
                      "text/plain",
                      true,
                      null)
                  .status())
          .isEqualTo(200);
      ConsoleClient.Reply changed = recipient.download(pinned, null);
      assertThat(changed.status()).isEqualTo(410);
      assertThat(changed.body()).contains("replaced or deleted").doesNotContain("replaced\n");
      assertThat(recipient.download(openUrl, null).status()).isEqualTo(410);

      assertThat(a.change("DELETE", "/api/shares/" + openId, null).status()).isEqualTo(204);
      ConsoleClient.Reply revoked = recipient.download(openUrl, null);
      assertThat(revoked.status()).isEqualTo(410);
      assertThat(revoked.body()).contains("revoked");
      assertThat(
              recipient
                  .send(
                      "POST",
                      openUrl + "/download",
                      "password=%zz",
                      "application/x-www-form-urlencoded",
                      false,
                      null)
                  .status())
          .isEqualTo(410);
      assertThat(recipient.get("/api/share/" + openUrl.substring(3)).json().get("error").asText())
          .isEqualTo("ShareRevoked");
      assertThat(a.get("/api/shares").json().get("shares").findValuesAsText("id"))
          .doesNotContain(openId);

      // Expiry bounds are checked.
      assertThat(
              a.change(
                      "POST",
                      "/api/shares",
                      "{\"bucket\":\"acme-shares\",\"key\":\"" + key + "\",\"expiresInSeconds\":0}")
                  .status())
          .isEqualTo(400);
      assertThat(
              a.change(
                      "POST",
                      "/api/shares",
                      "{\"bucket\":\"acme-shares\",\"key\":\""
                          + key
                          + "\",\"expiresInSeconds\":2678400}")
                  .status())
          .isEqualTo(400);
      assertThat(
              a.change(
                      "POST",
                      "/api/shares",
                      "{\"bucket\":\"acme-shares\",\"key\":\"nope\","
                          + "\"expiresInSeconds\":3600}")
                  .status())
          .isEqualTo(404);

      String trail = acmeTrail();
      assertThat(trail)
          .contains("\"operation\":\"CreateShareLink\"")
          .contains("\"operation\":\"RevokeShareLink\"");
      assertThat(trail)
          .contains("\"operation\":\"ShareLinkDownload\"")
          .contains("\"error\":\"WrongPassword\"")
          .contains("\"error\":\"ShareUsedUp\"")
          .contains("\"error\":\"ShareRevoked\"")
          .contains("\"error\":\"ShareObjectChanged\"");
      assertThat(trail).contains("\"share\":\"" + openId + "\"");
      assertThat(trail).doesNotContain(token).doesNotContain("correct horse");
    }
  }

  @Test
  void aLinkDiesWithItsMakersAccess() throws Exception {
    Identities.Key erin = ids.user("acme", "erin", Identities.FULL_ACCESS);
    try (ConsoleClient e = signedIn(erin);
        ConsoleClient recipient = new ConsoleClient(server.consoleEndpoint())) {
      assertThat(e.change("POST", "/api/buckets", "{\"name\":\"acme-erin\"}").status())
          .isEqualTo(201);
      assertThat(
              e.send(
                      "PUT",
                      "/api/buckets/acme-erin/object?key=note.txt",
                      "note",
                      "text/plain",
                      true,
                      null)
                  .status())
          .isEqualTo(200);
      String url =
          e.change(
                  "POST",
                  "/api/shares",
                  "{\"bucket\":\"acme-erin\",\"key\":\"note.txt\",\"expiresInSeconds\":3600}")
              .json()
              .get("url")
              .asText();
      assertThat(recipient.download(url, null).status()).isEqualTo(200);
      ids.call(200, "POST", "tenants/acme/users/erin/disable", null);
      assertThat(recipient.download(url, null).status()).isEqualTo(410);
    }
  }

  @Test
  void multipartUploadsThroughTheConsoleResumeFromTheServersPartList() throws Exception {
    byte[] data = new byte[6 * 1024 * 1024 + 123];
    new Random(7).nextBytes(data);
    try (ConsoleClient a = signedIn(alice);
        HttpClient http = HttpClient.newHttpClient()) {
      assertThat(a.change("POST", "/api/buckets", "{\"name\":\"acme-big\"}").status())
          .isEqualTo(201);
      String q = "?key=" + URLEncoder.encode("scans/registre 1.bin", StandardCharsets.UTF_8);
      String id =
          a.change(
                  "POST",
                  "/api/buckets/acme-big/uploads" + q,
                  "{\"contentType\":\"application/octet-stream\"}")
              .json()
              .get("uploadId")
              .asText();
      int split = 5 * 1024 * 1024;
      String etag1 =
          put(http, a, "/api/buckets/acme-big/uploads/" + id + "/parts/1" + q, data, 0, split);
      // The page lost track after a network error: it asks the server which parts arrived.
      JsonNode parts = a.get("/api/buckets/acme-big/uploads/" + id + q).json().get("parts");
      assertThat(parts.size()).isEqualTo(1);
      assertThat(parts.get(0).get("etag").asText()).isEqualTo(etag1);
      String etag2 =
          put(
              http,
              a,
              "/api/buckets/acme-big/uploads/" + id + "/parts/2" + q,
              data,
              split,
              data.length);
      ConsoleClient.Reply done =
          a.change(
              "POST",
              "/api/buckets/acme-big/uploads/" + id + "/complete" + q,
              "{\"parts\":[{\"number\":1,\"etag\":\""
                  + etag1
                  + "\"},{\"number\":2,\"etag\":\""
                  + etag2
                  + "\"}]}");
      assertThat(done.status()).as(done.body()).isEqualTo(200);
      assertThat(done.json().get("etag").asText()).endsWith("-2");
      HttpResponse<byte[]> back =
          http.send(
              HttpRequest.newBuilder(
                      server.consoleEndpoint().resolve("/api/buckets/acme-big/download" + q))
                  .header("Cookie", a.cookie)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(back.body()).isEqualTo(data);
      // The same object through S3: the console wrote an ordinary object.
      try (var s3 = alice.client(server)) {
        assertThat(
                s3.headObject(r -> r.bucket("acme-big").key("scans/registre 1.bin"))
                    .contentLength())
            .isEqualTo(data.length);
      }
    }
  }

  /** Sends a request line no URI class would build (a malformed escape); returns the status. */
  private static int rawStatus(String requestLine, String cookie) throws Exception {
    try (var socket = new java.net.Socket("127.0.0.1", server.consoleEndpoint().getPort())) {
      socket
          .getOutputStream()
          .write(
              (requestLine
                      + "\r\nHost: 127.0.0.1\r\nCookie: "
                      + cookie
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  private static String put(
      HttpClient http, ConsoleClient c, String path, byte[] data, int from, int to)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(server.consoleEndpoint().resolve(path))
                .header("Cookie", c.cookie)
                .header("X-Coffre-CSRF", c.csrf)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data, from, to - from))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ConsoleClient.JSON.readTree(r.body()).get("etag").asText();
  }

  @Test
  void theOperatorConsoleSignsInWithTheTokenAndSeesVolumesAndTheScrubber() throws Exception {
    URI admin = server.adminEndpoint();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(admin.resolve("/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("operator");
      HttpResponse<String> wrong =
          http.send(
              HttpRequest.newBuilder(admin.resolve("/admin/v1/session"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"nope\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(admin.resolve("/admin/v1/session"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"token\":\"" + ServerProcess.ADMIN_TOKEN + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      String setCookie = ok.headers().firstValue("set-cookie").orElseThrow();
      assertThat(setCookie)
          .contains("Path=/admin")
          .contains("HttpOnly")
          .contains("SameSite=Strict");
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      String csrf = ConsoleClient.JSON.readTree(ok.body()).get("csrf").asText();
      assertThat(ok.body()).doesNotContain(ServerProcess.ADMIN_TOKEN);

      HttpResponse<String> tenants =
          http.send(
              HttpRequest.newBuilder(admin.resolve("/admin/v1/tenants"))
                  .header("Cookie", cookie)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(tenants.statusCode()).isEqualTo(200);
      assertThat(tenants.body()).contains("acme");
      HttpResponse<String> noCsrf =
          http.send(
              HttpRequest.newBuilder(admin.resolve("/admin/v1/tenants"))
                  .header("Cookie", cookie)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"initech\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(noCsrf.statusCode()).isEqualTo(401);
      HttpResponse<String> withCsrf =
          http.send(
              HttpRequest.newBuilder(admin.resolve("/admin/v1/tenants"))
                  .header("Cookie", cookie)
                  .header("X-Coffre-CSRF", csrf)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"initech\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(withCsrf.statusCode()).isEqualTo(201);

      JsonNode placement =
          ConsoleClient.JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(admin.resolve("/admin/v1/placement"))
                          .header("Cookie", cookie)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      JsonNode volume = placement.get("locations").get(0).get("volumes").get(0);
      assertThat(volume.get("online").asBoolean()).isTrue();
      assertThat(volume.get("freeBytes").asLong()).isPositive();
      assertThat(volume.get("totalBytes").asLong())
          .isGreaterThanOrEqualTo(volume.get("freeBytes").asLong());
      JsonNode scrub =
          ConsoleClient.JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(admin.resolve("/admin/v1/scrub"))
                          .header("Cookie", cookie)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(scrub.get("last").get("finished").asText()).isNotEmpty();
      assertThat(scrub.get("interval").asText()).isEqualTo("PT24H");
    }
  }
}
