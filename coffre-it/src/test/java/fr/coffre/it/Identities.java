package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import software.amazon.awssdk.services.s3.S3Client;

/** Tenants, users and keys made through the admin API, for tests that need several identities. */
final class Identities {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String FULL_ACCESS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";

  /** An access key and its secret. */
  record Key(String id, String secret) {
    S3Client client(ServerProcess server) {
      return S3Clients.withKeys(server.endpoint(), id, secret);
    }
  }

  private final ServerProcess server;

  Identities(ServerProcess server) {
    this.server = server;
  }

  JsonNode call(int expected, String method, String path, String body)
      throws IOException, InterruptedException {
    ServerProcess.Admin reply = server.admin(method, path, body);
    assertThat(reply.status()).as(method + " " + path + ": " + reply.body()).isEqualTo(expected);
    return reply.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(reply.body());
  }

  /** Creates a tenant; returns its account id. */
  String tenant(String name) throws IOException, InterruptedException {
    return call(201, "POST", "tenants", "{\"name\":\"" + name + "\"}").get("accountId").asText();
  }

  /** Creates a user with the given identity policy (none when null) and one access key. */
  Key user(String tenant, String user, String policy) throws IOException, InterruptedException {
    call(201, "POST", "tenants/" + tenant + "/users", "{\"name\":\"" + user + "\"}");
    if (policy != null) {
      call(200, "PUT", "tenants/" + tenant + "/users/" + user + "/policies/main", policy);
    }
    JsonNode k = call(201, "POST", "tenants/" + tenant + "/users/" + user + "/access-keys", null);
    return new Key(k.get("accessKeyId").asText(), k.get("secretAccessKey").asText());
  }
}
