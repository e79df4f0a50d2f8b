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
}
