package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The root key in a real PKCS#11 token (SoftHSM2): created there non-extractable on first start,
 * used to write, used again after a restart to read; with the token gone the server refuses to
 * start rather than fall back to a key file.
 */
class HsmIT {
  private static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
  private static final String PIN = "4711-coffre";
  @TempDir Path work;

  private static String run(Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void rootKeyInSoftHsm_writeRestartRead_andNoTokenNoStart() throws Exception {
    assumeTrue(
        Files.isReadable(Path.of(LIBRARY)), "SoftHSM2 is not installed (apt-get install softhsm2)");
    Path tokens = Files.createDirectories(work.resolve("tokens"));
    Path conf = work.resolve("softhsm2.conf");
    Files.writeString(
        conf,
        "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    Map<String, String> hsmEnv = Map.of("SOFTHSM2_CONF", conf.toString());
    String init =
        run(
            hsmEnv,
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "coffre",
            "--pin",
            PIN,
            "--so-pin",
            "so-" + PIN);
    Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(init);
    assertThat(slot.find()).as(init).isTrue();

    Map<String, String> env =
        Map.of(
            "SOFTHSM2_CONF",
            conf.toString(),
            "COFFRE_PKCS11_LIBRARY",
            LIBRARY,
            "COFFRE_PKCS11_SLOT",
            slot.group(1),
            "COFFRE_PKCS11_PIN",
            PIN);
    String marker = "HSM-PROTECTED-MARKER-" + System.nanoTime();
    ServerProcess server = ServerProcess.startWithEnv(env);
    try {
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        s3.createBucket(b -> b.bucket("hsm"));
        s3.putObject(
            b -> b.bucket("hsm").key("secret.txt").metadata(Map.of("note", marker)),
            RequestBody.fromString(marker));
      }
      assertThat(Files.readString(server.log()))
          .contains("root key pkcs11:coffre-root is in the HSM");
      assertThat(server.dataDir().resolve("keys").resolve("dev-root.key")).doesNotExist();
      assertThat(
              DiskScan.filesContaining(server.dataDir(), marker.getBytes(StandardCharsets.UTF_8)))
          .as("files holding the plaintext marker")
          .isEmpty();

      server.close();
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        var back = s3.getObjectAsBytes(b -> b.bucket("hsm").key("secret.txt"));
        assertThat(back.asUtf8String()).isEqualTo(marker);
        assertThat(back.response().metadata()).containsEntry("note", marker);
      }
      server.close();

      // Started once without the HSM settings: refused before anything listens, naming the mode
      // expected; no development key is made (it used to be, and new data went under it).
      server.withoutEnv("COFFRE_PKCS11_LIBRARY", "COFFRE_PKCS11_SLOT", "COFFRE_PKCS11_PIN");
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("was created with a key in a PKCS#11 HSM")
          .hasMessageContaining("COFFRE_PKCS11_LIBRARY");
      assertThat(Files.readString(server.log())).doesNotContain("DEVELOPMENT KEY MODE");
      assertThat(server.dataDir().resolve("keys").resolve("dev-root.key")).doesNotExist();
      // Another key label in the same token: refused, and no key is created under it.
      server.withEnv(env).withEnv(Map.of("COFFRE_PKCS11_KEY_LABEL", "another-key"));
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("this data directory's root key is pkcs11:coffre-root");
      server.withoutEnv("COFFRE_PKCS11_KEY_LABEL");

      // The key is a token object that the HSM will not hand out (checked by a separate JVM that
      // sees the test token through SOFTHSM2_CONF).
      Path check = work.resolve("CheckKey.java");
      Files.writeString(
          check,
          """
          import java.security.*;
          public class CheckKey {
            public static void main(String[] a) throws Exception {
              Provider p = Security.getProvider("SunPKCS11").configure("--name=check\\nlibrary=" + a[0] + "\\nslot=" + a[1] + "\\n");
              KeyStore ks = KeyStore.getInstance("PKCS11", p);
              ks.load(null, a[2].toCharArray());
              Key k = ks.getKey("coffre-root", null);
              System.out.println(k == null ? "NO-KEY" : k.getEncoded() == null ? "NOT-EXTRACTABLE" : "EXTRACTABLE");
            }
          }
          """);
      String javaBin = ProcessHandle.current().info().command().orElse("java");
      String verdict = run(hsmEnv, javaBin, check.toString(), LIBRARY, slot.group(1), PIN);
      assertThat(verdict.strip()).endsWith("NOT-EXTRACTABLE");

      // Key custody: the key cannot be read, so it is not escrowed; the refusal names the HSM's
      // own backup, and no share is written.
      Path shares = work.resolve("shares");
      ServerProcess.Admin escrow =
          ServerProcess.cli(
              Map.of(),
              "root-key",
              "escrow",
              "--data",
              server.dataDir().toString(),
              "--shares",
              "5",
              "--threshold",
              "3",
              "--out",
              shares.toString());
      assertThat(escrow.status()).as(escrow.body()).isEqualTo(1);
      assertThat(escrow.body())
          .contains("escrow refused", "pkcs11:coffre-root", "non-extractable", "HSM's own")
          .doesNotContain("Exception");
      assertThat(shares).doesNotExist();

      // Token gone: no start, and no silent fallback to a development key file.
      try (Stream<Path> files = Files.walk(tokens)) {
        files
            .sorted(java.util.Comparator.reverseOrder())
            .filter(f -> !f.equals(tokens))
            .forEach(f -> f.toFile().delete());
      }
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("HSM");
      assertThat(server.dataDir().resolve("keys").resolve("dev-root.key")).doesNotExist();
    } finally {
      server.close();
    }
  }
}
