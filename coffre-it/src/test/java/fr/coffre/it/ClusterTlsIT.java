package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two nodes started by {@code scripts/local-cluster --tls}: their internal API speaks mutual TLS
 * with a cluster CA. Objects written through either node get their second copy on the other and
 * read back through both; a caller without a client certificate fails the handshake, and one with a
 * node's certificate but no cluster-secret signature gets 401.
 */
class ClusterTlsIT {
  private static LocalCluster cluster;
  private static Map<String, String> env;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeThat(Files.isDirectory(Path.of("/usr/lib/postgresql")))
        .as("the postgresql package is installed")
        .isTrue();
    cluster = LocalCluster.start("cluster-tls", 2, "--tls");
    env = cluster.env;
    assertThat(env).containsKeys("CLUSTER_CA", "NODE1_CLUSTER_CERT", "NODE2_CLUSTER_URL");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private record Result(int exit, String out) {}

  private static Result exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  @Test
  void objects_writtenThroughEitherNode_haveACopyOnEach_andReadThroughBoth() throws Exception {
    List<byte[]> written = new ArrayList<>();
    try (S3Client s1 = cluster.s3(1, true);
        S3Client s2 = cluster.s3(2, true)) {
      s1.createBucket(b -> b.bucket("tls-bucket"));
      for (int i = 0; i < 4; i++) {
        byte[] content = new byte[100_000 + i];
        new Random(i).nextBytes(content);
        written.add(content);
        String key = "o" + i;
        (i % 2 == 0 ? s1 : s2)
            .putObject(b -> b.bucket("tls-bucket").key(key), RequestBody.fromBytes(content));
      }
      assertThat(cluster.blobsOn(1)).isEqualTo(4);
      assertThat(cluster.blobsOn(2)).isEqualTo(4);
      for (int i = 0; i < written.size(); i++) {
        String key = "o" + i;
        for (S3Client s : List.of(s1, s2)) {
          assertThat(s.getObjectAsBytes(b -> b.bucket("tls-bucket").key(key)).asByteArray())
              .isEqualTo(written.get(i));
        }
      }
    }
  }

  @Test
  void curl_withoutClientCertificate_failsTheHandshake() throws Exception {
    Result r =
        exec(
            "curl",
            "-sS",
            "--cacert",
            env.get("CLUSTER_CA"),
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            env.get("NODE2_CLUSTER_URL") + "/internal/v1/volumes/v2/blobs");
    assertThat(r.exit()).as(r.out()).isNotZero();
    assertThat(r.out()).endsWith("000").containsIgnoringCase("certificate required");
  }

  @Test
  void curl_withANodeCertificate_butNoSignature_getsUnauthorized() throws Exception {
    Result r =
        exec(
            "curl",
            "-sS",
            "--cacert",
            env.get("CLUSTER_CA"),
            "--cert",
            env.get("NODE1_CLUSTER_CERT"),
            "--key",
            env.get("NODE1_CLUSTER_KEY"),
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            env.get("NODE2_CLUSTER_URL") + "/internal/v1/volumes/v2/blobs");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).isEqualTo("401");
  }
}
