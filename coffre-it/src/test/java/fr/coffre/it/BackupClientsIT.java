package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

/**
 * Backup programs against a real server, into the buckets they are meant for: restic (Debian's)
 * into a versioned bucket with a default GOVERNANCE retention of one day, rclone listing old
 * versions with {@code --s3-versions}. Each is skipped when its program is not installed.
 */
class BackupClientsIT {
  private static ServerProcess server;
  private static S3Client s3;
  @TempDir static Path work;

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

  record Result(int code, String output) {}

  private static Result run(Map<String, String> extraEnv, List<String> cmd)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("AWS_CA_BUNDLE"); // a CA bundle makes rclone refuse plain http
    env.put("AWS_ACCESS_KEY_ID", ServerProcess.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", ServerProcess.SECRET_KEY);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.putAll(extraEnv);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private static boolean installed(String program) throws IOException, InterruptedException {
    return run(Map.of(), List.of("sh", "-c", "command -v " + program)).code() == 0;
  }

  private static void randomFile(Path f, int size, int seed) throws IOException {
    Files.createDirectories(f.getParent());
    try (InputStream in = CoreScenariosIT.content(size, seed)) {
      Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Every regular file under {@code root}, by relative path, with its bytes' SHA-256. */
  private static Map<String, String> tree(Path root) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), CoreScenariosIT.sha256(Files.newInputStream(p)));
      }
    }
    return files;
  }

  @Test
  void restic_initBackupTwiceRestoreAndCheck_intoALockedVersionedBucket() throws Exception {
    assumeTrue(installed("restic"), "restic is not installed");
    String bucket = "restic-locked";
    s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    s3.putObjectLockConfiguration(
        b ->
            b.bucket(bucket)
                .objectLockConfiguration(
                    c ->
                        c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                            .rule(
                                r ->
                                    r.defaultRetention(
                                        d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
    Map<String, String> env =
        Map.of(
            "RESTIC_REPOSITORY",
            "s3:" + server.endpoint() + "/" + bucket,
            "RESTIC_PASSWORD",
            "coffre-it-restic-password",
            "RESTIC_CACHE_DIR",
            work.resolve("restic-cache").toString());
    Path source = work.resolve("restic-src");
    for (int i = 0; i < 12; i++) {
      randomFile(source.resolve("dir" + (i % 3) + "/file" + i + ".bin"), 3_000 * (i + 1), i);
    }
    randomFile(source.resolve("large.bin"), 12 * 1024 * 1024, 99);

    Result init = run(env, List.of("restic", "init"));
    assertThat(init.code()).as(init.output()).isZero();
    Result first = run(env, List.of("restic", "backup", "--host", "it", source.toString()));
    assertThat(first.code()).as(first.output()).isZero();

    // Change, add and remove files; the second backup stores only what changed.
    randomFile(source.resolve("dir0/file0.bin"), 5_000, 1000);
    randomFile(source.resolve("new/added.bin"), 40_000, 1001);
    Files.delete(source.resolve("dir1/file1.bin"));
    Result second = run(env, List.of("restic", "backup", "--host", "it", source.toString()));
    assertThat(second.code()).as(second.output()).isZero();
    assertThat(second.output()).containsPattern("Files:\\s+1 new,\\s+1 changed");

    Result snapshots = run(env, List.of("restic", "snapshots", "--json"));
    assertThat(snapshots.code()).as(snapshots.output()).isZero();
    assertThat(Pattern.compile("\"short_id\"").matcher(snapshots.output()).results().count())
        .isEqualTo(2);

    Path target = work.resolve("restic-restore");
    Result restore =
        run(env, List.of("restic", "restore", "latest", "--target", target.toString()));
    assertThat(restore.code()).as(restore.output()).isZero();
    // restic restores the absolute path under the target.
    Path restored = target.resolve(source.toAbsolutePath().toString().substring(1));
    assertThat(tree(restored)).isEqualTo(tree(source));

    Result check = run(env, List.of("restic", "check", "--read-data"));
    assertThat(check.code()).as(check.output()).isZero();
    assertThat(check.output()).contains("no errors were found");

    // What restic wrote is under the bucket's default retention; its deleted lock files are
    // delete markers over versions that are still there.
    var versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix("data/").maxKeys(1));
    String key = versions.versions().get(0).key();
    var head = s3.headObject(b -> b.bucket(bucket).key(key));
    assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
    assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix("locks/")).deleteMarkers())
        .isNotEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("locks/")).contents()).isEmpty();
  }

  @Test
  void rclone_s3Versions_listsAndReadsTheOldVersions() throws Exception {
    assumeTrue(installed("rclone"), "rclone is not installed");
    String bucket = "rclone-versions";
    s3.createBucket(b -> b.bucket(bucket));
    s3.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    Path conf = work.resolve("rclone.conf");
    Files.writeString(
        conf,
        "[coffre]\ntype = s3\nprovider = Other\naccess_key_id = "
            + ServerProcess.ACCESS_KEY
            + "\nsecret_access_key = "
            + ServerProcess.SECRET_KEY
            + "\nendpoint = "
            + server.endpoint()
            + "\nregion = us-east-1\n");
    List<String> base = List.of("rclone", "--config", conf.toString());
    Path local = work.resolve("rclone-src/report.txt");
    Files.createDirectories(local.getParent());
    for (String content : List.of("first draft\n", "final version, longer\n")) {
      Files.writeString(local, content);
      List<String> copy = new ArrayList<>(base);
      copy.addAll(List.of("copyto", local.toString(), "coffre:" + bucket + "/report.txt"));
      Result r = run(Map.of(), copy);
      assertThat(r.code()).as(r.output()).isZero();
    }
    s3.putObject(b -> b.bucket(bucket).key("other.txt"), RequestBody.fromString("alone"));

    List<String> plain = new ArrayList<>(base);
    plain.addAll(List.of("lsl", "coffre:" + bucket));
    Result current = run(Map.of(), plain);
    assertThat(current.code()).as(current.output()).isZero();
    assertThat(current.output()).contains("report.txt", "other.txt").doesNotContain("-v20");

    List<String> withVersions = new ArrayList<>(base);
    withVersions.addAll(List.of("lsl", "--s3-versions", "coffre:" + bucket));
    Result all = run(Map.of(), withVersions);
    assertThat(all.code()).as(all.output()).isZero();
    Matcher old =
        Pattern.compile("(report-v\\d{4}-\\d{2}-\\d{2}-\\d{6}-\\d{3}\\.txt)").matcher(all.output());
    assertThat(old.find()).as(all.output()).isTrue();
    String oldName = old.group(1);
    assertThat(all.output()).contains(" report.txt", "other.txt");
    assertThat(all.output().lines().filter(l -> l.contains("-v20")).count()).isEqualTo(1);

    List<String> cat = new ArrayList<>(base);
    cat.addAll(List.of("cat", "--s3-versions", "coffre:" + bucket + "/" + oldName));
    Result oldContent = run(Map.of(), cat);
    assertThat(oldContent.code()).as(oldContent.output()).isZero();
    assertThat(oldContent.output()).isEqualTo("first draft\n");
  }
}
