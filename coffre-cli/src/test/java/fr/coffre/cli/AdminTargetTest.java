package fr.coffre.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTargetTest {
  @TempDir Path dir;

  private static AdminTarget.Flags none() {
    return new AdminTarget.Flags(null, null, null, null);
  }

  @Test
  void resolve_aServersConfigFile_givesItsAdminAddressTlsAndDataDirectory() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "not read here");
    Path config =
        Files.writeString(
            dir.resolve("coffre.yaml"),
            "data: "
                + dir.resolve("data")
                + "\nadmin-address: 0.0.0.0:9443\ntls:\n  cert: "
                + cert
                + "\n  key: "
                + dir.resolve("key.pem")
                + "\n");
    AdminTarget t =
        AdminTarget.resolve(new AdminTarget.Flags(null, config, null, null), Map.of(), dir);
    assertThat(t.url()).hasToString("https://127.0.0.1:9443");
    assertThat(t.urlSource()).contains("admin-address");
    assertThat(t.trust()).isEqualTo(cert);
    assertThat(t.data()).isEqualTo(dir.resolve("data"));
  }

  @Test
  void resolve_environmentOverTheFile_asTheServerReadsIt() throws Exception {
    Path config = Files.writeString(dir.resolve("c.yaml"), "admin-address: 127.0.0.1:9000\n");
    AdminTarget t =
        AdminTarget.resolve(
            none(),
            Map.of(
                "COFFRE_CONFIG", config.toString(),
                "COFFRE_ADMIN_ADDRESS", "127.0.0.1:9100",
                "COFFRE_DATA", "/srv/coffre"),
            dir);
    assertThat(t.url()).hasToString("http://127.0.0.1:9100");
    assertThat(t.data()).isEqualTo(Path.of("/srv/coffre"));
    assertThat(t.trust()).isNull();
  }

  @Test
  void resolve_nothingGiven_isTheDefaultAddressAndTheUsersDataDirectory() {
    Path home = dir.resolve("home");
    AdminTarget t =
        AdminTarget.resolve(
            new AdminTarget.Flags(null, null, home.resolve("d"), null), Map.of(), home);
    assertThat(t.url()).hasToString("http://127.0.0.1:7072");
    assertThat(t.data()).isEqualTo(home.resolve("d"));
  }

  @Test
  void resolve_adminApiOff_saysSoAndWhere() throws Exception {
    Path config = Files.writeString(dir.resolve("c.yaml"), "admin-address: \"off\"\n");
    assertThatThrownBy(
            () ->
                AdminTarget.resolve(new AdminTarget.Flags(null, config, null, null), Map.of(), dir))
        .hasMessageContaining("admin API is off")
        .hasMessageContaining("c.yaml");
  }

  @Test
  void resolve_aDataDirectory_reachesTheServerThatWroteItsEndpoint() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(
        data.resolve(fr.coffre.server.AdminEndpoint.FILE_NAME),
        "url=https\\://127.0.0.1\\:17443\ntls-cert=/etc/coffre/cert.pem\n");
    AdminTarget t =
        AdminTarget.resolve(new AdminTarget.Flags(null, null, data, null), Map.of(), dir);
    assertThat(t.url()).hasToString("https://127.0.0.1:17443");
    assertThat(t.trust()).isEqualTo(Path.of("/etc/coffre/cert.pem"));
    assertThat(t.urlSource()).contains("admin.endpoint");
  }

  @Test
  void resolve_aConfigFileWithoutData_isNotOverriddenByTheUsersOwnServer() throws Exception {
    // The user's own data directory holds the endpoint of another server, started earlier.
    Path home = dir.resolve("home");
    Path homeData = Files.createDirectories(home.resolve(".local/share/coffre"));
    Files.writeString(
        homeData.resolve(fr.coffre.server.AdminEndpoint.FILE_NAME),
        "url=http\\://127.0.0.1\\:7072\n");
    Path config = Files.writeString(dir.resolve("c.yaml"), "admin-address: 127.0.0.1:9300\n");
    AdminTarget t =
        AdminTarget.resolve(new AdminTarget.Flags(null, config, null, null), Map.of(), home);
    assertThat(t.url()).hasToString("http://127.0.0.1:9300");
    assertThat(t.urlSource()).contains("admin-address");

    // Without any stated address, the user's own server is the one reached.
    AdminTarget own = AdminTarget.resolve(none(), Map.of(), home);
    assertThat(own.url()).hasToString("http://127.0.0.1:7072");
    assertThat(own.urlSource()).contains("admin.endpoint");
  }
}
