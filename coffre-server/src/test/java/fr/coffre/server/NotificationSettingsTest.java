package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationSettingsTest {
  @TempDir Path dir;

  private ServerConfig resolve(String yaml) throws Exception {
    Path f = dir.resolve("coffre.yaml");
    Files.writeString(f, "data: " + dir.resolve("data") + "\n" + yaml);
    return new Settings(Map.of(), Map.of(), ConfigFile.load(f), f.toString()).resolve();
  }

  @Test
  void targets_areReadFromTheNotificationsSection() throws Exception {
    Path secret = Files.writeString(dir.resolve("hook.secret"), "0123456789abcdef0123\n");
    ServerConfig c =
        resolve(
            """
            notifications:
              max-backoff: 30s
              targets:
                - {name: audit-hook, url: "https://hooks.ville.example/s3", secret-file: %s}
                - {name: local, url: "http://127.0.0.1:9000/in", secret-file: %s}
            """
                .formatted(secret, secret));
    assertThat(c.notifications().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.notifications().targets())
        .extracting(WebhookTarget::name, WebhookTarget::url)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "audit-hook", URI.create("https://hooks.ville.example/s3")),
            org.assertj.core.groups.Tuple.tuple("local", URI.create("http://127.0.0.1:9000/in")));
  }

  @Test
  void noSection_meansNoTarget() throws Exception {
    assertThat(resolve("").notifications().targets()).isEmpty();
  }

  @Test
  void plainHttpBeyondLoopback_isRefused() throws Exception {
    Path secret = Files.writeString(dir.resolve("hook.secret"), "0123456789abcdef0123");
    assertThatThrownBy(
            () ->
                resolve(
                    "notifications: {targets: [{name: h, url: 'http://hooks.example/', secret-file: %s}]}"
                        .formatted(secret)))
        .hasMessageContaining("notifications.targets[h].url")
        .hasMessageContaining("loopback");
  }

  @Test
  void missingSecretFileOrDuplicateName_isRefused() throws Exception {
    assertThatThrownBy(
            () ->
                resolve(
                    "notifications: {targets: [{name: h, url: 'https://h.example/', secret-file: /nonexistent}]}"))
        .hasMessageContaining("notifications.targets[h].secret-file");
    Path secret = Files.writeString(dir.resolve("hook.secret"), "0123456789abcdef0123");
    assertThatThrownBy(
            () ->
                resolve(
                    ("notifications: {targets: [{name: h, url: 'https://h.example/', secret-file: %s},"
                            + " {name: h, url: 'https://i.example/', secret-file: %s}]}")
                        .formatted(secret, secret)))
        .hasMessageContaining("'h' is declared twice");
  }
}
