package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console API's answers to what a newcomer hit (issue 16): malformed JSON named as such, the
 * single-request upload limit the docs state, share links on the configured public address, and the
 * operator's calls shown in the tenant's audit view by operation name.
 */
class ConsoleFindingsIT {
  static final String PUBLIC = "https://coffre.example.fr";
  static ServerProcess server;
  static Identities.Key alice;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.startWithEnv(Map.of("COFFRE_CONSOLE_PUBLIC_URL", PUBLIC + "/"));
    Identities ids = new Identities(server);
    ids.tenant("acme");
    alice =
        ids.user(
            "acme",
            "alice",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"s3:*\",\"coffre:*\"],\"Resource\":\"*\"}]}");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ConsoleClient signedIn() throws Exception {
    ConsoleClient c = new ConsoleClient(server.consoleEndpoint());
    assertThat(c.signIn(alice.id(), alice.secret()).status()).isEqualTo(200);
    return c;
  }

  @Test
  void malformedJson_isA400MalformedJson_sayingWhere() throws Exception {
    try (ConsoleClient c = signedIn()) {
      ConsoleClient.Reply broken = c.change("POST", "/api/buckets", "{\"name\": \"acme-x\",");
      assertThat(broken.status()).isEqualTo(400);
      assertThat(broken.json().get("error").asText()).isEqualTo("MalformedJson");
      assertThat(broken.json().get("message").asText())
          .contains("not JSON", "line 1")
          .doesNotContain("Source:", "com.fasterxml");
      ConsoleClient.Reply array = c.change("POST", "/api/buckets", "[1]");
      assertThat(array.status()).isEqualTo(400);
      assertThat(array.json().get("error").asText()).isEqualTo("MalformedJson");
      assertThat(array.json().get("message").asText()).contains("JSON object");
    }
  }

  private static int put(ConsoleClient c, String key, int size) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                server.consoleEndpoint().resolve("/api/buckets/acme-limit/object?key=" + key))
            .header("Cookie", c.cookie)
            .header("X-Coffre-CSRF", c.csrf)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[size]))
            .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
  }

  @Test
  void singlePut_upTo8MiB_largerRefusedAs413() throws Exception {
    try (ConsoleClient c = signedIn()) {
      assertThat(c.change("POST", "/api/buckets", "{\"name\":\"acme-limit\"}").status())
          .isEqualTo(201);
      assertThat(put(c, "eight", 8 * 1024 * 1024)).isEqualTo(200);
      assertThat(put(c, "nine", 9 * 1024 * 1024)).isEqualTo(413);
      JsonNode listed = c.get("/api/buckets/acme-limit/objects").json();
      assertThat(listed.get("objects").findValuesAsText("key")).containsExactly("eight");
    }
  }

  @Test
  void shareLinks_startWithThePublicUrl() throws Exception {
    try (ConsoleClient c = signedIn()) {
      assertThat(c.change("POST", "/api/buckets", "{\"name\":\"acme-share\"}").status())
          .isEqualTo(201);
      assertThat(
              c.send(
                      "PUT",
                      "/api/buckets/acme-share/object?key=a.txt",
                      "a",
                      "text/plain",
                      true,
                      null)
                  .status())
          .isEqualTo(200);
      ConsoleClient.Reply made =
          c.change(
              "POST",
              "/api/shares",
              "{\"bucket\":\"acme-share\",\"key\":\"a.txt\",\"expiresInSeconds\":3600}");
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      String url = made.json().get("url").asText();
      assertThat(url).matches(PUBLIC.replace(".", "\\.") + "/s/[A-Za-z0-9_-]{43}");
      // The link works at the console's own address too (the proxy forwards /s/ as it is).
      String path = URI.create(url).getPath();
      assertThat(c.get("/api" + path.replace("/s/", "/share/")).status()).isEqualTo(200);
    }
  }

  @Test
  void auditView_namesTheOperatorsCalls() throws Exception {
    assertThat(server.admin("PUT", "tenants/acme/quota", "{\"objects\":1000}").status())
        .isEqualTo(200);
    try (ConsoleClient c = signedIn()) {
      JsonNode records =
          c.get("/api/audit?operation=SetTenantQuota&limit=10").json().get("records");
      assertThat(records).isNotEmpty();
      JsonNode r = records.get(0);
      assertThat(r.get("operation").asText()).isEqualTo("SetTenantQuota");
      assertThat(r.get("source").asText()).isEqualTo("admin");
      assertThat(r.get("request").asText()).isEqualTo("PUT /admin/v1/tenants/acme/quota");
      assertThat(r.get("actor").asText()).isEqualTo("operator");
    }
  }
}
