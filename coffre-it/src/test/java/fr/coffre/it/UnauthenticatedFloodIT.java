package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The hostile-client probe's heap exhaustion: unauthenticated requests claiming huge or ever-new
 * access key ids used to be kept, each one, in the failed-authentication table (2,000 requests with
 * a 50 KB id pinned ~100 MB; ~4,100 ran a 256 MiB heap out of memory). Now an id over 128
 * characters is a malformed credential, and the table is bounded: a server with a small heap keeps
 * answering, and serves its real users afterwards.
 */
class UnauthenticatedFloodIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();

  private static Map<Integer, Integer> flood(
      URI endpoint, int requests, java.util.function.IntFunction<String> keyId) throws Exception {
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String amzDate = now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    String day = amzDate.substring(0, 8);
    Semaphore inFlight = new Semaphore(32);
    List<Future<?>> all = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < requests; i++) {
        int n = i;
        inFlight.acquire();
        all.add(
            pool.submit(
                () -> {
                  try {
                    HttpRequest request =
                        HttpRequest.newBuilder(endpoint.resolve("/"))
                            .header("x-amz-date", amzDate)
                            .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                            .header(
                                "Authorization",
                                "AWS4-HMAC-SHA256 Credential="
                                    + keyId.apply(n)
                                    + "/"
                                    + day
                                    + "/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                                    + "0".repeat(64))
                            .GET()
                            .build();
                    int status =
                        HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    statuses.merge(status, 1, Integer::sum);
                  } catch (Exception e) {
                    statuses.merge(-1, 1, Integer::sum);
                  } finally {
                    inFlight.release();
                  }
                  return null;
                }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    }
    return statuses;
  }

  @Test
  void hugeAndEverNewClaimedKeys_areBounded_andTheServerKeepsServing() throws Exception {
    try (ServerProcess server = ServerProcess.start("128m")) {
      String fiftyKb = "A".repeat(50_000);
      Map<Integer, Integer> huge = flood(server.endpoint(), 2_000, n -> n + fiftyKb);
      assertThat(huge).as("statuses").containsOnlyKeys(400).containsEntry(400, 2_000);

      // More distinct, well-formed ids than the table holds.
      Map<Integer, Integer> many =
          flood(server.endpoint(), 11_000, n -> String.format("FLOOD%0100d", n));
      assertThat(many).as("statuses").containsOnlyKeys(403).containsEntry(403, 11_000);

      ServerProcess.Admin lockouts = server.admin("GET", "lockouts", null);
      assertThat(lockouts.status()).isEqualTo(200);
      int entries = lockouts.body().split("\"accessKeyId\"", -1).length - 1;
      assertThat(entries).isBetween(1, 10_000);

      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        s3.createBucket(b -> b.bucket("after-the-flood"));
        assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals("after-the-flood"));
      }
    }
  }
}
