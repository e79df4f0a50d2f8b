package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import fr.coffre.service.oidc.OidcException;
import fr.coffre.service.oidc.OidcHttp;
import fr.coffre.service.oidc.OidcVerifier;
import fr.coffre.service.oidc.VerifiedClaims;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-in to the tenant console through a real OpenID Connect provider: Keycloak ({@link
 * KeycloakProcess}, realm {@code mairie}) and a Coffre server whose {@code console.oidc} maps the
 * {@code siret} claim to the tenant {@code mairie} and the group {@code agents} to a policy that
 * may create and list buckets but not delete them.
 *
 * <p>In Chromium: the sign-in page offers the provider, Keycloak's own login page takes the
 * password, the console opens as the federated user {@code agent1} of {@code mairie}, which creates
 * a bucket and is refused its deletion. Over HTTP: a replayed callback, a state from another
 * browser, a code whose PKCE verifier does not match, and a person whose organisation has no tenant
 * are all refused with a page that says why, and recorded.
 */
class OidcConsoleSignInIT {
  static final String SIRET = "21750001600019";
  static final String AGENTS_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
          + "[\"s3:List*\",\"s3:Get*\",\"s3:Put*\",\"s3:CreateBucket\",\"coffre:*\"],"
          + "\"Resource\":\"*\"}]}";

  static KeycloakProcess keycloak;
  static ServerProcess server;
  static String account;
  static Identities.Key tenantAdmin;

