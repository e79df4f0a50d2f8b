package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.crypto.KeyFileRootKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCredentialsTest {
  @TempDir Path data;

  @Test
  void generatedSecret_isSealedUnderTheRootKey_andTheHandOffFileMayBeDeleted() throws Exception {
    var config = new ServerConfig(data, "127.0.0.1", 0, "us-east-1", null, null, null);
    Files.createDirectories(data.resolve("keys"));
    var root = KeyFileRootKey.openOrCreate(data.resolve("keys/dev-root.key"));
    RootCredentials first = RootCredentials.resolve(config, root, data.resolve("keys"));
    String secret = first.secretKey();
    Path sealed = data.resolve("keys").resolve(RootCredentials.SEALED_NAME);
    assertThat(sealed).exists();
    assertThat(Files.readString(sealed, StandardCharsets.US_ASCII))
        .doesNotContain(secret)
        .contains(first.accessKey());
    assertThat(first.file()).isEqualTo(data.resolve(RootCredentials.FILE_NAME));

    Files.delete(first.file());
    RootCredentials again = RootCredentials.resolve(config, root, data.resolve("keys"));
    assertThat(again.accessKey()).isEqualTo(first.accessKey());
    assertThat(again.secretKey()).isEqualTo(secret);
    assertThat(again.file()).isNull();
    assertThat(data.resolve(RootCredentials.FILE_NAME)).doesNotExist();
  }

  @Test
  void handOffFile_isReadByTheServer_andSourcedByAShell() throws Exception {
    var config = new ServerConfig(data, "127.0.0.1", 0, "us-east-1", null, null, null);
    RootCredentials made = RootCredentials.resolve(config);
    Process sh =
        new ProcessBuilder(
                "sh",
                "-c",
                ". \"$1\" && printf '%s %s' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\"",
                "sh",
                made.file().toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor()).isZero();
    assertThat(out).isEqualTo(made.accessKey() + " " + made.secretKey());
    assertThat(RootCredentials.resolve(config).secretKey()).isEqualTo(made.secretKey());
  }

  @Test
  void handOffFileOfEarlierVersions_withoutExportLines_isStillRead() throws Exception {
    Files.writeString(
        data.resolve(RootCredentials.FILE_NAME),
        "# old\naccess_key=OLDKEY\nsecret_key=oldsecret1\n");
    var config = new ServerConfig(data, "127.0.0.1", 0, "us-east-1", null, null, null);
    RootCredentials old = RootCredentials.resolve(config);
    assertThat(old.accessKey()).isEqualTo("OLDKEY");
    assertThat(old.secretKey()).isEqualTo("oldsecret1");
  }
}
