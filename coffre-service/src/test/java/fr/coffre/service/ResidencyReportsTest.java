package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.WriteCondition;
import fr.coffre.crypto.SigningKey;
import fr.coffre.service.MultipartService.CompletedPart;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidencyReportsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private ResidencyReports reports;

  @BeforeEach
  void open() throws Exception {
    f = ServiceFixture.open(dir);
    SigningKey signing = SigningKey.openOrCreate(dir.resolve("keys"), f.rootKey);
    reports = new ResidencyReports(f.metadata, f.blobs, f.placement, () -> signing, f.clock);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  @Test
  void report_multipartObject_countsOneCopyPerVolume_notOnePerPart() throws Exception {
    BucketName bucket = f.bucket("scans");
    f.put(bucket, "small.pdf", "one blob".getBytes());
    ObjectKey key = new ObjectKey("big.iso");
    String id = f.multipart.create(bucket, key, ObjectAttributes.EMPTY, null, null);
    List<CompletedPart> parts = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      byte[] part = randomBytes(n < 3 ? (int) MultipartService.MIN_PART_SIZE : 1000, n);
      ETag etag =
          f.multipart.uploadPart(
              bucket, key, id, n, new ByteArrayInputStream(part), null, null, null);
      parts.add(new CompletedPart(n, etag.value()));
    }
    f.multipart.complete(bucket, key, id, parts, WriteCondition.NONE, null, null, null);

    JsonNode report = JSON.readTree(reports.report(bucket)).path("report");
    assertThat(report.path("format").asText()).isEqualTo("coffre-residency-report/2");
    JsonNode totals = report.path("totals");
    assertThat(totals.path("objects").asLong()).isEqualTo(2);
    assertThat(totals.path("copies").asLong()).isEqualTo(2); // one volume: one copy of each object
    assertThat(totals.path("copiesBySite").path("local").asInt()).isEqualTo(2);
    for (JsonNode o : report.path("objects")) {
      assertThat(o.path("copies")).hasSize(1);
      assertThat(o.path("copies").get(0).path("volume").asText()).isEqualTo(ServiceFixture.VOLUME);
    }
    JsonNode big =
        report.path("objects").get(0).path("key").asText().equals("big.iso")
            ? report.path("objects").get(0)
            : report.path("objects").get(1);
    assertThat(big.path("blobs")).hasSize(3);
    assertThat(ResidencyReports.verify(reports.report(bucket), null).valid()).isTrue();
  }
}
