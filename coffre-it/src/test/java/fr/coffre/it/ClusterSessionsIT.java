package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Console sessions and lock-outs on a cluster of two nodes ({@code scripts/local-cluster}, a real
 * PostgreSQL, two server processes), as behind a load balancer that sends each request anywhere: a
 * session opened on node 1 works on node 2, signing out on node 2 ends it on node 1, and failed
 * sign-ins (and bad S3 signatures) spread over both nodes lock the key once their <em>total</em>
 * reaches the threshold (10), where each node alone counted only half of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSessionsIT {
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeThat(Files.isDirectory(Path.of("/usr/lib/postgresql")))
        .as("the postgresql package is installed")
        .isTrue();
    cluster = LocalCluster.start("sessions", 2);
    assertThat(cluster.env).containsKeys("NODE1_CONSOLE_URL", "NODE2_CONSOLE_URL");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ConsoleClient console(int i) {
    return new ConsoleClient(URI.create(cluster.env.get("NODE" + i + "_CONSOLE_URL")));
  }

  @Test
  @Order(1)
  void aSessionOpenedOnNode1_worksOnNode2_andSigningOutOnNode2_endsItOnNode1() throws Exception {
    try (ConsoleClient node1 = console(1);
        ConsoleClient node2 = console(2)) {
      assertThat(node1.signIn(cluster.env.get("AK"), cluster.env.get("SK")).status())
          .isEqualTo(200);
      // The browser sends the same cookie wherever the load balancer sends the request.
      node2.cookie = node1.cookie;
      node2.csrf = node1.csrf;
      ConsoleClient.Reply there = node2.get("/api/session");
      assertThat(there.status()).as(there.body()).isEqualTo(200);
      assertThat(there.json().get("csrf").asText()).isEqualTo(node1.csrf);
      assertThat(there.json().get("accessKey").asText()).isEqualTo(cluster.env.get("AK"));
      // A change with the session's CSRF token is accepted on the other node too.
      ConsoleClient.Reply bucket =
          node2.change("POST", "/api/buckets", "{\"name\":\"console-cluster\"}");
      assertThat(bucket.status()).as(bucket.body()).isEqualTo(201);
      assertThat(node1.get("/api/buckets").body()).contains("console-cluster");

      ConsoleClient.Reply out = node2.change("DELETE", "/api/session", null);
      assertThat(out.status()).as(out.body()).isEqualTo(204);
      assertThat(node1.get("/api/session").status()).isEqualTo(401);
      assertThat(node2.get("/api/session").status()).isEqualTo(401);
    }
  }

  @Test
  @Order(2)
  void failedSignInsSpreadOverTwoNodes_lockTheKeyAtTheThresholdInTotal() throws Exception {
    String ak = cluster.env.get("AK");
    try (ConsoleClient node1 = console(1);
        ConsoleClient node2 = console(2)) {
      // Ten failures in all, five on each node: below any one node's threshold of ten.
      for (int i = 0; i < 5; i++) {
        assertThat(node1.signIn(ak, "wrong-secret-" + i).status()).isEqualTo(401);
        assertThat(node2.signIn(ak, "wrong-secret-" + i).status()).isEqualTo(401);
      }
      // Now even the right secret is refused, on both nodes.
      for (ConsoleClient node : new ConsoleClient[] {node1, node2}) {
        ConsoleClient.Reply r = node.signIn(ak, cluster.env.get("SK"));
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("LockedOut");
      }
    }
    // Node 2's operator sees the lock-out made of both nodes' failures.
    JsonNode list = ConsoleClient.JSON.readTree(admin(2, "GET", "/lockouts").body());
    JsonNode mine = null;
    for (JsonNode e : list.get("lockouts")) {
      if (e.get("accessKeyId").asText().equals(ak) && e.get("scope").asText().startsWith("inter")) {
        mine = e;
      }
    }
    assertThat(mine).as(list.toString()).isNotNull();
    assertThat(mine.get("lockedUntil").isNull()).isFalse();
    // ... and clears it on node 1: both nodes take sign-ins again.
    assertThat(admin(1, "DELETE", "/lockouts/" + ak).statusCode()).isEqualTo(204);
    try (ConsoleClient node2 = console(2)) {
      assertThat(node2.signIn(ak, cluster.env.get("SK")).status()).isEqualTo(200);
    }
  }

  @Test
  @Order(3)
  void badSignaturesSpreadOverTwoNodes_lockTheKeyForThatAddressOnBoth() throws Exception {
    String ak = cluster.env.get("AK");
    for (int i = 0; i < 5; i++) {
      for (int n = 1; n <= 2; n++) {
        try (S3Client forger = s3(n, ak, "not-the-secret-key-at-all-000000")) {
          assertThatThrownBy(forger::listBuckets)
              .isInstanceOfSatisfying(
                  S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
      }
    }
    // The other node's view of locked subjects is reloaded within a second.
    Thread.sleep(1_500);
    for (int n = 1; n <= 2; n++) {
      try (S3Client owner = cluster.s3(n, false)) {
        assertThatThrownBy(owner::listBuckets)
            .isInstanceOfSatisfying(
                S3Exception.class,
                e -> {
                  assertThat(e.statusCode()).isEqualTo(403);
                  assertThat(e.getMessage()).contains("locked");
                });
      }
    }
  }

  private static S3Client s3(int i, String access, String secret) {
    return S3Client.builder()
        .endpointOverride(URI.create(cluster.env.get("NODE" + i + "_URL")))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  private static HttpResponse<String> admin(int i, String method, String path) throws Exception {
    String token =
        Files.readString(Path.of(cluster.env.get("NODE" + i + "_DATA")).resolve("admin-token"))
            .strip();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(cluster.env.get("NODE" + i + "_ADMIN_URL") + "/admin/v1" + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
