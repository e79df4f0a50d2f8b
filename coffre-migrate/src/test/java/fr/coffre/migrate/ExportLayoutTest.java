package fr.coffre.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExportLayoutTest {
  private static final String NAME = "buckets/[a-z0-9.-]+/content/[0-9a-f]{2}/[0-9a-f]{64}";

  @Test
  void contentPath_anyKey_isAFixedShapeNameInsideTheBucket() {
    List<String> keys =
        List.of(
            "plain.txt",
            "../../etc/passwd",
            "..",
            "/leading/slash",
            "a//b/./c",
            "dir/ünïcødé 🎉.txt",
            "x".repeat(1024),
            "nul\0byte",
            "back\\slash",
            "CON",
            "trailing/");
    Path root = Path.of("/export");
    ExportLayout layout = new ExportLayout(root);
    for (String key : keys) {
      String path = ExportLayout.contentPath("docs", key, "v1");
      assertThat(path).as(key).matches(NAME).startsWith("buckets/docs/content/");
      assertThat(layout.resolve(path).startsWith(root)).as(key).isTrue();
    }
  }

  @Test
  void contentPath_distinguishesBucketKeyAndVersion_andIsStable() {
    Set<String> paths = new HashSet<>();
    paths.add(ExportLayout.contentPath("docs", "a", "v1"));
    paths.add(ExportLayout.contentPath("docs", "a", "v2"));
    paths.add(ExportLayout.contentPath("docs", "b", "v1"));
    paths.add(ExportLayout.contentPath("docs2", "a", "v1"));
    // The separator is not something a key can fake: "a\0v" + "1" differs from "a" + "v\01".
    paths.add(ExportLayout.contentPath("docs", "a\0v", "1"));
    assertThat(paths).hasSize(5);
    assertThat(ExportLayout.contentPath("docs", "a", "v1"))
        .isEqualTo(ExportLayout.contentPath("docs", "a", "v1"));
  }

  @Test
  void bucketDir_validName_isKept_otherwiseHashed() {
    assertThat(ExportLayout.bucketDir("my-bucket.2026")).isEqualTo("buckets/my-bucket.2026");
    assertThat(ExportLayout.bucketDir("..")).matches("buckets/_[0-9a-f]{32}");
    assertThat(ExportLayout.bucketDir("a..b")).matches("buckets/_[0-9a-f]{32}");
    assertThat(ExportLayout.bucketDir("Upper_Case")).matches("buckets/_[0-9a-f]{32}");
  }

  @Test
  void resolve_aPathLeavingTheExport_isRefused() {
    ExportLayout layout = new ExportLayout(Path.of("/export"));
    assertThatThrownBy(() -> layout.resolve("buckets/../../etc/passwd"))
        .isInstanceOf(ExportException.class)
        .hasMessageContaining("leaves its directory");
  }
}
