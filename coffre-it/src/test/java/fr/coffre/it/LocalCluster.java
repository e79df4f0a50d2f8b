package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A cluster started by {@code scripts/local-cluster} for the cluster ITs: its directory, the
 * variables the script keeps in {@code DIR/cluster.env} (the lines it prints), S3 clients per node
 * and the blob files on each node's volume.
 */
final class LocalCluster implements AutoCloseable {
  final Path dir;
  final Map<String, String> env;

  private LocalCluster(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  static Path repo() {
    return Path.of("").toAbsolutePath().getParent();
  }

  /** {@code scripts/local-cluster start DIR NODES ARGS...} in a new directory under the IT work. */
  static LocalCluster start(String prefix, int nodes, String... args) throws Exception {
    return start(prefix, nodes, Map.of(), args);
  }

  /** As {@link #start(String, int, String...)}, the script run with {@code environment} added. */
  static LocalCluster start(
      String prefix, int nodes, Map<String, String> environment, String... args) throws Exception {
    Path work = Path.of(System.getProperty("coffre.it.workdir", "target/it-work"));
    Files.createDirectories(work);
    Path dir = Files.createTempDirectory(work.toAbsolutePath(), prefix);
    List<String> start = new ArrayList<>(List.of("start", dir.toString(), Integer.toString(nodes)));
    start.addAll(List.of(args));
    script(environment, start.toArray(String[]::new));
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve("cluster.env"))) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[A-Z0-9_]+")) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new LocalCluster(dir, env);
  }

  /** Runs {@code scripts/local-cluster SUBCOMMAND DIR} (pg-stop, pg-start...). */
  void run(String subcommand) throws IOException, InterruptedException {
    script(Map.of(), subcommand, dir.toString());
  }

  private static void script(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(repo().resolve("scripts/local-cluster").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(environment);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("local-cluster " + args[0] + ":\n" + out).isZero();
  }

  /** An S3 client of node {@code i} with the root credentials; {@code retries}: the SDK's own. */
  S3Client s3(int i, boolean retries) {
    return s3(i, retries, null);
  }

  /**
   * As {@link #s3(int, boolean)}, waiting up to {@code readTimeout} for an answer (null: the SDK's
   * default, 30 s).
   */
  S3Client s3(int i, boolean retries, Duration readTimeout) {
    return S3Client.builder()
        .httpClientBuilder(
            readTimeout == null
                ? Apache5HttpClient.builder()
                : Apache5HttpClient.builder().socketTimeout(readTimeout))
        .endpointOverride(URI.create(env.get("NODE" + i + "_URL")))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(env.get("AK"), env.get("SK"))))
        .forcePathStyle(true)
        .overrideConfiguration(
            o -> {
              if (!retries) {
                o.retryStrategy(DefaultRetryStrategy.doNotRetry());
              }
            })
        .build();
  }

  /** A call to node {@code i}'s admin API with its admin token; {@code json} may be null. */
  HttpResponse<String> admin(int i, String method, String path, String json)
      throws IOException, InterruptedException {
    String token =
        Files.readString(Path.of(env.get("NODE" + i + "_DATA")).resolve("admin-token")).strip();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(
                  URI.create(env.get("NODE" + i + "_ADMIN_URL") + "/admin/v1" + path))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Committed blob files on node {@code i}'s volume {@code vI}. */
  long blobsOn(int i) throws IOException {
    Path blobs = dir.resolve("node" + i).resolve("v" + i).resolve("blobs");
    if (!Files.isDirectory(blobs)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(blobs)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("stop");
  }
}
