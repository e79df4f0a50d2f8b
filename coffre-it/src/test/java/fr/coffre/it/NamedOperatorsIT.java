package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.service.Totp;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #23: named operators with a password and a TOTP code, the admin token as a bootstrap
 * credential, roles, separation of duties and four eyes, against a real server process. The TOTP
 * codes are computed as an authenticator app would from the secret the server showed once.
 */
class NamedOperatorsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "une phrase de passe assez longue";
  private static ServerProcess server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    HTTP.close();
  }

  record Answer(int status, JsonNode json) {
    String error() {
      return json.path("error").asText();
    }
  }

  private static Answer call(String bearer, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.adminEndpoint().resolve("/admin/v1/" + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
  }

  private static byte[] base32(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  /** Creates an operator; returns its TOTP secret. */
  private static byte[] create(String bearer, String name, String roles) throws Exception {
    Answer a =
        call(
            bearer,
            "POST",
            "operators",
            "{\"name\":\""
                + name
                + "\",\"roles\":"
                + roles
                + ",\"password\":\""
                + PASSWORD
                + "\"}");
    assertThat(a.status()).as(a.json().toString()).isEqualTo(201);
    return base32(a.json().get("totpSecret").asText());
  }

  private static String code(byte[] secret, long offset) {
    return Totp.code(secret, Totp.step(Instant.now()) + offset, 6);
  }

  private static Answer login(String name, String password, String code) throws Exception {
    return call(
        null,
        "POST",
        "login",
        JSON.createObjectNode()
            .put("name", name)
            .put("password", password)
            .put("code", code)
            .toString());
  }

  @Test
  void bootstrap_thenNamedOperators_roles_duties_fourEyes_replayAndLockout() throws Exception {
    String token = ServerProcess.ADMIN_TOKEN;
    // The first operator must be able to create the others.
    Answer notFirst =
        call(
            token,
            "POST",
            "operators",
            "{\"name\":\"olga\",\"roles\":[\"operator\"],\"password\":\"" + PASSWORD + "\"}");
    assertThat(notFirst.status()).isEqualTo(403);
    byte[] sofia = create(token, "sofia", "[\"security-officer\"]");

    // The token is retired: it only unseals and reads the status now.
    Answer retired = call(token, "GET", "tenants", null);
    assertThat(retired.status()).isEqualTo(403);
    assertThat(retired.error()).isEqualTo("AdminTokenRetired");
    assertThat(call(token, "GET", "status", null).status()).isEqualTo(200);

    // Sign-in: wrong code, code from the wrong time step, then right; a replay is refused.
    String good = code(sofia, 0);
    String wrong = good.equals("000000") ? "000001" : "000000";
    assertThat(login("sofia", PASSWORD, wrong).status()).isEqualTo(401);
    assertThat(login("sofia", PASSWORD, code(sofia, -3)).status()).isEqualTo(401);
    assertThat(login("sofia", "not the password", good).status()).isEqualTo(401);
    Answer in = login("sofia", PASSWORD, good);
    assertThat(in.status()).as(in.json().toString()).isEqualTo(200);
    String so = in.json().get("token").asText();
    assertThat(login("sofia", PASSWORD, good).status()).isEqualTo(401);

    // Separation of duties.
    Answer mixed =
        call(
            so,
            "POST",
            "operators",
            "{\"name\":\"mixte\",\"roles\":[\"operator\",\"security-officer\"],\"password\":\""
                + PASSWORD
                + "\"}");
    assertThat(mixed.status()).isEqualTo(409);
    assertThat(mixed.error()).isEqualTo("SeparationOfDuties");

    byte[] olga = create(so, "olga", "[\"operator\"]");
    byte[] oscar = create(so, "oscar", "[\"operator\"]");
    String o1 = login("olga", PASSWORD, code(olga, 0)).json().get("token").asText();
    String o2 = login("oscar", PASSWORD, code(oscar, 0)).json().get("token").asText();

    // Roles: a security officer does not run the service; an operator does.
    Answer soTenant = call(so, "POST", "tenants", "{\"name\":\"quatre-yeux\"}");
    assertThat(soTenant.status()).isEqualTo(403);
    assertThat(soTenant.error()).isEqualTo("RoleRefused");
    assertThat(call(o1, "POST", "tenants", "{\"name\":\"quatre-yeux\"}").status()).isEqualTo(201);

    // Four eyes: the deletion is a proposal; its proposer cannot approve it; another can.
    Answer proposed = call(o1, "DELETE", "tenants/quatre-yeux", null);
    assertThat(proposed.status()).isEqualTo(202);
    String id = proposed.json().get("id").asText();
    assertThat(call(o1, "GET", "tenants/quatre-yeux", null).status()).isEqualTo(200);
    Answer self = call(o1, "POST", "proposals/" + id + "/approve", null);
    assertThat(self.status()).isEqualTo(409);
    assertThat(self.error()).isEqualTo("ProposalRefused");
    Answer approved = call(o2, "POST", "proposals/" + id + "/approve", null);
    assertThat(approved.status()).as(approved.json().toString()).isEqualTo(200);
    assertThat(approved.json().get("approvedBy").asText()).isEqualTo("oscar");
    assertThat(approved.json().get("status").asInt()).isEqualTo(204);
    assertThat(call(o1, "GET", "tenants/quatre-yeux", null).status()).isEqualTo(404);
    assertThat(call(o2, "POST", "proposals/" + id + "/approve", null).status()).isEqualTo(409);

    // The operator console: the token no longer signs in; a named operator does, with its code,
    // and its roles hold there too.
    Answer tokenConsole = call(null, "POST", "session", "{\"token\":\"" + token + "\"}");
    assertThat(tokenConsole.status()).isEqualTo(403);
    assertThat(tokenConsole.error()).isEqualTo("AdminTokenRetired");
    byte[] aude = create(so, "aude", "[\"auditor\"]");
    HttpResponse<String> signedIn =
        HTTP.send(
            HttpRequest.newBuilder(server.adminEndpoint().resolve("/admin/v1/session"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode()
                            .put("name", "aude")
                            .put("password", PASSWORD)
                            .put("code", code(aude, 0))
                            .toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    String cookie = signedIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    String csrf = JSON.readTree(signedIn.body()).get("csrf").asText();
    HttpResponse<String> read =
        HTTP.send(
            HttpRequest.newBuilder(server.adminEndpoint().resolve("/admin/v1/tenants"))
                .header("Cookie", cookie)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).isEqualTo(200);
    HttpResponse<String> write =
        HTTP.send(
            HttpRequest.newBuilder(server.adminEndpoint().resolve("/admin/v1/tenants"))
                .header("Cookie", cookie)
                .header("X-Coffre-CSRF", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"auditee\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(write.body()).get("error").asText()).isEqualTo("RoleRefused");

    // Four eyes on crypto-shredding too: the certificate comes with the approval.
    Answer key = call(o1, "POST", "keys", "{\"alias\":\"archives\"}");
    assertThat(key.status()).as(key.json().toString()).isEqualTo(201);
    String keyId = key.json().get("id").asText();
    Answer destroy =
        call(o1, "POST", "keys/" + keyId + "/destroy", "{\"override\":true,\"reason\":\"test\"}");
    assertThat(destroy.status()).isEqualTo(202);
    assertThat(call(o1, "GET", "keys/" + keyId, null).json().toString())
        .doesNotContain("DESTROYED");
    Answer shredded =
        call(o2, "POST", "proposals/" + destroy.json().get("id").asText() + "/approve", null);
    assertThat(shredded.status()).as(shredded.json().toString()).isEqualTo(200);
    assertThat(shredded.json().get("status").asInt()).isEqualTo(200);
    assertThat(call(o1, "GET", "keys/" + keyId, null).json().toString()).contains("DESTROYED");

    // Lock-out after five failures, even for the right code then; seen by the security officer.
    for (int i = 0; i < 4; i++) {
      assertThat(login("oscar", "wrong password!!", code(oscar, 0)).status()).isEqualTo(401);
    }
    Answer locked = login("oscar", "wrong password!!", code(oscar, 0));
    assertThat(locked.status()).isEqualTo(403);
    assertThat(locked.error()).isEqualTo("OperatorLockedOut");
    assertThat(login("oscar", PASSWORD, code(oscar, 1)).error()).isEqualTo("OperatorLockedOut");
    Answer seen = call(so, "GET", "operators/oscar", null);
    assertThat(seen.json().path("lockedUntil").asText()).as(seen.toString()).isNotEmpty();

    // The operators' secrets never reach the audit trail (TOTP secrets, passwords, sessions).
    HttpResponse<String> system =
        HTTP.send(
            HttpRequest.newBuilder(server.adminEndpoint().resolve("/admin/v1/audit/_system"))
                .header("Authorization", "Bearer " + so)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(system.statusCode()).isEqualTo(200);
    assertThat(system.body())
        .contains("POST /admin/v1/operators", "POST /admin/v1/login")
        .doesNotContain(Totp.base32(sofia))
        .doesNotContain(Totp.base32(olga))
        .doesNotContain(PASSWORD)
        .doesNotContain(so);

    // Sign-out ends the session.
    assertThat(call(o1, "POST", "logout", null).status()).isEqualTo(204);
    assertThat(call(o1, "GET", "tenants", null).status()).isEqualTo(401);
  }
}
