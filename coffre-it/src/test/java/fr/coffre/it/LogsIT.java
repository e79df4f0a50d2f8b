package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * With COFFRE_LOG_FORMAT=json every log line is a JSON object, and COFFRE_ACCESS_LOG=INFO adds one
 * line per request with its id, operation, bucket, status, duration and bytes; the secret key and
 * object content never appear.
 */
class LogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, String> fields(JsonNode line) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode kv : line.path("kvpList")) {
      kv.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  @Test
  void jsonLogs_oneLinePerRequest_withoutSecretsOrContent() throws Exception {
    String content = "confidential medical record 4711";
    ServerProcess server =
        ServerProcess.startWithEnv(
            Map.of("COFFRE_LOG_FORMAT", "json", "COFFRE_ACCESS_LOG", "INFO"));
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      s3.createBucket(b -> b.bucket("logged"));
      s3.putObject(b -> b.bucket("logged").key("record.txt"), RequestBody.fromString(content));
      s3.getObjectAsBytes(b -> b.bucket("logged").key("record.txt"));
    } finally {
      server.close();
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(server.log())) {
      if (!line.isBlank() && !line.startsWith("WARNING")) {
        lines.add(JSON.readTree(line));
      }
    }
    List<Map<String, String>> requests =
        lines.stream()
            .filter(l -> l.path("loggerName").asText().equals("coffre.access"))
            .map(LogsIT::fields)
            .toList();
    assertThat(requests)
        .extracting(r -> r.get("operation"))
        .contains("CreateBucket", "PutObject", "GetObject");
    Map<String, String> put =
        requests.stream()
            .filter(r -> "PutObject".equals(r.get("operation")))
            .findFirst()
            .orElseThrow();
    assertThat(put)
        .containsEntry("bucket", "logged")
        .containsEntry("status", "200")
        .containsEntry("method", "PUT")
        .containsKeys("requestId", "durationMs", "bytesIn", "bytesOut");
    assertThat(Long.parseLong(put.get("bytesIn"))).isGreaterThanOrEqualTo(content.length());
    String all = Files.readString(server.log());
    assertThat(all).doesNotContain(ServerProcess.SECRET_KEY).doesNotContain(content);
  }
}
