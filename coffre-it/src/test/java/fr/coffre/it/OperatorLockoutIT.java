package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's token is guessed from one address: that address is locked out (even with the right
 * token afterwards), and the lock-out is per address, so it cannot be turned against the operator
 * elsewhere.
 */
class OperatorLockoutIT {
  private static ServerProcess server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> call(String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.adminEndpoint() + "/admin/v1/tenants"))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> signIn(String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.adminEndpoint() + "/admin/v1/session"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void wrongTokens_lockTheAddressOut_evenForTheRightToken_thenAnswer429WithRetryAfter()
      throws Exception {
    assertThat(call(ServerProcess.ADMIN_TOKEN).statusCode()).isEqualTo(200);
    for (int i = 0; i < 5; i++) {
      assertThat(call("guess-" + i).statusCode()).isEqualTo(401);
      assertThat(signIn("guess-console-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> locked = call(ServerProcess.ADMIN_TOKEN);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.body()).contains("TooManyAttempts");
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();
    assertThat(signIn(ServerProcess.ADMIN_TOKEN).statusCode()).isEqualTo(429);
  }
}
