package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code limits} section: defaults, the file, the environment, and refusals naming the key. */
class LimitsSettingsTest {
  @TempDir Path dir;

  private ServerConfig.Limits resolve(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("coffre.yaml");
    Files.writeString(f, yaml == null ? "region: us-east-1\n" : yaml);
    return new Settings(Map.of("data", dir.toString()), env, ConfigFile.load(f), f.toString())
        .resolve()
        .limits();
  }

  @Test
  void nothingSet_givesTheDocumentedDefaults() throws Exception {
    ServerConfig.Limits l = resolve(null, Map.of());
    assertThat(l).isEqualTo(ServerConfig.Limits.DEFAULTS);
    assertThat(l.headerTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(l.maxHeaderSize()).isEqualTo(64 * 1024);
    assertThat(l.volumeReserve().floor(1000)).isEqualTo(50);
  }

  @Test
  void fileAndEnvironment_setEachLimit_theEnvironmentWinning() throws Exception {
    ServerConfig.Limits l =
        resolve(
            """
            limits:
              header-timeout: 5s
              idle-timeout: 1m
              max-connections: 500
              max-connections-per-address: 20
              max-requests-per-address: 10
              max-header-size: 16KiB
              max-header-count: 50
              max-url-length: 4096
              volume-reserve: 2GiB
            """,
            Map.of("COFFRE_LIMITS_MAX_REQUESTS_PER_ADDRESS", "7"));
    assertThat(l)
        .isEqualTo(
            new ServerConfig.Limits(
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                500,
                20,
                7,
                16 * 1024,
                50,
                4096,
                new VolumeSpace.Reserve(0, 2L << 30)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "header timeout under a second | header-timeout: 0s           | limits.header-timeout",
        "idle timeout not a duration   | idle-timeout: soon           | limits.idle-timeout",
        "negative connection cap       | max-connections: -1          | limits.max-connections",
        "cap not a number              | max-requests-per-address: x  | limits.max-requests-per-address",
        "header size under 8 KiB       | max-header-size: 1KiB        | limits.max-header-size",
        "header size not a size        | max-header-size: big         | limits.max-header-size",
        "reserve of everything         | volume-reserve: 100%         | limits.volume-reserve",
        "reserve not a size            | volume-reserve: lots         | limits.volume-reserve",
      })
  void badValue_isRefused_namingItsKey(String why, String line, String key) {
    assertThatThrownBy(() -> resolve("limits:\n  " + line + "\n", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key);
  }

  @Test
  void unknownKey_inTheSection_isRefused() {
    assertThatThrownBy(() -> resolve("limits:\n  max-conections: 5\n", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-conections");
  }
}