  @BeforeAll
  static void start() throws Exception {
    keycloak = KeycloakProcess.start();
    Path work = Path.of(System.getProperty("coffre.it.workdir", "target/it-work"));
    Files.createDirectories(work);
    Path config = work.resolve("oidc-" + java.util.UUID.randomUUID() + ".yaml");
    // The file is read at launch; the public URL names the console port the server was given.
    server =
        ServerProcess.create("--config", config.toString())
            .withEnv(Map.of("COFFRE_OIDC_CLIENT_SECRET", KeycloakProcess.CLIENT_SECRET));
    Files.writeString(
        config,
        String.join(
            "\n",
            "console:",
            "  public-url: " + server.consoleEndpoint(),
            "  oidc:",
            "    name: Keycloak mairie",
            "    issuer: " + keycloak.issuer(),
            "    client-id: " + KeycloakProcess.CLIENT_ID,
            "    scopes: [openid, email, profile]",
            "    userinfo: true",
            "    user-claim: preferred_username",
            "    tenant-claim: siret",
            "    tenants:",
            "      \"" + SIRET + "\": mairie",
            "    groups-claim: groups",
            "    groups:",
            "      agents: [Agents]",
            "      coffre-admins: [TenantAdmin]",
            "    policies:",
            "      Agents: '" + AGENTS_POLICY + "'",
            // STS trusts the same issuer, its keys found by discovery (no jwks-file).
            "auth:",
            "  web-identity:",
            "    issuer: " + keycloak.issuer(),
            "    client-ids: [" + KeycloakProcess.CLIENT_ID + "]",
            ""));
    server.launch();
    Identities ids = new Identities(server);
    account = ids.tenant("mairie");
    tenantAdmin =
        ids.user(
            "mairie",
            "admin",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  // ------------------------------------------------------------------ in Chromium

  @Test
  void browser_signsInThroughKeycloak_createsBucket_isRefusedDeletion() throws Exception {
    try (Playwright playwright =
            Playwright.create(
                new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser =
            playwright
                .chromium()
                .launch(
                    new BrowserType.LaunchOptions()
                        .setExecutablePath(ConsoleBrowserIT.CHROMIUM)
                        .setHeadless(true)
                        .setArgs(
                            List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync")));
        BrowserContext ctx =
            browser.newContext(new Browser.NewContextOptions().setLocale("fr-FR"))) {
      ctx.setDefaultTimeout(ConsoleBrowserIT.TIMEOUT);
      Files.createDirectories(ConsoleBrowserIT.SHOTS);
      Page page = ctx.newPage();
      page.navigate(server.consoleEndpoint().toString());
      var provider =
          page.getByRole(
              AriaRole.LINK,
              new Page.GetByRoleOptions().setName("Se connecter avec Keycloak mairie"));
      PlaywrightAssertions.assertThat(provider).isVisible(patient());
      // Access-key sign-in stays for technical users.
      PlaywrightAssertions.assertThat(page.getByLabel("Clé d’accès")).isVisible();
      page.screenshot(shot("oidc-01-sign-in"));
      provider.click();

      // Keycloak's own login page, on its own origin.
      page.waitForURL(url -> url.startsWith(keycloak.issuer()));
      page.locator("#username").fill("agent1");
      page.locator("#password").fill("agent1-password");
      page.screenshot(shot("oidc-02-keycloak"));
      page.locator("#kc-login").click();

      // Back on the console, signed in as the federated user of the mapped tenant.
      page.waitForURL(url -> url.startsWith(server.consoleEndpoint().toString()));
      PlaywrightAssertions.assertThat(
              page.getByRole(
                  AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Se déconnecter")))
          .isVisible(patient());
      PlaywrightAssertions.assertThat(page.getByText("agent1").first()).isVisible(patient());
      page.screenshot(shot("oidc-03-console"));
      Object session = page.evaluate("() => fetch('/api/session').then(r => r.json())");
      assertThat(session.toString()).contains("tenant=mairie").contains("user=agent1");
      assertThat(session.toString()).contains("federated=true");

      // The mapped policy lets it create and list buckets.
      page.getByLabel("Nom du compartiment").fill("deliberations");
      page.getByRole(
              AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Créer le compartiment").setExact(true))
          .click();
      PlaywrightAssertions.assertThat(
              page.getByRole(
                  AriaRole.LINK,
                  new Page.GetByRoleOptions().setName("deliberations").setExact(true)))
          .isVisible(patient());
      page.screenshot(shot("oidc-04-bucket"));

      // ...but not delete them: the mapping grants no s3:DeleteBucket.
      Object status =
          page.evaluate(
              "async () => { const s = await (await fetch('/api/session')).json();"
                  + " const r = await fetch('/api/buckets/deliberations', {method: 'DELETE',"
                  + " headers: {'X-Coffre-CSRF': s.csrf}}); return r.status + ' ' + await r.text(); }");
      assertThat(status.toString()).startsWith("403").contains("AccessDenied");
    }
    // The user was created, federated (no access key), with exactly the mapped policy.
    JsonNode policies =
        new Identities(server).call(200, "GET", "tenants/mairie/users/agent1/policies", null);
    assertThat(policies.toString()).contains("oidc-Agents").doesNotContain("oidc-TenantAdmin");
    JsonNode keys =
        new Identities(server).call(200, "GET", "tenants/mairie/users/agent1/access-keys", null);
    assertThat(keys.toString()).doesNotContain("accessKeyId");
    // The sign-in is in the tenant's audit chain.
    assertThat(auditOf("mairie")).contains("ConsoleOidcSignIn").contains("agent1");
  }

  // ------------------------------------------------------------------ over HTTP

  @Test
  void callback_replayed_refused() throws Exception {
    Login login = startLogin();
    URI callback = keycloakLogin(login.authorizationUrl(), "admin1", "admin1-password");

    HttpResponse<String> first = coffreCallback(callback, login.stateCookie());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().allValues("set-cookie"))
        .anyMatch(c -> c.startsWith("coffre_console=") && c.contains("SameSite=Strict"));
    // admin1 is in coffre-admins: TenantAdmin replaces nothing else.
    JsonNode policies =
        new Identities(server).call(200, "GET", "tenants/mairie/users/admin1/policies", null);
    assertThat(policies.toString()).contains("oidc-TenantAdmin").doesNotContain("oidc-Agents");

    HttpResponse<String> replay = coffreCallback(callback, login.stateCookie());
    assertThat(replay.statusCode()).isEqualTo(403);
    assertThat(replay.body()).contains("used already").doesNotContain("Exception");
    assertThat(replay.headers().allValues("set-cookie"))
        .noneMatch(c -> c.startsWith("coffre_console=") && !c.contains("Max-Age=0"));
  }

  @Test
  void callback_stateOfAnotherBrowser_refused() throws Exception {
    Login mine = startLogin();
    Login theirs = startLogin();
    URI callback = keycloakLogin(mine.authorizationUrl(), "agent1", "agent1-password");

    // The browser that comes back holds another sign-in's state cookie (login CSRF).
    HttpResponse<String> r = coffreCallback(callback, theirs.stateCookie());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("not started in this browser");
    // Without any cookie, likewise.
    assertThat(coffreCallback(callback, null).statusCode()).isEqualTo(403);
    // And a made-up state with a matching made-up cookie finds no sign-in.
    URI forged = URI.create(callback.toString().replaceAll("state=[^&]+", "state=forged"));
    HttpResponse<String> f = coffreCallback(forged, "coffre_oidc=forged");
    assertThat(f.statusCode()).isEqualTo(403);
    assertThat(f.body()).contains("unknown");
  }

  @Test
  void callback_codeOfAnotherSignIn_failsPkce() throws Exception {
    Login first = startLogin();
    Login second = startLogin();
    URI callback = keycloakLogin(first.authorizationUrl(), "agent1", "agent1-password");
    Map<String, String> q = query(callback);
    // The first sign-in's code, delivered to the second one: Coffre sends the second one's PKCE
    // verifier, which does not match the challenge the code was issued for.
    URI swapped =
        URI.create(
            server.consoleEndpoint()
                + "/oidc/callback?state="
                + enc(second.state())
                + "&code="
                + enc(q.get("code")));

    HttpResponse<String> r = coffreCallback(swapped, second.stateCookie());

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("invalid_grant").doesNotContain("Exception");
  }

  @Test
  void signIn_organisationWithoutTenant_refusedWithAClearMessage() throws Exception {
    Login login = startLogin();
    URI callback = keycloakLogin(login.authorizationUrl(), "stranger", "stranger-password");

    HttpResponse<String> r = coffreCallback(callback, login.stateCookie());

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("99999999900099").contains("no tenant").doesNotContain("at fr.");
    JsonNode users = new Identities(server).call(200, "GET", "tenants/mairie/users", null);
    assertThat(users.toString()).doesNotContain("stranger");
  }

  @Test
  void verifier_realKeycloakTokens_acceptedAndTamperingRefused() throws Exception {
    JsonNode tokens = Identities.JSON.readTree(keycloak.passwordGrant("agent1", "agent1-password"));
    OidcVerifier verifier =
        new OidcVerifier(keycloak.issuer(), OidcHttp.jdk(), java.time.Clock.systemUTC());
    String idToken = tokens.get("id_token").asText();

    VerifiedClaims id = verifier.verifyIdToken(idToken, KeycloakProcess.CLIENT_ID, null);
    assertThat(id.string("siret")).isEqualTo(SIRET);
    assertThat(id.strings("groups")).contains("agents");
    // Keycloak's access token names the client in azp: what STS is handed.
    VerifiedClaims access =
        verifier.verifyAccessTokenOrIdToken(
            tokens.get("access_token").asText(), KeycloakProcess.CLIENT_ID);
    assertThat(access.subject()).isEqualTo(id.subject());
    // Keycloak signs userinfo (the client asks for it, as ProConnect does).
    assertThat(
            verifier.userInfo(
                tokens.get("access_token").asText(), KeycloakProcess.CLIENT_ID, id.subject()))
        .containsEntry("siret", SIRET);

    String[] parts = idToken.split("\\.");
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    new String(
                            java.util.Base64.getUrlDecoder().decode(parts[1]),
                            StandardCharsets.UTF_8)
                        .replace(SIRET, "99999999900099")
                        .getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertThatThrownBy(() -> verifier.verifyIdToken(forged, KeycloakProcess.CLIENT_ID, null))
        .isInstanceOf(OidcException.class)
        .hasMessageContaining("signature");
    assertThatThrownBy(() -> verifier.verifyIdToken(idToken, "another-client", null))
        .isInstanceOf(OidcException.class)
        .hasMessageContaining("another client");
  }

  // ------------------------------------------------------------------ helpers

  private static LocatorAssertions.IsVisibleOptions patient() {
    return new LocatorAssertions.IsVisibleOptions().setTimeout(ConsoleBrowserIT.TIMEOUT);
  }

  private static Page.ScreenshotOptions shot(String name) {
    return new Page.ScreenshotOptions()
        .setPath(ConsoleBrowserIT.SHOTS.resolve(name + ".png"))
        .setFullPage(true);
  }

  private record Login(URI authorizationUrl, String state, String stateCookie) {}

  /** {@code GET /oidc/login}: where Coffre sends the browser, and the state cookie it sets. */
  private static Login startLogin() throws IOException, InterruptedException {
    try (HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(server.consoleEndpoint().resolve("/oidc/login")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
      URI location = URI.create(r.headers().firstValue("location").orElseThrow());
      assertThat(location.toString()).startsWith(keycloak.issuer());
      Map<String, String> q = query(location);
      assertThat(q).containsEntry("code_challenge_method", "S256").containsKey("nonce");
      String setCookie =
          r.headers().allValues("set-cookie").stream()
              .filter(c -> c.startsWith("coffre_oidc="))
              .findFirst()
              .orElseThrow();
      assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax");
      return new Login(location, q.get("state"), setCookie.substring(0, setCookie.indexOf(';')));
    }
  }

  /** Signs in on Keycloak's login form; returns the redirect back to Coffre's callback. */
  private static URI keycloakLogin(URI authorizationUrl, String user, String password)
      throws IOException, InterruptedException {
    try (HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      HttpResponse<String> form =
          http.send(
              HttpRequest.newBuilder(authorizationUrl).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
      // Keycloak's session cookies are marked Secure, which java.net's CookieManager never sends
      // over http (a browser does, to loopback): they are sent back by hand.
      String cookies =
          String.join(
              "; ",
              form.headers().allValues("set-cookie").stream()
                  .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                  .toList());
      Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(form.body());
      assertThat(action.find()).as("Keycloak's login form").isTrue();
      URI post = URI.create(action.group(1).replace("&amp;", "&"));
      HttpResponse<String> done =
          http.send(
              HttpRequest.newBuilder(post)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Cookie", cookies)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "username="
                              + enc(user)
                              + "&password="
                              + enc(password)
                              + "&credentialId="))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
      URI back = URI.create(done.headers().firstValue("location").orElseThrow());
      assertThat(back.toString()).startsWith(server.consoleEndpoint() + "/oidc/callback");
      return back;
    }
  }

  private static HttpResponse<String> coffreCallback(URI callback, String cookie)
      throws IOException, InterruptedException {
    try (HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      HttpRequest.Builder b = HttpRequest.newBuilder(callback);
      if (cookie != null) {
        b.header("Cookie", cookie);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String auditOf(String tenant) throws IOException, InterruptedException {
    ServerProcess.Admin a = server.admin("GET", "audit/" + tenant, null);
    return a.status() + " " + a.body();
  }

  private static Map<String, String> query(URI u) {
    Map<String, String> q = new HashMap<>();
    for (String pair : u.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      q.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ STS with Keycloak's tokens

  /**
   * aws-cli {@code sts assume-role-with-web-identity} with an ID token Keycloak issued (its keys
   * found through discovery), then {@code s3 cp} with the temporary credentials; the same token
   * tampered with, and a person of another organisation, are refused.
   */
  @Test
  void sts_keycloakToken_assumesTheTenantsRole_thenS3() throws Exception {
    String provider = keycloak.issuer().replaceFirst("^https?://", "");
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Federated\":\""
            + keycloak.issuer()
            + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":"
            + "{\"StringEquals\":{\""
            + provider
            + ":siret\":\""
            + SIRET
            + "\"}}}]}";
    Map<String, String> asAdmin =
        Map.of(
            "AWS_ACCESS_KEY_ID", tenantAdmin.id(), "AWS_SECRET_ACCESS_KEY", tenantAdmin.secret());
    assertThat(aws(asAdmin, "s3", "mb", "s3://sts-agents").code()).isZero();
    CliResult role =
        aws(
            asAdmin,
            "iam",
            "create-role",
            "--role-name",
            "agent",
            "--assume-role-policy-document",
            trust);
    assertThat(role.code()).as(role.output()).isZero();
    CliResult put =
        aws(
            asAdmin,
            "iam",
            "put-role-policy",
            "--role-name",
            "agent",
            "--policy-name",
            "depot",
            "--policy-document",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\"],"
                + "\"Resource\":\"arn:aws:s3:::sts-agents/*\"}]}");
    assertThat(put.code()).as(put.output()).isZero();
    String roleArn = "arn:aws:iam::" + account + ":role/agent";

    JsonNode tokens = Identities.JSON.readTree(keycloak.passwordGrant("agent1", "agent1-password"));
    String idToken = tokens.get("id_token").asText();
    CliResult assumed = assume(roleArn, idToken);
    assertThat(assumed.code()).as(assumed.output()).isZero();
    JsonNode c = Identities.JSON.readTree(assumed.output()).get("Credentials");
    Map<String, String> asAgent =
        Map.of(
            "AWS_ACCESS_KEY_ID", c.get("AccessKeyId").asText(),
            "AWS_SECRET_ACCESS_KEY", c.get("SecretAccessKey").asText(),
            "AWS_SESSION_TOKEN", c.get("SessionToken").asText());
    Path file = Files.createTempFile("sts-", ".txt");
    Files.writeString(file, "signé par Keycloak");
    CliResult cp = aws(asAgent, "s3", "cp", file.toString(), "s3://sts-agents/agent1.txt");
    assertThat(cp.code()).as(cp.output()).isZero();
    CliResult back = aws(asAgent, "s3", "cp", "s3://sts-agents/agent1.txt", "-");
    assertThat(back.output()).contains("signé par Keycloak");
    // The role grants no listing of buckets.
    assertThat(aws(asAgent, "s3", "ls").output()).contains("AccessDenied");

    // Keycloak's access token names the client in azp: accepted too.
    assertThat(assume(roleArn, tokens.get("access_token").asText()).code()).isZero();
    // The same ID token with one signature character changed.
    String[] parts = idToken.split("\\.");
    String tampered =
        parts[0]
            + "."
            + parts[1]
            + "."
            + (parts[2].charAt(0) == 'A' ? 'B' : 'A')
            + parts[2].substring(1);
    assertThat(assume(roleArn, tampered).output()).contains("InvalidIdentityToken");
    // A person whose organisation (siret) is not the role's: the trust condition refuses.
    String strangers =
        Identities.JSON
            .readTree(keycloak.passwordGrant("stranger", "stranger-password"))
            .get("id_token")
            .asText();
    assertThat(assume(roleArn, strangers).output()).contains("AccessDenied");
  }

  private static CliResult assume(String roleArn, String token) throws Exception {
    return aws(
        Map.of(),
        "--output",
        "json",
        "sts",
        "assume-role-with-web-identity",
        "--role-arn",
        roleArn,
        "--role-session-name",
        "agent1",
        "--web-identity-token",
        token);
  }

  record CliResult(int code, String output) {}

  private static CliResult aws(Map<String, String> vars, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of("/usr/bin/aws", "--endpoint-url", server.endpoint().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", "/nonexistent");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    env.putAll(vars);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new CliResult(p.waitFor(), out);
  }
}
