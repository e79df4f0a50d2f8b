package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    Path f = dir.resolve("coffre.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private ServerConfig resolve(Map<String, String> flags, Map<String, String> env, Path file) {
    return new Settings(
            flags,
            env,
            file == null ? ConfigFile.EMPTY : ConfigFile.load(file),
            file == null ? null : file.toString())
        .resolve();
  }

  @org.junit.jupiter.api.Test
  void badAddress_namesTheKeyOnce() throws Exception {
    Path f = file("address: nonsense\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> resolve(Map.of(), Map.of(), f))
        .hasMessageEndingWith(": address: 'nonsense' is not HOST:PORT")
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(e.getMessage())
                    .doesNotContain("address: address:"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown key                | adress: 127.0.0.1:7070                | 'adress'",
        "unknown nested key         | 'tls: {cert: a.pem, kee: b.pem}'       | 'tls.kee'",
        "address without port       | address: localhost                    | address",
        "address with a bad port    | 'address: 127.0.0.1:99999'            | address",
        "ops address not host:port  | ops-address: everywhere               | ops-address",
        "region with capitals       | region: EU-West                       | region",
        "duration without unit      | upload-expiry: seven days             | upload-expiry",
        "zero duration              | upload-expiry: 0s                     | upload-expiry",
        "tls section as a string    | tls: yes please                       | 'tls'",
        "certificate without key    | 'tls: {cert: /etc/hostname}'          | tls-key",
        "unreadable certificate     | 'tls: {cert: /nonexistent.pem, key: /nonexistent.key}' | tls-cert",
        "a list where text goes     | 'address: [unclosed'                  | address",
        "not yaml at all            | 'address: a: b'                       | YAML",
        "hsm without slot           | 'root-key: {pkcs11: {library: /etc/hostname}}' | pkcs11-slot",
        "hsm slot not a number      | 'root-key: {pkcs11: {library: /etc/hostname, slot: two}}' | pkcs11-slot",
        "hsm library missing        | 'root-key: {pkcs11: {library: /nonexistent.so, slot: 1, pin-file: /etc/hostname}}' | pkcs11-library",
        "hsm without pin            | 'root-key: {pkcs11: {library: /etc/hostname, slot: 1}}' | pkcs11-pin",
        "unknown root key provider  | 'root-key: {vault: {}}'                | 'root-key.vault'",
        "audit retention too short  | 'audit: {retention: 12h}'            | audit-retention",
        "audit switch not on/off    | 'audit: {enabled: maybe}'             | audit",
        "unknown default class      | 'placement: {default-class: secret}'  | secret",
        "bad country code           | 'placement: {locations: [{site: a, country: UK, volumes: [{name: v, path: v}]}]}' | GB",
        "bad jurisdiction           | 'placement: {locations: [{site: a, jurisdiction: US, volumes: [{name: v, path: v}]}]}' | jurisdiction",
        "volume name used twice     | 'placement: {locations: [{site: a, volumes: [{name: v, path: x}]}, {site: b, volumes: [{name: v, path: y}]}]}' | twice",
        "site without volumes       | 'placement: {locations: [{site: a}]}' | volume",
        "class with 0 copies        | 'placement: {classes: [{name: c, copies: 0}]}' | placement",
        "misspelt site qualification | 'placement: {locations: [{site: a, qualifications: [secnumclou], volumes: [{name: v, path: v}]}]}' | site 'a': unknown qualification 'secnumclou' (did you mean 'secnumcloud'?); known: c5, ens, hds, iso27001",
        "misspelt class qualification | 'placement: {classes: [{name: c, qualifications: [hsd]}]}' | class 'c': unknown qualification 'hsd' (did you mean 'hds'?)",
        "unknown qualification      | 'placement: {classes: [{name: c, qualifications: [gxp]}]}' | unknown qualification 'gxp'; known: c5, ens, hds, iso27001, iso27017, iso27018, iso27701, secnumcloud. A qualification of your own goes in placement.custom-qualifications",
        "unknown metadata key       | 'metadata: {url: postgresql://h/db, pasword-file: x}' | 'metadata.pasword-file'",
        "metadata URL not postgres  | 'metadata: {url: mysql://h/db}'       | metadata.url",
        "metadata URL without db    | 'metadata: {url: postgresql://coffre@h:5432}' | no database",
        "metadata password, no URL  | 'metadata: {password-file: /etc/hostname}' | no metadata URL",
        "unreadable password file   | 'metadata: {url: postgresql://h/db, password-file: /nonexistent}' | metadata.password-file",
        "cluster without its secret | 'cluster: {node: n1, address: 127.0.0.1:7080}' | secret file",
        "cluster on SQLite          | 'cluster: {node: n1, address: 127.0.0.1:7080, secret-file: /s}' | PostgreSQL",
        "bad node name              | 'metadata: {url: postgresql://h/db}\ncluster: {node: N_1, address: 127.0.0.1:7080, secret-file: /s}' | node-name",
        "volume names a node alone  | 'placement: {locations: [{site: a, volumes: [{name: v, path: v, node: n1}]}]}' | not a node of a cluster",
        "cluster volume without node| 'metadata: {url: postgresql://h/db}\ncluster: {node: n1, address: 127.0.0.1:7080, secret-file: /s}\nplacement: {locations: [{site: a, volumes: [{name: v, path: v}]}]}' | names its node",
        "node without a volume      | 'metadata: {url: postgresql://h/db}\ncluster: {node: n1, address: 127.0.0.1:7080, secret-file: /s}\nplacement: {locations: [{site: a, volumes: [{name: v, node: n2}]}]}' | no volume names node 'n1'",
        "hsm and passphrase both    | 'root-key: {passphrase-file: /etc/hostname, pkcs11: {library: /etc/hostname, slot: 1, pin-file: /etc/hostname}}' | root-key",
      })
  void badFile_isRefusedNamingTheKey(String why, String yaml, String named) throws Exception {
    Path f = file(yaml);
    assertThatThrownBy(() -> resolve(Map.of(), Map.of(), f))
        .as(why)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }

  @org.junit.jupiter.api.Test
  void customQualification_declared_isAcceptedOnSitesAndClasses() throws Exception {
    Path f =
        file(
            "placement:\n"
                + "  custom-qualifications: [gxp]\n"
                + "  locations: [{site: a, qualifications: [GxP, hds], volumes: [{name: v, path:"
                + " v}]}]\n"
                + "  classes: [{name: pharma, qualifications: [gxp]}]\n");
    org.assertj.core.api.Assertions.assertThat(resolve(Map.of(), Map.of(), f).placement())
        .isNotNull();
  }

  @Test
  void sources_flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path f =
        file(
            """
        data: /srv/coffre
        address: 127.0.0.1:8000
        region: eu-west-3
        upload-expiry: 12h
        ops-address: "off"
        """);
    ServerConfig fromFile = resolve(Map.of(), Map.of(), f);
    assertThat(fromFile.dataDir()).isEqualTo(Path.of("/srv/coffre"));
    assertThat(fromFile.port()).isEqualTo(8000);
    assertThat(fromFile.region()).isEqualTo("eu-west-3");
    assertThat(fromFile.uploadExpiry()).isEqualTo(Duration.ofHours(12));
    assertThat(fromFile.ops()).isNull();

    Map<String, String> env =
        Map.of("COFFRE_ADDRESS", "127.0.0.1:9000", "COFFRE_REGION", "eu-south-1");
    Map<String, String> flags = new HashMap<>();
    flags.put("address", "127.0.0.1:9999");
    ServerConfig all = resolve(flags, env, f);
    assertThat(all.port()).isEqualTo(9999);
    assertThat(all.region()).isEqualTo("eu-south-1");
    assertThat(all.dataDir()).isEqualTo(Path.of("/srv/coffre"));

    ServerConfig defaults = resolve(Map.of(), Map.of(), null);
    assertThat(defaults.port()).isEqualTo(7070);
    assertThat(defaults.ops()).isEqualTo(new ServerConfig.Address("127.0.0.1", 7071));
    assertThat(defaults.uploadExpiry()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void badValue_namesItsSource() throws Exception {
    assertThatThrownBy(() -> resolve(Map.of(), Map.of("COFFRE_UPLOAD_EXPIRY", "soon"), null))
        .hasMessageContaining("COFFRE_UPLOAD_EXPIRY");
    Map<String, String> flags = new HashMap<>();
    flags.put("address", "nowhere");
    assertThatThrownBy(() -> resolve(flags, Map.of(), null)).hasMessageContaining("--address");
    Path f = file("address: nowhere\n");
    assertThatThrownBy(() -> resolve(Map.of(), Map.of(), f))
        .hasMessageContaining("config " + f + ": address");
  }

  @Test
  void metadata_urlAndPasswordFromTheirSources_passwordNeverInTheUrl() throws Exception {
    assertThat(resolve(Map.of(), Map.of(), null).metadata()).isNull();
    Path password = dir.resolve("pg-password");
    Files.writeString(password, "s3cret with spaces \n");
    Path f =
        file(
            "metadata: {url: 'postgresql://coffre@db1:5432,db2:5432/coffre?targetServerType=primary', password-file: "
                + password
                + "}\n");
    ServerConfig.Metadata fromFile = resolve(Map.of(), Map.of(), f).metadata();
    assertThat(fromFile.url().jdbcUrl())
        .isEqualTo("jdbc:postgresql://db1:5432,db2:5432/coffre?targetServerType=primary");
    assertThat(fromFile.url().user()).isEqualTo("coffre");
    assertThat(fromFile.password()).isEqualTo("s3cret with spaces ");
    assertThat(fromFile.toString()).doesNotContain("s3cret");

    Map<String, String> env =
        Map.of(
            "COFFRE_METADATA_URL",
            "jdbc:postgresql://env:5432/coffre",
            "COFFRE_METADATA_PASSWORD",
            "from-env");
    ServerConfig.Metadata fromEnv = resolve(Map.of(), env, f).metadata();
    assertThat(fromEnv.url().jdbcUrl()).isEqualTo("jdbc:postgresql://env:5432/coffre");
    assertThat(fromEnv.password()).isEqualTo("from-env");
    Map<String, String> flags = new HashMap<>();
    flags.put("metadata", "postgresql://flag@127.0.0.1/coffre");
    assertThat(resolve(flags, env, f).metadata().url().user()).isEqualTo("flag");

    flags.put("metadata", "postgresql://coffre:hunter2@127.0.0.1/coffre");
    assertThatThrownBy(() -> resolve(flags, Map.of(), null))
        .hasMessageContaining("--metadata")
        .hasMessageContaining("COFFRE_METADATA_PASSWORD")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void insecureDev_fromFlagEnvironmentOrFile_offByDefault() throws Exception {
    assertThat(resolve(Map.of(), Map.of(), null).insecureDev()).isFalse();
    assertThat(resolve(Map.of("insecure-dev", "true"), Map.of(), null).insecureDev()).isTrue();
    assertThat(resolve(Map.of(), Map.of("COFFRE_INSECURE_DEV", "true"), null).insecureDev())
        .isTrue();
    Path f = file("insecure-dev: true\n");
    assertThat(resolve(Map.of(), Map.of(), f).insecureDev()).isTrue();
    assertThat(resolve(Map.of(), Map.of("COFFRE_INSECURE_DEV", "false"), f).insecureDev())
        .isFalse();
    assertThatThrownBy(() -> resolve(Map.of(), Map.of("COFFRE_INSECURE_DEV", "maybe"), null))
        .hasMessageContaining("COFFRE_INSECURE_DEV");
  }

  @Test
  void sigV2_fromFlagEnvironmentOrFile_onByDefault() throws Exception {
    assertThat(resolve(Map.of(), Map.of(), null).sigV2()).isTrue();
    assertThat(resolve(Map.of("sigv2", "false"), Map.of(), null).sigV2()).isFalse();
    assertThat(resolve(Map.of(), Map.of("COFFRE_AUTH_SIGV2", "off"), null).sigV2()).isFalse();
    Path f = file("auth:\n  sigv2: false\n");
    assertThat(resolve(Map.of(), Map.of(), f).sigV2()).isFalse();
    assertThat(resolve(Map.of(), Map.of("COFFRE_AUTH_SIGV2", "true"), f).sigV2()).isTrue();
    assertThatThrownBy(() -> resolve(Map.of(), Map.of(), file("auth:\n  sigv2: maybe\n")))
        .hasMessageContaining("auth.sigv2");
  }

  @Test
  void sigV2_ofARedefinedClass_keepsTheDefaultClassRefusalUnlessSaid() throws Exception {
    Path f =
        file(
            "placement:\n  classes:\n    - {name: health, eea: true}\n"
                + "    - {name: lab, sigv2: false}\n    - {name: open}\n");
    var classes = Placements.of(resolve(Map.of(), Map.of(), f).placement(), dir).classes();
    assertThat(classes.get("health").sigv2()).isFalse();
    assertThat(classes.get("lab").sigv2()).isFalse();
    assertThat(classes.get("open").sigv2()).isTrue();
    assertThat(classes.get("internal").sigv2()).isTrue();
  }

  @Test
  void publicAccess_ofARedefinedClass_keepsTheDefaultClassRefusalUnlessSaid() throws Exception {
    Path f =
        file(
            "placement:\n  classes:\n    - {name: health, eea: true}\n"
                + "    - {name: lab, public-access: false}\n    - {name: open}\n");
    var classes = Placements.of(resolve(Map.of(), Map.of(), f).placement(), dir).classes();
    assertThat(classes.get("health").publicAccess()).isFalse();
    assertThat(classes.get("lab").publicAccess()).isFalse();
    assertThat(classes.get("open").publicAccess()).isTrue();
    assertThat(classes.get("internal").publicAccess()).isTrue();
  }

  @Test
  void opsToken_fromEnvironmentOrFile_atLeast16Characters() throws Exception {
    assertThat(resolve(Map.of(), Map.of(), null).opsToken()).isNull();
    assertThat(
            resolve(Map.of(), Map.of("COFFRE_OPS_TOKEN", "from-the-environment"), null).opsToken())
        .isEqualTo("from-the-environment");
    Path token = dir.resolve("ops-token");
    Files.writeString(token, "from-a-file-0123456789\n");
    Path f = file("ops-token-file: " + token + "\n");
    assertThat(resolve(Map.of(), Map.of(), f).opsToken()).isEqualTo("from-a-file-0123456789");
    assertThat(resolve(Map.of(), Map.of("COFFRE_OPS_TOKEN", "the-environment-wins"), f).opsToken())
        .isEqualTo("the-environment-wins");
    assertThatThrownBy(() -> resolve(Map.of(), Map.of("COFFRE_OPS_TOKEN", "short"), null))
        .hasMessageContaining("ops token");
    assertThat(resolve(Map.of(), Map.of(), f).toString()).doesNotContain("from-a-file");
  }

  @Test
  void webIdentity_fromTheFile_issuerAndJwksFileRequired() throws Exception {
    Path f =
        file(
            """
        auth:
          web-identity:
            issuer: https://idp.example/realms/agents
            jwks-file: /etc/coffre/jwks.json
            client-ids: [coffre, console]
        """);
    ServerConfig c = resolve(Map.of(), Map.of(), f);
    assertThat(c.webIdentity().issuer()).isEqualTo("https://idp.example/realms/agents");
    assertThat(c.webIdentity().jwksFile()).isEqualTo("/etc/coffre/jwks.json");
    assertThat(c.webIdentity().clientIds()).containsExactly("coffre", "console");
    assertThat(resolve(Map.of(), Map.of(), null).webIdentity()).isNull();
    Path incomplete =
        file(
            """
        auth:
          web-identity:
            issuer: https://idp.example/realms/agents
        """);
    assertThatThrownBy(() -> resolve(Map.of(), Map.of(), incomplete))
        .hasMessageContaining("client-ids must name the client ids");
  }

  @Test
  void exampleFile_isValid() {
    Path example = Path.of("..", "coffre.example.yaml");
    assertThat(example).exists();
    ServerConfig c = resolve(Map.of(), Map.of(), example);
    assertThat(c.port()).isEqualTo(7070);
  }

  @Test
  void cluster_fromFlags_withVolumesOfOtherNodesWithoutPaths() throws Exception {
    Path f =
        file(
            """
        metadata:
          url: postgresql://coffre@127.0.0.1:5432/coffre
        placement:
          locations:
            - site: paris
              volumes: [{name: p1, node: n1, path: p1}]
            - site: lyon
              volumes: [{name: l1, node: n2}]
        """);
    ServerConfig c =
        resolve(
            Map.of(
                "node-name", "n1",
                "cluster-address", "127.0.0.1:7080",
                "cluster-secret-file", "/etc/coffre/cluster-secret"),
            Map.of(),
            f);
    assertThat(c.clustered()).isTrue();
    assertThat(c.cluster().node()).isEqualTo("n1");
    assertThat(c.cluster().address().port()).isEqualTo(7080);
    Placements p = Placements.of(c.placement(), c.dataDir(), "n1");
    assertThat(p.volumes()).containsOnlyKeys("p1");
    assertThat(p.topology().nodeOf("l1")).isEqualTo("n2");
    assertThat(p.topology().clustered()).isTrue();
    assertThat(c.listeners()).extracting(ServerConfig.Listener::name).contains("cluster");
  }

  private Path clusterFile(String extra) throws Exception {
    return file(
        """
        metadata: {url: postgresql://coffre@127.0.0.1:5432/coffre}
        placement:
          locations: [{site: a, volumes: [{name: v1, node: n1, path: v1}]}]
        cluster:
          node: n1
          address: 127.0.0.1:7080
          secret-file: /etc/coffre/cluster-secret
        """
            + extra);
  }

  @Test
  void clusterTls_fromTheFile_andFlagsOverIt() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    Path cert = Files.writeString(dir.resolve("n1.pem"), "cert");
    Path key = Files.writeString(dir.resolve("n1.key"), "key");
    Path other = Files.writeString(dir.resolve("other.pem"), "cert");
    Path f =
        clusterFile("  ca-file: " + ca + "\n  tls-cert: " + cert + "\n  tls-key: " + key + "\n");

    ServerConfig.Cluster c = resolve(Map.of(), Map.of(), f).cluster();
    ServerConfig.Cluster flagged =
        resolve(Map.of("cluster-tls-cert", other.toString()), Map.of(), f).cluster();
    ServerConfig.Cluster fromEnv =
        resolve(Map.of(), Map.of("COFFRE_CLUSTER_TLS_CERT", other.toString()), f).cluster();

    assertThat(c.tls()).isTrue();
    assertThat(c.caFile()).isEqualTo(ca);
    assertThat(c.tlsCert()).isEqualTo(cert);
    assertThat(c.tlsKey()).isEqualTo(key);
    assertThat(flagged.tlsCert()).isEqualTo(other);
    assertThat(fromEnv.tlsCert()).isEqualTo(other);
  }

  @Test
  void clusterTls_withoutItsOwnCertificate_usesTheS3Listeners() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    Path cert = Files.writeString(dir.resolve("s3.pem"), "cert");
    Path key = Files.writeString(dir.resolve("s3.key"), "key");
    ServerConfig c =
        resolve(
            Map.of("cluster-ca-file", ca.toString()),
            Map.of("COFFRE_TLS_CERT", cert.toString(), "COFFRE_TLS_KEY", key.toString()),
            clusterFile(""));
    assertThat(c.cluster().tls()).isTrue();
    assertThat(c.cluster().tlsCert()).isEqualTo(cert);
    assertThat(c.cluster().tlsKey()).isEqualTo(key);
  }

  @Test
  void clusterWithoutCa_isPlain_andACertificateWithoutTheCa_isRefused() throws Exception {
    Path cert = Files.writeString(dir.resolve("n1.pem"), "cert");
    assertThat(resolve(Map.of(), Map.of(), clusterFile("")).cluster().tls()).isFalse();
    assertThatThrownBy(
            () ->
                resolve(
                    Map.of("cluster-tls-cert", cert.toString(), "cluster-tls-key", cert.toString()),
                    Map.of(),
                    clusterFile("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster.ca-file");
  }

  @Test
  void clusterCa_withoutAnyCertificate_isRefusedNamingWhatIsMissing() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    assertThatThrownBy(
            () -> resolve(Map.of("cluster-ca-file", ca.toString()), Map.of(), clusterFile("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster.tls-cert and cluster.tls-key");
  }

  @Test
  void clusterSourceAddress_fromFileOrEnv_anIpAddressOnly() throws Exception {
    assertThat(resolve(Map.of(), Map.of(), clusterFile("")).cluster().sourceAddress()).isNull();
    assertThat(
            resolve(Map.of(), Map.of(), clusterFile("  source-address: 127.0.77.3\n"))
                .cluster()
                .sourceAddress()
                .getHostAddress())
        .isEqualTo("127.0.77.3");
    assertThat(
            resolve(Map.of(), Map.of("COFFRE_CLUSTER_SOURCE_ADDRESS", "::1"), clusterFile(""))
                .cluster()
                .sourceAddress()
                .isLoopbackAddress())
        .isTrue();
    assertThatThrownBy(
            () ->
                resolve(
                    Map.of("cluster-source-address", "db.example.org"), Map.of(), clusterFile("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--cluster-source-address")
        .hasMessageContaining("'db.example.org' is not an IP address");
  }
}
