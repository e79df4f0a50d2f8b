package fr.coffre.migrate;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What imports from an export directory have done, as JSON Lines in {@code import-state.jsonl}: one
 * line per version imported into a target (endpoint and bucket), with what the target refused for
 * it. A later run skips those versions, so an import is resumable and idempotent.
 */
final class ImportState implements Closeable {
  /** One imported version. */
  record Done(String target, String bucket, String key, String versionId, List<Refusal> refusals) {}

  private final Map<String, Done> done = new HashMap<>();
  private final BufferedWriter out;

  ImportState(Path file, String target) throws IOException {
    if (Files.exists(file)) {
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.isBlank()) {
            continue;
          }
          Done d;
          try {
            d = Json.MAPPER.readValue(line, Done.class);
          } catch (IOException e) {
            continue; // a line cut by an interrupted run: that version is imported again
          }
          if (d.target().equals(target)) {
            done.put(id(d.bucket(), d.key(), d.versionId()), d);
          }
        }
      }
    }
    out =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String id(String bucket, String key, String versionId) {
    return bucket + '\0' + key + '\0' + versionId;
  }

  @org.jspecify.annotations.Nullable
  Done get(String bucket, String key, String versionId) {
    return done.get(id(bucket, key, versionId));
  }

  void record(Done d) throws IOException {
    done.put(id(d.bucket(), d.key(), d.versionId()), d);
    out.write(Json.MAPPER.writeValueAsString(d));
    out.newLine();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
