package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.service.Totp;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffre admin} with named operators, as a person runs it (a separate JVM): the first
 * operator made with the admin token, {@code login} keeping a session for that server, commands
 * using it, the retired token refused, {@code logout}. The home directory is a temporary one.
 */
class OperatorCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServerProcess server;

  @TempDir static Path home;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ServerProcess.Admin cli(boolean withToken, String... args) throws Exception {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data";
    all[args.length + 1] = server.dataDir().toString();
    Map<String, String> env =
        withToken
            ? Map.of(
                "COFFRE_ADMIN_TOKEN",
                ServerProcess.ADMIN_TOKEN,
                "JAVA_TOOL_OPTIONS",
                "-Duser.home=" + home)
            : Map.of("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
    return ServerProcess.cli(env, all);
  }

  private static byte[] base32(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  @Test
  void login_keepsASessionForThatServer_tokenRetired_logoutForgetsIt() throws Exception {
    Path password = home.resolve("password");
    Files.writeString(password, "une phrase de passe assez longue\n");

    ServerProcess.Admin created =
        cli(
            true,
            "admin",
            "operators",
            "create",
            "sofia",
            "--role",
            "security-officer",
            "--password-file",
            password.toString(),
            "--json");
    assertThat(created.status()).as(created.body()).isZero();
    String json = created.body().substring(created.body().indexOf('{'));
    byte[] secret = base32(JSON.readTree(json).get("totpSecret").asText());

    // The token alone no longer runs the service.
    ServerProcess.Admin retired = cli(true, "admin", "tenants", "list");
    assertThat(retired.status()).isEqualTo(1);
    assertThat(retired.body()).contains("403", "AdminTokenRetired");

    ServerProcess.Admin wrong =
        cli(
            false,
            "admin",
            "login",
            "sofia",
            "--code",
            "000000",
            "--password-file",
            home.resolve("nope").toString());
    assertThat(wrong.status()).isNotZero();

    String code = Totp.code(secret, Totp.step(Instant.now()), 6);
    ServerProcess.Admin login =
        cli(
            false,
            "admin",
            "login",
            "sofia",
            "--code",
            code,
            "--password-file",
            password.toString());
    assertThat(login.status()).as(login.body()).isZero();
    assertThat(login.body()).contains("signed in as sofia");
    Path kept = home.resolve(".config/coffre/admin-session");
    assertThat(Files.getPosixFilePermissions(kept).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");

    // The session is used before the (retired) token.
    ServerProcess.Admin list = cli(true, "admin", "operators", "list");
    assertThat(list.status()).as(list.body()).isZero();
    assertThat(list.body()).contains("sofia", "security-officer");

    assertThat(cli(true, "admin", "logout").status()).isZero();
    assertThat(kept).doesNotExist();
    assertThat(cli(true, "admin", "operators", "list").body()).contains("AdminTokenRetired");
  }
}
