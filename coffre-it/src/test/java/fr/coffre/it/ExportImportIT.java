package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Reversibility with the real command line: {@code coffre export} from one Coffre, {@code coffre
 * export verify}, {@code coffre import} into a second Coffre (everything compared: versions in
 * order, delete markers, content, metadata, tags, retention, legal holds, bucket settings) and into
 * S3Proxy (content and metadata kept, its refusals in the report); an export interrupted and
 * resumed without fetching again; a tampered export that verify rejects.
 */
class ExportImportIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LONG_KEY = "long/" + "x".repeat(900);
  private static final String UNICODE_KEY = "dir/ünïcødé 🎉 ø.txt";
  private static final String DOTS_KEY = "../passwd";
  private static final Instant RETAIN_UNTIL =
      Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);

  private static ServerProcess source;
  private static ServerProcess target;
  private static S3Client src;
  private static S3Client dst;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    source = ServerProcess.start("384m");
    target = ServerProcess.start("384m");
    src = S3Clients.modern(source.endpoint());
    dst = S3Clients.modern(target.endpoint());
    populate(src);
  }

  @AfterAll
  static void stop() {
    if (src != null) {
      src.close();
      dst.close();
    }
    if (source != null) {
      source.close();
    }
    if (target != null) {
      target.close();
    }
  }

  private static void pause() throws InterruptedException {
    Thread.sleep(15); // versions of one key a few milliseconds apart, as users make them
  }

  private static void populate(S3Client s3) throws Exception {
    s3.createBucket(b -> b.bucket("docs"));
    s3.putBucketVersioning(
        b ->
            b.bucket("docs")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    s3.putObject(
        b ->
            b.bucket("docs")
                .key("report.txt")
                .contentType("text/plain")
                .metadata(Map.of("author", "alice")),
        RequestBody.fromString("first draft"));
    pause();
    s3.putObject(
        b ->
            b.bucket("docs")
                .key("report.txt")
                .contentType("text/markdown")
                .cacheControl("max-age=60")
                .contentDisposition("attachment; filename=\"r.md\"")
                .contentLanguage("fr")
                .metadata(Map.of("author", "bob", "stage", "final"))
                .tagging("team=legal&year=2026"),
        RequestBody.fromString("# final report"));
    pause();
    s3.putObject(b -> b.bucket("docs").key("gone.txt"), RequestBody.fromString("bye"));
    pause();
    s3.deleteObject(b -> b.bucket("docs").key("gone.txt"));
    pause();
    s3.putObject(b -> b.bucket("docs").key("back.txt"), RequestBody.fromString("one"));
    pause();
    s3.deleteObject(b -> b.bucket("docs").key("back.txt"));
    pause();
    s3.putObject(b -> b.bucket("docs").key("back.txt"), RequestBody.fromString("two"));
    for (String key : List.of(DOTS_KEY, UNICODE_KEY, LONG_KEY, "a//b/./c", "x/../y.txt", "..")) {
      s3.putObject(
          b -> b.bucket("docs").key(key).contentType("application/octet-stream"),
          RequestBody.fromString("content of " + key));
    }
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(7).nextBytes(big);
    s3.putObject(b -> b.bucket("docs").key("big.bin"), RequestBody.fromBytes(big));
    s3.putBucketCors(
        b ->
            b.bucket("docs")
                .corsConfiguration(
                    c ->
                        c.corsRules(
                            CORSRule.builder()
                                .allowedOrigins("https://app.example.fr")
                                .allowedMethods("GET", "PUT")
                                .allowedHeaders("*")
                                .maxAgeSeconds(600)
                                .build())));
    s3.putBucketTagging(
        b ->
            b.bucket("docs")
                .tagging(
                    t ->
                        t.tagSet(
                            Tag.builder().key("owner").value("legal").build(),
                            Tag.builder().key("cost").value("42").build())));
    s3.putBucketLifecycleConfiguration(
        b ->
            b.bucket("docs")
                .lifecycleConfiguration(
                    l ->
                        l.rules(
                            LifecycleRule.builder()
                                .id("tmp")
                                .status(ExpirationStatus.ENABLED)
                                .filter(f -> f.prefix("tmp/"))
                                .expiration(e -> e.days(30))
                                .build())));

    s3.createBucket(b -> b.bucket("locked").objectLockEnabledForBucket(true));
    s3.putObject(
        b ->
            b.bucket("locked")
                .key("contract.pdf")
                .objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(RETAIN_UNTIL),
        RequestBody.fromString("signed"));
    s3.putObject(
        b ->
            b.bucket("locked")
                .key("evidence.bin")
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
        RequestBody.fromString("exhibit A"));
    s3.putObjectLockConfiguration(
        b ->
            b.bucket("locked")
                .objectLockConfiguration(
                    c ->
                        c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                            .rule(
                                r ->
                                    r.defaultRetention(
                                        d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));

    s3.createBucket(b -> b.bucket("plain"));
    s3.putObject(
        b -> b.bucket("plain").key("hello.txt").contentType("text/plain"),
        RequestBody.fromString("hello"));
    s3.putObject(b -> b.bucket("plain").key("public/logo.svg"), RequestBody.fromString("<svg/>"));
    s3.putBucketPolicy(
        b ->
            b.bucket("plain")
                .policy(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"public\","
                        + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"arn:aws:s3:::plain/public/*\"}]}"));
  }

  // --- the command line, as a user runs it ---

  private static Map<String, String> env(String access, String secret) {
    return Map.of(
        "AWS_ACCESS_KEY_ID", access,
        "AWS_SECRET_ACCESS_KEY", secret,
        "AWS_CONFIG_FILE", "/nonexistent/config",
        "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials",
        "AWS_EC2_METADATA_DISABLED", "true");
  }

  private static ServerProcess.Admin coffre(String... args) throws Exception {
    return ServerProcess.cli(env(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY), args);
  }

  private static ServerProcess.Admin export(Path dir, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("export", "--endpoint", source.endpoint().toString(), "--out", dir.toString()));
    args.addAll(List.of(more));
    return coffre(args.toArray(String[]::new));
  }

  // --- the tests ---

  @Test
  void export_thenImportIntoAnotherCoffre_keepsEverything() throws Exception {
    Path dir = work.resolve("full");
    ServerProcess.Admin exported = export(dir);
    assertThat(exported.status()).as(exported.body()).isZero();
    assertThat(exported.body()).contains("exported 3 buckets");

    ServerProcess.Admin verified = coffre("export", "verify", dir.toString());
    assertThat(verified.status()).as(verified.body()).isZero();
    assertThat(verified.body()).contains("intact");

    // Keys never become paths: nothing under the export is named after one.
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(p -> dir.relativize(p).toString()))
          .noneMatch(p -> p.contains("passwd") || p.contains("ünïcødé") || p.contains("xxxx"));
    }

    ServerProcess.Admin imported =
        ServerProcess.cli(
            env(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY),
            "import",
            "--endpoint",
            target.endpoint().toString(),
            "--in",
            dir.toString(),
            "--bucket-map",
            "plain=plain-copy");
    assertThat(imported.status()).as(imported.body()).isZero();

    for (String[] pair :
        new String[][] {{"docs", "docs"}, {"locked", "locked"}, {"plain", "plain-copy"}}) {
      boolean lock = pair[0].equals("locked");
      List<String> before = BucketSnapshot.versions(src, pair[0], lock);
      assertThat(BucketSnapshot.versions(dst, pair[1], lock)).as(pair[0]).isEqualTo(before);
      assertThat(BucketSnapshot.settings(dst, pair[1]).replace("plain-copy", "plain"))
          .as(pair[0])
          .isEqualTo(BucketSnapshot.settings(src, pair[0]));
    }
    // The comparison saw what it should: delete markers, a locked and a held version.
    assertThat(BucketSnapshot.versions(dst, "docs", false))
        .anyMatch(r -> r.startsWith("gone.txt DELETE-MARKER latest=true"))
        .anyMatch(r -> r.startsWith("back.txt DELETE-MARKER latest=false"))
        .anyMatch(r -> r.startsWith(UNICODE_KEY + " "))
        .anyMatch(r -> r.startsWith(LONG_KEY + " "));
    assertThat(BucketSnapshot.versions(dst, "locked", true))
        .anyMatch(r -> r.contains("retention=GOVERNANCE " + RETAIN_UNTIL))
        .anyMatch(r -> r.contains("hold=ON"));
    assertThat(BucketSnapshot.settings(dst, "docs")).contains("app.example.fr", "owner", "tmp/");

    // Again: nothing imported twice.
    List<String> after = BucketSnapshot.versions(dst, "docs", false);
    ServerProcess.Admin again =
        ServerProcess.cli(
            env(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY),
            "import",
            "--endpoint",
            target.endpoint().toString(),
            "--in",
            dir.toString(),
            "--bucket-map",
            "plain=plain-copy");
    assertThat(again.status()).as(again.body()).isZero();
    assertThat(again.body()).contains(": 0 versions and delete markers");
    assertThat(BucketSnapshot.versions(dst, "docs", false)).isEqualTo(after);
  }

  @Test
  void importIntoS3Proxy_keepsContentAndMetadata_andReportsWhatItRefused() throws Exception {
    Path dir = work.resolve("to-s3proxy");
    ServerProcess.Admin exported = export(dir, "--bucket", "docs", "--bucket", "plain");
    assertThat(exported.status()).as(exported.body()).isZero();

    try (S3ProxyProcess proxy = S3ProxyProcess.start(Files.createDirectories(work.resolve("sp")));
        S3Client foreign =
            S3Client.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY)))
                .build()) {
      ServerProcess.Admin imported =
          ServerProcess.cli(
              env(S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY),
              "import",
              "--endpoint",
              proxy.endpoint().toString(),
              "--in",
              dir.toString());
      // S3Proxy's in-memory backend has no versions, CORS or lifecycle of its own: refused, said.
      assertThat(imported.status()).as(imported.body()).isEqualTo(2);
      System.out.println("S3Proxy import: " + imported.body());
      JsonNode report = JSON.readTree(dir.resolve("import-report.json").toFile());
      assertThat(report.path("refusals").size()).isPositive();
      Set<String> refusedKeys = new HashSet<>();
      for (JsonNode r : report.path("refusals")) {
        assertThat(imported.body()).contains(r.path("operation").asText());
        if (r.path("operation").asText().equals("putObject")) {
          refusedKeys.add(r.path("key").asText());
        }
      }
      // S3Proxy refuses keys with dot segments (400): said, for each.
      assertThat(refusedKeys).contains(DOTS_KEY, "x/../y.txt", "..");

      // Every key's current version is there, with its bytes and metadata.
      for (String bucket : List.of("docs", "plain")) {
        for (var page : src.listObjectsV2Paginator(b -> b.bucket(bucket))) {
          for (var o : page.contents()) {
            if (refusedKeys.contains(o.key())) {
              continue;
            }
            ResponseBytes<GetObjectResponse> want =
                src.getObjectAsBytes(b -> b.bucket(bucket).key(o.key()));
            ResponseBytes<GetObjectResponse> got =
                foreign.getObjectAsBytes(b -> b.bucket(bucket).key(o.key()));
            assertThat(got.asByteArray()).as(o.key()).isEqualTo(want.asByteArray());
            // S3Proxy's Jetty rewrites "text/plain; charset=UTF-8" as "text/plain;charset=utf-8".
            assertThat(mediaType(got.response().contentType()))
                .as(o.key())
                .isEqualTo(mediaType(want.response().contentType()));
            assertThat(got.response().metadata()).as(o.key()).isEqualTo(want.response().metadata());
          }
        }
      }
      // A key whose current state is a delete marker is absent there too.
      assertThat(
              foreign.listObjectsV2(b -> b.bucket("docs")).contents().stream()
                  .map(o -> o.key())
                  .toList())
          .doesNotContain("gone.txt")
          .contains("back.txt", "report.txt");
    }
  }

  private static String mediaType(String contentType) {
    return contentType.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
  }

  private static final Pattern COUNTS =
      Pattern.compile("(\\d+) objects fetched \\(\\d+ bytes\\), (\\d+) already there");

  @Test
  void interruptedExport_resumes_withoutFetchingAgain() throws Exception {
    Path dir = work.resolve("interrupted");
    ServerProcess.Admin first = export(dir, "--bucket", "docs", "--max-objects", "3");
    assertThat(first.status()).as(first.body()).isEqualTo(3);
    assertThat(first.body()).contains("stopped after 3 objects");
    assertThat(dir.resolve("manifest.json")).doesNotExist();
    ServerProcess.Admin incomplete = coffre("export", "verify", dir.toString());
    assertThat(incomplete.status()).isEqualTo(1);
    assertThat(incomplete.body()).contains("manifest.json: missing");

    Map<Path, FileTime> fetchedFirst = contentFiles(dir);
    assertThat(fetchedFirst).hasSize(3);

    ServerProcess.Admin second = export(dir);
    assertThat(second.status()).as(second.body()).isZero();
    Matcher m = COUNTS.matcher(second.body());
    assertThat(m.find()).as(second.body()).isTrue();
    int total =
        BucketSnapshot.versions(src, "docs", false).stream()
                .filter(r -> !r.contains("DELETE-MARKER"))
                .toList()
                .size()
            + BucketSnapshot.versions(src, "locked", false).size()
            + BucketSnapshot.versions(src, "plain", false).size();
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(total - 3);
    Map<Path, FileTime> all = contentFiles(dir);
    assertThat(all).hasSize(total);
    fetchedFirst.forEach((p, t) -> assertThat(all.get(p)).as(p.toString()).isEqualTo(t));
    assertThat(coffre("export", "verify", dir.toString()).status()).isZero();

    // Once more: nothing to fetch.
    ServerProcess.Admin third = export(dir);
    assertThat(third.status()).as(third.body()).isZero();
    assertThat(third.body()).contains(" 0 objects fetched (0 bytes)");
  }

  @Test
  void interruptedImport_resumes_withoutImportingTwice() throws Exception {
    Path dir = work.resolve("import-interrupted");
    assertThat(export(dir, "--bucket", "docs").status()).isZero();
    String[] args = {
      "import",
      "--endpoint",
      target.endpoint().toString(),
      "--in",
      dir.toString(),
      "--bucket-map",
      "docs=docs-resumed"
    };
    List<String> first = new ArrayList<>(List.of(args));
    first.addAll(List.of("--max-objects", "4"));
    ServerProcess.Admin stopped = coffre(first.toArray(String[]::new));
    assertThat(stopped.status()).as(stopped.body()).isEqualTo(3);
    assertThat(stopped.body()).contains("stopped after 4 versions");

    ServerProcess.Admin resumed = coffre(args);
    assertThat(resumed.status()).as(resumed.body()).isZero();
    assertThat(resumed.body()).contains(", 4 already imported");
    assertThat(BucketSnapshot.versions(dst, "docs-resumed", false))
        .isEqualTo(BucketSnapshot.versions(src, "docs", false));
  }

  private static Map<Path, FileTime> contentFiles(Path dir) throws IOException {
    Map<Path, FileTime> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (dir.relativize(p).toString().contains("/content/")) {
          out.put(p, Files.getLastModifiedTime(p));
        }
      }
    }
    return out;
  }

  @Test
  void tamperedExport_failsVerify_namingEachFile() throws Exception {
    Path dir = work.resolve("tampered");
    ServerProcess.Admin exported = export(dir, "--bucket", "plain", "--bucket", "docs");
    assertThat(exported.status()).as(exported.body()).isZero();
    List<Path> content = new ArrayList<>(contentFiles(dir).keySet());
    Path changed = content.get(0);
    Path removed = content.get(1);
    byte[] bytes = Files.readAllBytes(changed);
    bytes[0] ^= 1;
    Files.write(changed, bytes);
    Files.delete(removed);
    Files.writeString(dir.resolve("buckets/plain/stray.txt"), "not exported");

    ServerProcess.Admin verified = coffre("export", "verify", dir.toString());
    assertThat(verified.status()).isEqualTo(1);
    assertThat(verified.body())
        .contains("3 problems")
        .contains(dir.relativize(changed) + ": SHA-256")
        .contains(dir.relativize(removed) + ": missing")
        .contains("buckets/plain/stray.txt: not in the manifest");
    assertThat(new String(Files.readAllBytes(dir.resolve("manifest.json")), StandardCharsets.UTF_8))
        .contains("\"format\" : \"coffre-export/1\"");
  }
}
