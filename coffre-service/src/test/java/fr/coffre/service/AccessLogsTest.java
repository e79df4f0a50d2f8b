package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.BucketName;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access log buffers written as objects of their target bucket, with real stores. */
class AccessLogsTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private BucketName logs;
  private AccessLogs accessLogs;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    logs = f.bucket("logs");
    accessLogs =
        new AccessLogs(f.objects, new AuditService(null, f.metadata, f.identities, true), f.clock);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private List<String> keys() {
    return f.objects.list(logs, new ListQuery("", null, null, 1000)).objects().stream()
        .map(ObjectRecord::key)
        .map(k -> k.value())
        .toList();
  }

  @Test
  void flush_writesOneObjectPerTarget_withTheLinesInOrder() {
    var simple = new AccessLogs.Target("town", logs, "src/", null);
    var partitioned = new AccessLogs.Target("town", logs, "p/", "town/eu/src/");
    accessLogs.append(simple, "line 1");
    accessLogs.append(partitioned, "line A");
    accessLogs.append(simple, "line 2");
    assertThat(accessLogs.pendingLines()).isEqualTo(3);

    accessLogs.flush();

    assertThat(accessLogs.pendingLines()).isZero();
    List<String> keys = keys();
    assertThat(keys).hasSize(2);
    String simpleKey = keys.stream().filter(k -> k.startsWith("src/")).findFirst().orElseThrow();
    assertThat(simpleKey).matches("src/2026-12-01-09-00-00-[0-9A-F]{16}");
    assertThat(new String(f.read(logs, simpleKey), StandardCharsets.UTF_8))
        .isEqualTo("line 1\nline 2\n");
    assertThat(keys)
        .anySatisfy(k -> assertThat(k).matches("p/town/eu/src/2026/12/01/2026-12-01-09-00-00-.*"));
  }

  @Test
  void flush_withNothingBuffered_writesNothing() {
    accessLogs.flush();
    assertThat(keys()).isEmpty();
  }

  @Test
  void flush_toAMissingBucket_dropsTheLines_andKeepsServingOthers() {
    accessLogs.append(new AccessLogs.Target("town", new BucketName("gone"), "", null), "lost");
    accessLogs.append(new AccessLogs.Target("town", logs, "", null), "kept");
    accessLogs.flush();
    assertThat(accessLogs.pendingLines()).isZero();
    assertThat(keys()).hasSize(1);
  }
}
