package fr.coffre.migrate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bucket's versions as JSON Lines, one {@link ObjectEntry} a line: streamable, and appendable
 * while an export runs. A last line cut by a crash is ignored (its object is fetched again).
 */
final class ObjectsFile {
  private ObjectsFile() {}

  static List<ObjectEntry> read(Path file) throws IOException {
    List<ObjectEntry> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line; (line = in.readLine()) != null; ) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(Json.MAPPER.readValue(line, ObjectEntry.class));
        } catch (IOException e) {
          if (file.getFileName().toString().endsWith(ExportLayout.OBJECTS_PARTIAL_FILE)) {
            continue; // a line an interrupted run did not finish
          }
          throw new ExportException(file + ", line " + number + ": not a version entry", e);
        }
      }
    }
    return out;
  }

  static void write(Path file, List<ObjectEntry> entries) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      for (ObjectEntry e : entries) {
        out.write(Json.MAPPER.writeValueAsBytes(e));
        out.write('\n');
      }
    }
    Json.fsync(tmp);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
