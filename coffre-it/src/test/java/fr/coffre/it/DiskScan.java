package fr.coffre.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Looks for bytes in every file under a directory: what a thief with the disk would find. */
final class DiskScan {
  private DiskScan() {}

  /** The files under {@code dir} that contain {@code marker}. */
  static List<Path> filesContaining(Path dir, byte[] marker) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> contains(f, marker)).toList();
    }
  }

  private static boolean contains(Path file, byte[] marker) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      return false; // removed meanwhile
    }
    outer:
    for (int i = 0; i + marker.length <= data.length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (data[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
