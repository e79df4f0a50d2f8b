package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecurityPostureTest {
  /** 192.0.2.0/24 (TEST-NET-1) stands for any address beyond loopback; nothing is resolved. */
  private static final String PUBLIC = "192.0.2.1";

  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();
  private PublicKey tlsKey;

  @BeforeEach
  void loopbackOnly() {
    env.put("COFFRE_DATA", dir.resolve("data").toString());
  }

  private static boolean loopback(String host) {
    return host.startsWith("127.") || host.equals("::1");
  }

  private SecurityPosture posture() {
    return posture(Map.of());
  }

  private SecurityPosture posture(Map<String, String> flags) {
    ServerConfig config = new Settings(flags, env, file, null).resolve();
    return SecurityPosture.of(
        config, new SecurityPosture.Facts(SecurityPostureTest::loopback, tlsKey, clusterKey));
  }

  private ConfigFile file = ConfigFile.EMPTY;
  private PublicKey clusterKey;

  /** Makes this server node n1 of a cluster whose internal API listens on {@code address}. */
  private void node(String address) throws Exception {
    Path yaml =
        Files.writeString(
            dir.resolve("coffre.yaml"),
            """
            metadata: {url: postgresql://coffre@127.0.0.1:5432/coffre}
            placement:
              locations: [{site: a, volumes: [{name: v1, node: n1, path: v1}]}]
            """);
    file = ConfigFile.load(yaml);
    env.put("COFFRE_NODE_NAME", "n1");
    env.put("COFFRE_CLUSTER_ADDRESS", address);
    env.put("COFFRE_CLUSTER_SECRET_FILE", "/etc/coffre/cluster-secret");
  }

  /** Gives the node its certificate (a key of {@code key}) and the cluster CA. */
  private void clusterCa(PublicKey key) throws Exception {
    env.put("COFFRE_CLUSTER_CA_FILE", Files.writeString(dir.resolve("ca.pem"), "CA").toString());
    env.put("COFFRE_CLUSTER_TLS_CERT", Files.writeString(dir.resolve("n1.pem"), "cert").toString());
    env.put("COFFRE_CLUSTER_TLS_KEY", Files.writeString(dir.resolve("n1.key"), "key").toString());
    clusterKey = key;
  }

  private void tls(PublicKey key) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "read through Facts");
    Path pem = Files.writeString(dir.resolve("key.pem"), "read through Facts");
    env.put("COFFRE_TLS_CERT", cert.toString());
    env.put("COFFRE_TLS_KEY", pem.toString());
    tlsKey = key;
  }

  private void sealed() {
    env.put("COFFRE_ROOT_PASSPHRASE", "une phrase de passe assez longue");
  }

  private static PublicKey ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair().getPublic();
  }

  private static PublicKey rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair().getPublic();
  }

  /** A 192-bit curve's key: the JDK no longer makes them, a certificate may still carry one. */
  private static PublicKey ec192() {
    BigInteger p = BigInteger.probablePrime(192, new Random(1));
    ECParameterSpec params =
        new ECParameterSpec(
            new EllipticCurve(new ECFieldFp(p), BigInteger.ONE, BigInteger.ONE),
            new ECPoint(BigInteger.ONE, BigInteger.TWO),
            BigInteger.valueOf(7),
            1);
    return new ECPublicKey() {
      @Override
      public ECPoint getW() {
        return new ECPoint(BigInteger.ONE, BigInteger.TWO);
      }

      @Override
      public String getAlgorithm() {
        return "EC";
      }

      @Override
      public String getFormat() {
        return "X.509";
      }

      @Override
      public byte[] getEncoded() {
        return new byte[0];
      }

      @Override
      public ECParameterSpec getParams() {
        return params;
      }
    };
  }

  private static List<String> problems(SecurityPosture p) {
    return p.refusals().stream().map(SecurityPosture.Refusal::problem).toList();
  }

  private static SecurityPosture.Guarantee guarantee(SecurityPosture p, String name) {
    return p.guarantees().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void loopbackDefaults_startAsToday_withTheirWeaknessesShown() {
    SecurityPosture p = posture();
    assertThat(p.refusals()).isEmpty();
    assertThat(p.refused()).isFalse();
    assertThat(p.overrideWarnings()).isEmpty();
    assertThat(guarantee(p, "root key").status()).isEqualTo(SecurityPosture.Status.WEAKENED);
    assertThat(guarantee(p, "root key").detail()).contains("dev-root.key");
    assertThat(guarantee(p, "TLS S3").detail()).contains("plain HTTP", "loopback");
    assertThat(guarantee(p, "listeners").detail()).contains("loopback only");
    assertThat(guarantee(p, "audit trail").status()).isEqualTo(SecurityPosture.Status.HOLDS);
    assertThat(guarantee(p, "encryption at rest").status()).isEqualTo(SecurityPosture.Status.HOLDS);
    assertThat(p.report())
        .contains("security posture:")
        .doesNotContain("strict mode refuses this start");
  }

  @Test
  void s3BeyondLoopback_withoutTlsAndWithTheDevelopmentKey_isRefusedNamingBothAndTheirFixes() {
    env.put("COFFRE_ADDRESS", PUBLIC + ":9000");
    SecurityPosture p = posture();
    assertThat(p.refused()).isTrue();
    assertThat(problems(p))
        .containsExactlyInAnyOrder(
            "the root key is the development key file while S3 ("
                + PUBLIC
                + ":9000) listens beyond loopback: whoever reads the data directory can decrypt"
                + " everything",
            "the S3 listener on "
                + PUBLIC
                + ":9000 is beyond loopback without TLS: requests, objects and SSE-C keys would"
                + " cross the network in clear");
    assertThat(p.refusalMessage())
        .startsWith("refusing to start (strict mode, docs/security.md), 2 problems:")
        .contains("--tls-cert and --tls-key", "COFFRE_ROOT_PASSPHRASE_FILE", "root-key.pkcs11")
        .contains("--insecure-dev", "COFFRE_INSECURE_DEV=true", "insecure-dev: true");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ops,     COFFRE_OPS_ADDRESS,     health and metrics",
    "admin,   COFFRE_ADMIN_ADDRESS,   operator's bearer token",
    "console, COFFRE_CONSOLE_ADDRESS, tenants' secrets"
  })
  void secondaryListenerBeyondLoopback_withoutTls_isRefused(
      String name, String variable, String consequence) {
    sealed();
    env.put("COFFRE_OPS_TOKEN", "an-ops-token-0123456789");
    env.put(variable, PUBLIC + ":9001");
    SecurityPosture p = posture();
    assertThat(p.refused()).isTrue();
    assertThat(problems(p))
        .singleElement()
        .asString()
        .startsWith(
            "the " + name + " listener on " + PUBLIC + ":9001 is beyond loopback without TLS")
        .contains(consequence);
    assertThat(p.refusals().get(0).fix()).contains("--tls-cert", "'off'");
  }

  @Test
  void everythingBeyondLoopback_withTlsSealedKeyAndOpsToken_starts() throws Exception {
    tls(ec("secp256r1"));
    sealed();
    env.put("COFFRE_OPS_TOKEN", "an-ops-token-0123456789");
    for (String v :
        List.of(
            "COFFRE_ADDRESS",
            "COFFRE_OPS_ADDRESS",
            "COFFRE_ADMIN_ADDRESS",
            "COFFRE_CONSOLE_ADDRESS")) {
      env.put(v, "0.0.0.0:" + (9000 + v.length()));
    }
    SecurityPosture p = posture();
    assertThat(p.refusals()).isEmpty();
    assertThat(p.guarantees())
        .filteredOn(g -> g.status() == SecurityPosture.Status.WEAKENED)
        .isEmpty();
    assertThat(guarantee(p, "TLS ops").detail()).contains("HTTPS", "bearer token");
    assertThat(guarantee(p, "TLS key").detail()).contains("EC 256-bit");
    assertThat(guarantee(p, "listeners").detail()).contains("beyond loopback", "strict mode");
  }

  @Test
  void opsBeyondLoopback_withTlsButNoToken_isRefusedForItsMetrics() throws Exception {
    tls(ec("secp384r1"));
    sealed();
    env.put("COFFRE_OPS_ADDRESS", PUBLIC + ":9001");
    SecurityPosture p = posture();
    assertThat(problems(p))
        .singleElement()
        .asString()
        .contains("ops listener", "/metrics asks no authentication");
    assertThat(p.refusals().get(0).fix()).contains("COFFRE_OPS_TOKEN", "ops-token-file");
  }

  @Test
  void hsmRootKey_beyondLoopback_isAccepted() throws Exception {
    tls(rsa(3072));
    Path library = Files.writeString(dir.resolve("libfake-pkcs11.so"), "");
    env.put("COFFRE_PKCS11_LIBRARY", library.toString());
    env.put("COFFRE_PKCS11_SLOT", "1");
    env.put("COFFRE_PKCS11_PIN", "1234");
    env.put("COFFRE_ADDRESS", PUBLIC + ":9000");
    SecurityPosture p = posture();
    assertThat(p.refusals()).isEmpty();
    assertThat(guarantee(p, "root key").detail()).contains("HSM");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "COFFRE_AUDIT,           off,  the audit trail is off",
    "COFFRE_AUDIT_FAIL_CLOSED, false, fail-open",
    "COFFRE_AUDIT_RETENTION, 179d, is 179d, under the floor of 180 days",
    "COFFRE_AUDIT_RETENTION, 1d,   is 1d, under the floor of 180 days"
  })
  void auditFloors_areRefusedEvenOnLoopback(String variable, String value, String named) {
    env.put(variable, value);
    SecurityPosture p = posture();
    assertThat(p.refused()).isTrue();
    assertThat(problems(p)).singleElement().asString().contains(named);
    assertThat(guarantee(p, "audit trail").status()).isEqualTo(SecurityPosture.Status.WEAKENED);
  }

  @Test
  void auditRetention_atTheFloorOrLonger_isAccepted() {
    env.put("COFFRE_AUDIT_RETENTION", "180d");
    assertThat(posture().refusals()).isEmpty();
    env.put("COFFRE_AUDIT_RETENTION", "3650d");
    assertThat(posture().refusals()).isEmpty();
  }

  @Test
  void insecureDev_turnsRefusalsIntoWarnings_thatNameEachOne() {
    env.put("COFFRE_ADDRESS", PUBLIC + ":9000");
    env.put("COFFRE_AUDIT", "off");
    env.put("COFFRE_INSECURE_DEV", "true");
    SecurityPosture p = posture();
    assertThat(p.refusals()).hasSize(3);
    assertThat(p.refused()).isFalse();
    assertThat(p.overrideWarnings())
        .hasSize(4)
        .first()
        .asString()
        .startsWith("INSECURE DEVELOPMENT MODE");
    assertThat(String.join("\n", p.overrideWarnings()))
        .contains("S3 listener on " + PUBLIC, "development key file", "audit trail is off");
    assertThat(guarantee(p, "insecure-dev").status()).isEqualTo(SecurityPosture.Status.WEAKENED);
    assertThat(p.report()).contains("overridden by insecure-dev");
  }

  @Test
  void insecureDev_withNothingToOverride_isStillWarned() {
    Map<String, String> flags = new HashMap<>();
    flags.put("insecure-dev", "true");
    SecurityPosture p = posture(flags);
    assertThat(p.refusals()).isEmpty();
    assertThat(p.overrideWarnings())
        .singleElement()
        .asString()
        .contains("INSECURE DEVELOPMENT MODE", "nothing to override");
  }

  @Test
  void adminBeyondLoopbackWithoutTls_underInsecureDev_isWarnedAsCleartextToken() {
    sealed();
    env.put("COFFRE_ADMIN_ADDRESS", PUBLIC + ":9002");
    env.put("COFFRE_INSECURE_DEV", "yes");
    assertThat(posture().overrideWarnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("admin listener on " + PUBLIC + ":9002", "bearer token", "in clear"));
  }

  @Test
  void weakTlsKey_isRefusedEvenOnLoopback_withItsSize() throws Exception {
    tls(rsa(2048));
    SecurityPosture p = posture();
    assertThat(p.refused()).isTrue();
    assertThat(problems(p))
        .singleElement()
        .asString()
        .contains("weak key: RSA 2048-bit, under RSA 3072");
    assertThat(p.refusals().get(0).fix()).contains("P-256");
  }

  @Test
  void tlsKeyStrength_followsTheFloors() throws Exception {
    assertThat(SecurityPosture.weakness(rsa(2048))).contains("RSA 2048-bit");
    assertThat(SecurityPosture.weakness(rsa(3072))).isNull();
    assertThat(SecurityPosture.weakness(ec("secp256r1"))).isNull();
    assertThat(SecurityPosture.weakness(ec("secp521r1"))).isNull();
    assertThat(SecurityPosture.weakness(ec192())).contains("EC 192-bit");
    assertThat(
            SecurityPosture.weakness(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()))
        .isNull();
    KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
    dsa.initialize(2048);
    assertThat(SecurityPosture.weakness(dsa.generateKeyPair().getPublic()))
        .contains("DSA keys are not accepted");
    assertThat(SecurityPosture.describe(ec("secp256r1"))).isEqualTo("EC 256-bit (secp256r1)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "localhost"})
  void loopback_addresses(String host) {
    assertThat(SecurityPosture.loopback(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0.0.0.0", "::", "192.0.2.1", "10.0.0.1", "name.that.does.not.resolve.invalid"})
  void beyondLoopback_addresses(String host) {
    assertThat(SecurityPosture.loopback(host)).isFalse();
  }

  @Test
  void toMap_listsGuaranteesAndRefusals() {
    env.put("COFFRE_AUDIT", "off");
    Map<String, Object> m = posture().toMap();
    assertThat(m).containsEntry("refused", true).containsEntry("insecureDev", false);
    assertThat((List<?>) m.get("refusals")).hasSize(1);
    assertThat((List<?>) m.get("guarantees")).isNotEmpty();
  }

  @Test
  void clusterListenerBeyondLoopback_withoutClusterCa_isRefusedAskingForIt() throws Exception {
    sealed();
    node(PUBLIC + ":7080");
    SecurityPosture p = posture();
    assertThat(p.refused()).isTrue();
    assertThat(problems(p))
        .singleElement()
        .asString()
        .startsWith(
            "the cluster listener on " + PUBLIC + ":7080 is beyond loopback without mutual TLS");
    assertThat(p.refusals().get(0).fix())
        .startsWith("give cluster.ca-file")
        .contains("--cluster-ca-file", "COFFRE_CLUSTER_CA_FILE", "127.0.0.1");
    assertThat(guarantee(p, "TLS cluster").status()).isEqualTo(SecurityPosture.Status.WEAKENED);
    assertThat(guarantee(p, "TLS cluster").detail()).contains("plain HTTP", "beyond loopback");
  }

  @Test
  void clusterListenerBeyondLoopback_withClusterCa_startsAndSaysMutualTlsThenHmac()
      throws Exception {
    sealed();
    node(PUBLIC + ":7080");
    clusterCa(ec("secp256r1"));
    SecurityPosture p = posture();
    assertThat(p.refusals()).isEmpty();
    assertThat(guarantee(p, "TLS cluster").status()).isEqualTo(SecurityPosture.Status.HOLDS);
    assertThat(guarantee(p, "TLS cluster").detail())
        .startsWith("mutual TLS on " + PUBLIC + ":7080")
        .contains(dir.resolve("ca.pem").toString(), "HMAC-SHA256");
    assertThat(guarantee(p, "TLS key cluster").status()).isEqualTo(SecurityPosture.Status.HOLDS);
  }

  @Test
  void clusterListenerOnLoopback_withoutClusterCa_startsWithTheHmacOnly() throws Exception {
    node("127.0.0.1:7080");
    SecurityPosture p = posture();
    assertThat(p.refusals()).isEmpty();
    assertThat(guarantee(p, "TLS cluster").status()).isEqualTo(SecurityPosture.Status.WEAKENED);
    assertThat(guarantee(p, "TLS cluster").detail())
        .contains("plain HTTP on 127.0.0.1:7080 (loopback", "HMAC-SHA256", " only");
  }

  @Test
  void clusterListenerBeyondLoopback_withoutClusterCa_underInsecureDev_startsWithAWarning()
      throws Exception {
    sealed();
    node(PUBLIC + ":7080");
    env.put("COFFRE_INSECURE_DEV", "true");
    SecurityPosture p = posture();
    assertThat(p.refused()).isFalse();
    assertThat(p.overrideWarnings()).anyMatch(w -> w.contains("cluster listener"));
  }

  @Test
  void clusterCertificate_withAWeakKey_isRefused() throws Exception {
    sealed();
    node(PUBLIC + ":7080");
    clusterCa(rsa(2048));
    SecurityPosture p = posture();
    assertThat(problems(p))
        .singleElement()
        .asString()
        .contains(dir.resolve("n1.pem").toString(), "RSA 2048-bit");
  }
}
