package fr.coffre.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  @TempDir Path dir;

  @BeforeEach
  void anExport() throws Exception {
    Files.createDirectories(dir.resolve("buckets/docs/content/ab"));
    Files.writeString(dir.resolve("export.json"), "{}");
    Files.writeString(dir.resolve("buckets/docs/content/ab/one"), "first");
    Files.writeString(dir.resolve("buckets/docs/content/ab/two"), "second");
    Map<String, Manifest.FileEntry> files = new TreeMap<>();
    for (String rel : Manifest.listedFiles(dir)) {
      files.put(rel, Manifest.hash(dir.resolve(rel)));
    }
    Json.writeAtomically(
        dir.resolve(ExportLayout.MANIFEST_FILE),
        new Manifest(ExportLayout.FORMAT, Instant.now().toString(), files));
  }

  @Test
  void verify_intactExport_findsNothing() throws Exception {
    assertThat(Manifest.verify(dir)).isEmpty();
    assertThat(Manifest.read(dir.resolve("manifest.json")).files())
        .containsOnlyKeys(
            "export.json", "buckets/docs/content/ab/one", "buckets/docs/content/ab/two");
  }

  @Test
  void verify_importStateAndReport_areNotPartOfTheExport() throws Exception {
    Files.writeString(dir.resolve(ExportLayout.IMPORT_STATE_FILE), "{}\n");
    Files.writeString(dir.resolve(ExportLayout.IMPORT_REPORT_FILE), "{}");
    assertThat(Manifest.verify(dir)).isEmpty();
  }

  @Test
  void verify_changedByte_sameSize_namesTheFileAndBothHashes() throws Exception {
    Files.writeString(dir.resolve("buckets/docs/content/ab/one"), "firsT");
    assertThat(Manifest.verify(dir))
        .singleElement()
        .asString()
        .startsWith("buckets/docs/content/ab/one: SHA-256 ")
        .contains("manifest says");
  }

  @Test
  void verify_truncatedMissingAndExtraFiles_areEachListed() throws Exception {
    Files.writeString(dir.resolve("buckets/docs/content/ab/one"), "fir");
    Files.delete(dir.resolve("buckets/docs/content/ab/two"));
    Files.writeString(dir.resolve("buckets/docs/extra"), "x");
    assertThat(Manifest.verify(dir))
        .containsExactlyInAnyOrder(
            "buckets/docs/content/ab/one: size 3 bytes, manifest says 5",
            "buckets/docs/content/ab/two: missing",
            "buckets/docs/extra: not in the manifest");
  }

  @Test
  void verify_noManifest_saysTheExportDidNotFinish() throws Exception {
    Files.delete(dir.resolve("manifest.json"));
    assertThat(Manifest.verify(dir)).singleElement().asString().contains("did not finish");
  }

  @Test
  void verify_manifestListingAPathOutsideTheExport_isAProblemNotARead() throws Exception {
    Map<String, Manifest.FileEntry> files = Map.of("../outside", new Manifest.FileEntry(1, "00"));
    Json.writeAtomically(
        dir.resolve("manifest.json"), new Manifest(ExportLayout.FORMAT, "now", files));
    assertThat(Manifest.verify(dir))
        .contains("../outside: listed path leaves the export directory");
  }
}
