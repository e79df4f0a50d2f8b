package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue #23: the operator cannot help itself to an enrolled tenant's data. A real server, the
 * operator's admin API with the admin token, the tenant admin on the console API and the AWS SDK
 * with the credentials only the tenant received.
 */
class TenantConsentIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  private static String error(ServerProcess.Admin a) throws Exception {
    return json(a.body()).path("error").asText();
  }

  /** The tenant's audit chain as the operator exports it, one JSON record a line. */
  private static List<JsonNode> chain(String tenant) throws Exception {
    ServerProcess.Admin export = server.admin("GET", "audit/" + tenant, null);
    assertThat(export.status()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    for (String line : export.body().split("\n")) {
      if (!line.isBlank()) {
        out.add(json(line));
      }
    }
    return out;
  }

  @Test
  void enrolledTenant_operatorMintsOnlyInsideAWindowOfItsScope_everythingInTheTenantsChain()
      throws Exception {
    ServerProcess.Admin created =
        server.admin("POST", "tenants", "{\"name\":\"mairie\",\"enrolment\":true}");
    assertThat(created.status()).isEqualTo(201);
    String token = json(created.body()).path("enrolment").path("token").asText();
    assertThat(token).hasSizeGreaterThan(30);

    // Under the rule from its creation: the operator cannot even make itself a user there.
    ServerProcess.Admin own = server.admin("POST", "tenants/mairie/users", "{\"name\":\"op\"}");
    assertThat(own.status()).isEqualTo(403);
    assertThat(error(own)).isEqualTo("TenantConsentRequired");

    // The tenant's first admin enrols, once, and alone receives the secret.
    ConsoleClient console = new ConsoleClient(server.consoleEndpoint());
    String enrol =
        JSON.createObjectNode()
            .put("tenant", "mairie")
            .put("token", token)
            .put("user", "alice")
            .toString();
    ConsoleClient.Reply enrolled =
        console.send("POST", "/api/enrol", enrol, "application/json", false, null);
    assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
    String aliceKey = enrolled.json().get("accessKey").asText();
    String aliceSecret = enrolled.json().get("secretKey").asText();
    ConsoleClient.Reply again =
        console.send(
            "POST",
            "/api/enrol",
            enrol.replace("alice", "mallory"),
            "application/json",
            false,
            null);
    assertThat(again.status()).isEqualTo(403);
    assertThat(again.json().get("error").asText()).isEqualTo("EnrolmentRefused");

    // Her credentials work with a real S3 client.
    try (S3Client alice = S3Clients.withKeys(server.endpoint(), aliceKey, aliceSecret)) {
      alice.createBucket(b -> b.bucket("deliberations"));
      alice.putObject(
          b -> b.bucket("deliberations").key("conseil.txt"), RequestBody.fromString("huis clos"));
    }

    // Without a window: 403 and no secret.
    ServerProcess.Admin refused =
        server.admin("POST", "tenants/mairie/users/alice/access-keys", null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(error(refused)).isEqualTo("TenantConsentRequired");
    assertThat(refused.body()).doesNotContain("secretAccessKey");

    // Alice opens a window for access keys only.
    assertThat(console.signIn(aliceKey, aliceSecret).status()).isEqualTo(200);
    ConsoleClient.Reply opened =
        console.change(
            "POST", "/api/support-windows", "{\"scope\":[\"access-keys\"],\"minutes\":30}");
    assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    String window = opened.json().get("id").asText();

    // Shown to the operator too.
    JsonNode seen = json(server.admin("GET", "tenants/mairie/support-windows", null).body());
    assertThat(seen.get("consentRequired").asBoolean()).isTrue();
    assertThat(seen.get("enrolled").asBoolean()).isTrue();
    assertThat(seen.get("windows").get(0).get("id").asText()).isEqualTo(window);
    assertThat(seen.get("windows").get(0).get("open").asBoolean()).isTrue();

    // Within its scope: allowed.
    ServerProcess.Admin minted =
        server.admin("POST", "tenants/mairie/users/alice/access-keys", null);
    assertThat(minted.status()).isEqualTo(201);
    assertThat(json(minted.body()).get("secretAccessKey").asText()).isNotEmpty();
    // Outside its scope: refused.
    ServerProcess.Admin policy =
        server.admin(
            "PUT",
            "tenants/mairie/users/alice/policies/extra",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");
    assertThat(policy.status()).isEqualTo(403);
    assertThat(error(policy)).isEqualTo("TenantConsentRequired");

    // Revoked: refused again at once.
    ConsoleClient.Reply revoked = console.change("DELETE", "/api/support-windows/" + window, null);
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
    ServerProcess.Admin after =
        server.admin("POST", "tenants/mairie/users/alice/access-keys", null);
    assertThat(after.status()).isEqualTo(403);
    assertThat(error(after)).isEqualTo("TenantConsentRequired");
    console.close();

    // Everything in the tenant's own chain, and no secret in it.
    List<JsonNode> records = chain("mairie");
    List<String> operations = new ArrayList<>();
    for (JsonNode r : records) {
      operations.add(
          r.path("operation").asText()
              + " "
              + r.path("status").asInt()
              + " "
              + r.path("error").asText(""));
    }
    assertThat(operations)
        .anyMatch(o -> o.startsWith("EnrolTenantAdmin 201"))
        .anyMatch(o -> o.startsWith("OpenSupportWindow 201"))
        .anyMatch(o -> o.startsWith("RevokeSupportWindow 200"))
        .anyMatch(
            o ->
                o.equals(
                    "POST /admin/v1/tenants/mairie/users/alice/access-keys 403 TenantConsentRequired"))
        .anyMatch(o -> o.startsWith("POST /admin/v1/tenants/mairie/users/alice/access-keys 201"));
    String all = records.toString();
    assertThat(all).doesNotContain(aliceSecret).doesNotContain(token);
  }

  @Test
  void tenantWithoutEnrolment_keepsTheOldRegime() throws Exception {
    assertThat(server.admin("POST", "tenants", "{\"name\":\"ancien\"}").status()).isEqualTo(201);
    assertThat(server.admin("POST", "tenants/ancien/users", "{\"name\":\"u\"}").status())
        .isEqualTo(201);
    ServerProcess.Admin k = server.admin("POST", "tenants/ancien/users/u/access-keys", null);
    assertThat(k.status()).isEqualTo(201);
    assertThat(json(k.body()).get("secretAccessKey").asText()).isNotEmpty();
    assertThat(
            json(server.admin("GET", "tenants/ancien/support-windows", null).body())
                .get("consentRequired")
                .asBoolean())
        .isFalse();
    // Issuing an enrolment moves it under the rule, for good.
    assertThat(server.admin("POST", "tenants/ancien/enrolment", "{}").status()).isEqualTo(201);
    ServerProcess.Admin refused = server.admin("POST", "tenants/ancien/users/u/access-keys", null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(error(refused)).isEqualTo("TenantConsentRequired");
  }

  @Test
  void supportWindow_openedByAnOrdinaryUser_refused() throws Exception {
    assertThat(server.admin("POST", "tenants", "{\"name\":\"ecole\",\"enrolment\":true}").status())
        .isEqualTo(201);
    // A user the operator made before... cannot exist in an enrolled tenant; use the default
    // tenant's root, which is its tenant's admin, and a plain user of another legacy tenant.
    Identities ids = new Identities(server);
    ids.tenant("college");
    Identities.Key plain = ids.user("college", "carla", Identities.FULL_ACCESS);
    try (ConsoleClient console = new ConsoleClient(server.consoleEndpoint())) {
      assertThat(console.signIn(plain.id(), plain.secret()).status()).isEqualTo(200);
      ConsoleClient.Reply r =
          console.change("POST", "/api/support-windows", "{\"scope\":[\"users\"],\"minutes\":5}");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().get("error").asText()).isEqualTo("NotTenantAdmin");
    }
  }
}
