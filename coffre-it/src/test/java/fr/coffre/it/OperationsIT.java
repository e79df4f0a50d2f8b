package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Health and Prometheus metrics on the operations address, checked against the requests made. */
class OperationsIT {
  private static ServerProcess server;
  private static S3Client s3;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    s3 = S3Clients.legacy(server.endpoint());
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.opsEndpoint() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one sample of the exposition, or 0 when it is absent. */
  private static double sample(String scrape, String name, String labels) {
    String series =
        labels.isEmpty() ? Pattern.quote(name) : Pattern.quote(name) + "\\{" + labels + "\\}";
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void health_liveAndReady() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"metadata\":\"up\"", "\"volume\":\"up\"", "\"root-key\":\"up\"");
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void metrics_countTheRequestsMade() throws Exception {
    String before = get("/metrics").body();
    s3.createBucket(b -> b.bucket("metered"));
    byte[] body = new byte[10_000];
    for (int i = 0; i < 5; i++) {
      int n = i;
      s3.putObject(b -> b.bucket("metered").key("k" + n), RequestBody.fromBytes(body));
    }
    for (int i = 0; i < 3; i++) {
      s3.getObjectAsBytes(b -> b.bucket("metered").key("k0"));
    }
    for (int i = 0; i < 2; i++) {
      try {
        s3.headObject(b -> b.bucket("metered").key("absent"));
      } catch (S3Exception e) {
        assertThat(e.statusCode()).isEqualTo(404);
      }
    }
    // A request is counted once its answer is written, so the client may see the answer a
    // moment before the counter moves: scrape until the last request made shows up.
    String after = get("/metrics").body();
    for (int tries = 0;
        tries < 50
            && sample(after, "coffre_s3_requests_total", "operation=\"HeadObject\",status=\"404\"")
                    - sample(
                        before,
                        "coffre_s3_requests_total",
                        "operation=\"HeadObject\",status=\"404\"")
                < 2;
        tries++) {
      Thread.sleep(100);
      after = get("/metrics").body();
    }

    String req = "coffre_s3_requests_total";
    assertThat(
            sample(after, req, "operation=\"PutObject\",status=\"200\"")
                - sample(before, req, "operation=\"PutObject\",status=\"200\""))
        .isEqualTo(5);
    assertThat(
            sample(after, req, "operation=\"GetObject\",status=\"200\"")
                - sample(before, req, "operation=\"GetObject\",status=\"200\""))
        .isEqualTo(3);
    assertThat(
            sample(after, req, "operation=\"HeadObject\",status=\"404\"")
                - sample(before, req, "operation=\"HeadObject\",status=\"404\""))
        .isEqualTo(2);
    assertThat(sample(after, req, "operation=\"CreateBucket\",status=\"200\"")).isEqualTo(1);
    assertThat(sample(after, "coffre_s3_request_duration_seconds_count", "operation=\"PutObject\""))
        .isEqualTo(5);
    double in =
        sample(after, "coffre_s3_received_bytes_total", "")
            - sample(before, "coffre_s3_received_bytes_total", "");
    double out =
        sample(after, "coffre_s3_sent_bytes_total", "")
            - sample(before, "coffre_s3_sent_bytes_total", "");
    assertThat(in).isGreaterThanOrEqualTo(5 * 10_000);
    assertThat(out).isGreaterThanOrEqualTo(3 * 10_000);
    assertThat(after)
        .contains(
            "jvm_memory_used_bytes",
            "coffre_volume_usable_bytes",
            "coffre_http_connections{listener=\"s3\"}");
    assertThat(
            sample(after, "coffre_metadata_call_duration_seconds_count", "method=\"putObject\"")
                - sample(
                    before, "coffre_metadata_call_duration_seconds_count", "method=\"putObject\""))
        .isEqualTo(5);
  }

  @Test
  void connectionsGauge_survivesAGarbageCollection() throws Exception {
    // The gauge's function used to be held weakly and read NaN once collected (on every start).
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process gc =
        new ProcessBuilder(java.replaceAll("java$", "jcmd"), Long.toString(server.pid()), "GC.run")
            .redirectErrorStream(true)
            .start();
    assertThat(gc.waitFor()).as(new String(gc.getInputStream().readAllBytes())).isZero();
    s3.listBuckets();
    String metrics = get("/metrics").body();
    assertThat(sample(metrics, "coffre_http_connections", "listener=\"s3\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metrics).doesNotContainPattern("coffre_http_connections\\{[^}]*\\} NaN");
  }
}
