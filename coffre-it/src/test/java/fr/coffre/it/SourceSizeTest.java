package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue #18's limits on the shape of the code, checked: no main source file over 600 lines, and the
 * composition root under 300. A class that grows past them is split by responsibility.
 */
class SourceSizeTest {
  private static final int MAX_LINES = 600;
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void noMainSourceFileOver600Lines() throws IOException {
    List<String> tooLong;
    try (Stream<Path> modules = Files.list(ROOT)) {
      tooLong =
          modules
              .map(m -> m.resolve("src/main/java"))
              .filter(Files::isDirectory)
              .flatMap(SourceSizeTest::walk)
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> lines(p) > MAX_LINES)
              .map(p -> ROOT.relativize(p) + " (" + lines(p) + " lines)")
              .toList();
    }
    assertThat(tooLong).as("main source files over 600 lines").isEmpty();
  }

  @Test
  void compositionRootUnder300Lines() {
    Path root = ROOT.resolve("coffre-server/src/main/java/fr/coffre/server/CoffreServer.java");
    assertThat(lines(root)).isLessThan(300);
  }

  private static Stream<Path> walk(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long lines(Path p) {
    try (Stream<String> s = Files.lines(p)) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
