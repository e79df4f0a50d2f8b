package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.service.oidc.OidcSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code console.oidc} section, as the server reads it. */
class OidcSettingsTest {
  @TempDir Path dir;

  private ServerConfig resolve(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("coffre.yaml");
    Files.writeString(f, "data: " + dir.resolve("data") + "\n" + yaml);
    return new Settings(Map.of(), env, ConfigFile.load(f), f.toString()).resolve();
  }

  private static final String PROCONNECT =
      """
      console:
        public-url: https://coffre.mairie.example/
        oidc:
          name: ProConnect
          issuer: https://auth.agentconnect.gouv.fr/api/v2
          client-id: coffre-mairie
          scopes: [openid, email, given_name, usual_name, siret, uid]
          userinfo: true
          user-claim: uid
          tenant-claim: siret
          tenants: {"21750001600019": mairie-paris}
          default-policies: [ReadOnly]
      """;

  @Test
  void proConnectExample_isRead_secretFromTheEnvironment() throws Exception {
    OidcSettings o = resolve(PROCONNECT, Map.of("COFFRE_OIDC_CLIENT_SECRET", "s3cr3t")).oidc();

    assertThat(o.name()).isEqualTo("ProConnect");
    assertThat(o.issuer()).isEqualTo("https://auth.agentconnect.gouv.fr/api/v2");
    assertThat(o.clientSecret()).isEqualTo("s3cr3t");
    assertThat(o.redirectUri())
        .isEqualTo(URI.create("https://coffre.mairie.example/oidc/callback"));
    assertThat(o.userinfo()).isTrue();
    assertThat(o.userClaim()).isEqualTo("uid");
    assertThat(o.tenants()).containsEntry("21750001600019", "mairie-paris");
    assertThat(o.defaultPolicies()).containsExactly("ReadOnly");
    assertThat(o.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void secretFile_winsOverNothing() throws Exception {
    Path secret = Files.writeString(dir.resolve("oidc.secret"), "from-file\n");
    OidcSettings o =
        resolve(
                PROCONNECT.replace(
                    "    client-id: coffre-mairie",
                    "    client-id: coffre-mairie\n    client-secret-file: " + secret),
                Map.of())
            .oidc();
    assertThat(o.clientSecret()).isEqualTo("from-file");
  }

  @Test
  void noSection_noProvider() throws Exception {
    assertThat(resolve("", Map.of()).oidc()).isNull();
  }

  @Test
  void missingSecret_refused() {
    assertThatThrownBy(() -> resolve(PROCONNECT, Map.of()))
        .hasMessageContaining("COFFRE_OIDC_CLIENT_SECRET");
  }

  @Test
  void missingPublicUrl_refused() {
    assertThatThrownBy(
            () ->
                resolve(
                    PROCONNECT.replace("  public-url: https://coffre.mairie.example/\n", ""),
                    Map.of("COFFRE_OIDC_CLIENT_SECRET", "x")))
        .hasMessageContaining("console.public-url");
  }

  @Test
  void plainHttpIssuerBeyondLoopback_refused() {
    assertThatThrownBy(
            () ->
                resolve(
                    PROCONNECT.replace("https://auth.agentconnect", "http://auth.agentconnect"),
                    Map.of("COFFRE_OIDC_CLIENT_SECRET", "x")))
        .hasMessageContaining("https://");
  }

  @Test
  void unknownPolicy_refusedNamingIt() {
    assertThatThrownBy(
            () ->
                resolve(
                    PROCONNECT.replace("[ReadOnly]", "[Archivist]"),
                    Map.of("COFFRE_OIDC_CLIENT_SECRET", "x")))
        .hasMessageContaining("Archivist");
  }

  @Test
  void missingTenantClaim_refused() {
    assertThatThrownBy(
            () ->
                resolve(
                    PROCONNECT.replace("    tenant-claim: siret\n", ""),
                    Map.of("COFFRE_OIDC_CLIENT_SECRET", "x")))
        .hasMessageContaining("tenant-claim");
  }

  @Test
  void groupsAndDeclaredPolicies() throws Exception {
    OidcSettings o =
        resolve(
                PROCONNECT
                    + """
                        groups-claim: groups
                        groups: {coffre-admins: [TenantAdmin], agents: [Agents]}
                        policies:
                          Agents: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:List*","Resource":"*"}]}'
                    """,
                Map.of("COFFRE_OIDC_CLIENT_SECRET", "x"))
            .oidc();
    assertThat(o.groupPolicies()).containsEntry("agents", List.of("Agents"));
    assertThat(o.document("Agents")).contains("s3:List*");
    assertThat(o.document("TenantAdmin")).contains("\"Action\":\"*\"");
  }
}
