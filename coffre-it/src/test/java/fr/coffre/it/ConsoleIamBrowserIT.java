package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The tenant console's "Utilisateurs et accès" page in Chromium (same Playwright setup as {@link
 * ConsoleBrowserIT}): a tenant admin creates a user, mints its access key (the secret shown once),
 * attaches a policy for one bucket (a malformed one first, refused with its place), and the new key
 * then works with the AWS SDK on that bucket and is refused on another; a user of the tenant
 * without IAM rights sees the refusal on the page; the calls are in the tenant's audit chain, the
 * secret is not.
 */
class ConsoleIamBrowserIT {
  static final double TIMEOUT = 60_000;

  static ServerProcess server;
  static Identities.Key admin;
  static Identities.Key bob;
  static Identities.Key reader;
  static Path work;
  static Playwright playwright;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    assertThat(ConsoleBrowserIT.CHROMIUM).as("Debian's chromium package").exists();
    Files.createDirectories(ConsoleBrowserIT.SHOTS);
    server = ServerProcess.start();
    Identities ids = new Identities(server);
    ids.tenant("hopital");
    admin =
        ids.user(
            "hopital",
            "admin",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"*\",\"Resource\":\"*\"}]}");
    bob = ids.user("hopital", "bob", Identities.FULL_ACCESS);
    // May list users and roles, nothing else of IAM.
    reader =
        ids.user(
            "hopital",
            "lecteur",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"iam:ListUsers\",\"iam:ListRoles\"],\"Resource\":\"*\"}]}");
    work = Files.createTempDirectory("console-iam-it");
    try (S3Client s3 = admin.client(server)) {
      s3.createBucket(b -> b.bucket("dossiers"));
      s3.createBucket(b -> b.bucket("autres"));
    }
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
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
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static BrowserContext context() {
    BrowserContext c =
        browser.newContext(
            new Browser.NewContextOptions().setLocale("fr-FR").setViewportSize(1366, 768));
    c.setDefaultTimeout(TIMEOUT);
    return c;
  }

  private static Locator button(Page page, String name) {
    return page.getByRole(
        AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
  }

  private static LocatorAssertions.IsVisibleOptions patient() {
    return new LocatorAssertions.IsVisibleOptions().setTimeout(TIMEOUT);
  }

  private static Page signIn(BrowserContext ctx, Identities.Key key) {
    Page page = ctx.newPage();
    page.navigate(server.consoleEndpoint().toString());
    page.getByLabel("Clé d’accès").fill(key.id());
    page.getByLabel("Clé secrète").fill(key.secret());
    button(page, "Se connecter").click();
    PlaywrightAssertions.assertThat(button(page, "Se déconnecter")).isVisible(patient());
    page.getByRole(
            AriaRole.LINK,
            new Page.GetByRoleOptions().setName("Utilisateurs et accès").setExact(true))
        .click();
    PlaywrightAssertions.assertThat(
            page.getByRole(
                AriaRole.HEADING,
                new Page.GetByRoleOptions().setName("Utilisateurs et accès").setLevel(1)))
        .isVisible(patient());
    return page;
  }

  @Test
  void tenantAdminMakesAUserWhoseKeyReachesOneBucket() throws Exception {
    String accessKey;
    String secret;
    try (BrowserContext ctx = context()) {
      Page page = signIn(ctx, admin);
      page.getByLabel("Nom de l’utilisateur").fill("agent");
      button(page, "Créer l’utilisateur").click();
      PlaywrightAssertions.assertThat(
              page.locator(".messages").getByText("Utilisateur agent créé."))
          .isVisible(patient());

      button(page, "Créer une clé d’accès pour agent").click();
      PlaywrightAssertions.assertThat(
              page.getByText("La clé secrète n’est affichée que cette fois"))
          .isVisible(patient());
      accessKey = page.locator("#new-access-key").textContent();
      secret = page.locator("#new-secret-key").textContent();
      assertThat(accessKey).startsWith("CF");
      assertThat(secret).hasSize(40);
      ConsoleBrowserIT.accessible(page, "users and access, a new secret shown");
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(ConsoleBrowserIT.SHOTS.resolve("iam-01-secret-once.png"))
              .setFullPage(true));
      button(page, "J’ai copié le secret").click();
      PlaywrightAssertions.assertThat(page.locator("#new-secret-key")).hasCount(0);
      // The key is listed, its secret nowhere on the page any more.
      PlaywrightAssertions.assertThat(
              page.getByText(accessKey, new Page.GetByTextOptions().setExact(true)))
          .isVisible(patient());
      assertThat(page.content()).doesNotContain(secret);

      Locator edit =
          page.locator("details.policy-edit")
              .filter(new Locator.FilterOptions().setHasText("politique de agent"));
      edit.locator("summary").click();
      edit.getByLabel("Nom de la politique").fill("dossiers");
      // A statement without Action: refused, and the server's message says where.
      edit.getByLabel("Document de politique (JSON)")
          .fill(
              "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                  + "\"Resource\":\"*\"}]}");
      edit.getByRole(
              AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enregistrer la politique"))
          .click();
      Locator alert = page.locator(".messages [role=alert]");
      PlaywrightAssertions.assertThat(alert).containsText("La politique n’est pas valide");
      PlaywrightAssertions.assertThat(alert).containsText("Action");
      edit.getByLabel("Document de politique (JSON)")
          .fill(
              "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                  + "\"Resource\":[\"arn:aws:s3:::dossiers\",\"arn:aws:s3:::dossiers/*\"]}]}");
      edit.getByRole(
              AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enregistrer la politique"))
          .click();
      PlaywrightAssertions.assertThat(
              page.locator(".messages").getByText("Politique dossiers enregistrée pour agent."))
          .isVisible(patient());
      // The list, read again from the server, names the policy in agent's row.
      PlaywrightAssertions.assertThat(button(page, "Retirer la politique dossiers de agent"))
          .isVisible(patient());
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(ConsoleBrowserIT.SHOTS.resolve("iam-02-users.png"))
              .setFullPage(true));

      // The new key works on its bucket with the AWS SDK, and only there.
      Identities.Key made = new Identities.Key(accessKey, secret);
      try (S3Client s3 = made.client(server)) {
        s3.putObject(
            b -> b.bucket("dossiers").key("patient-1.txt"), RequestBody.fromString("bonjour"));
        assertThat(
                s3.getObjectAsBytes(b -> b.bucket("dossiers").key("patient-1.txt")).asUtf8String())
            .isEqualTo("bonjour");
        assertThatThrownBy(
                () ->
                    s3.putObject(
                        b -> b.bucket("autres").key("x.txt"), RequestBody.fromString("non")))
            .isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      }

      // Each call is in the tenant's chain, named as the IAM API names it; the secret is not.
      APIResponse audit = page.request().get(server.consoleEndpoint() + "/api/audit?limit=100");
      assertThat(audit.status()).isEqualTo(200);
      JsonNode records = Identities.JSON.readTree(audit.text()).get("records");
      List<String> ops = records.findValuesAsText("operation");
      assertThat(ops).contains("CreateUser", "CreateAccessKey", "PutUserPolicy", "ListUsers");
      APIResponse export = page.request().get(server.consoleEndpoint() + "/api/audit/export");
      assertThat(export.status()).isEqualTo(200);
      String chain = export.text();
      assertThat(chain).contains(accessKey).contains("\"operation\":\"CreateAccessKey\"");
      assertThat(chain).doesNotContain(secret);

      // Deleting the key ends its access.
      button(page, "Supprimer la clé d’accès " + accessKey).click();
      page.locator("dialog")
          .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Confirmer"))
          .click();
      PlaywrightAssertions.assertThat(
              page.locator(".messages").getByText("Clé d’accès " + accessKey + " supprimée."))
          .isVisible(patient());
      try (S3Client s3 = made.client(server)) {
        assertThatThrownBy(
                () -> s3.getObjectAsBytes(b -> b.bucket("dossiers").key("patient-1.txt")))
            .isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      }
    }
  }

  @Test
  void aUserWithoutIamRightsIsRefusedOnThePage() throws Exception {
    try (BrowserContext ctx = context()) {
      Page page = signIn(ctx, bob);
      PlaywrightAssertions.assertThat(
              page.getByText(
                      "Accès refusé : vos droits ne vous permettent pas de gérer les utilisateurs de ce"
                          + " locataire.")
                  .first())
          .isVisible(patient());
      page.getByLabel("Nom de l’utilisateur").fill("intrus");
      button(page, "Créer l’utilisateur").click();
      PlaywrightAssertions.assertThat(page.locator(".messages [role=alert]"))
          .containsText("Accès refusé");
      // The refusal is the console's error shape, with a 403.
      APIResponse r =
          page.request()
              .post(
                  server.consoleEndpoint() + "/api/iam/users",
                  com.microsoft.playwright.options.RequestOptions.create()
                      .setHeader("Origin", server.consoleEndpoint().toString())
                      .setData(Map.of("name", "intrus")));
      // No CSRF token on this hand-made call: refused before the IAM check.
      assertThat(r.status()).isEqualTo(403);
      assertThat(Identities.JSON.readTree(r.text()).get("error").asText()).isEqualTo("CsrfRefused");
      String csrf =
          Identities.JSON
              .readTree(page.request().get(server.consoleEndpoint() + "/api/session").text())
              .get("csrf")
              .asText();
      r =
          page.request()
              .post(
                  server.consoleEndpoint() + "/api/iam/users",
                  com.microsoft.playwright.options.RequestOptions.create()
                      .setHeader("X-Coffre-CSRF", csrf)
                      .setData(Map.of("name", "intrus")));
      assertThat(r.status()).isEqualTo(403);
      JsonNode body = Identities.JSON.readTree(r.text());
      assertThat(body.get("error").asText()).isEqualTo("AccessDenied");
    }
    // And the user was not made.
    assertThat(server.admin("GET", "tenants/hopital/users", null).body()).doesNotContain("intrus");
  }

  /** aws-cli on the S3 endpoint with the given keys and no other configuration; its output. */
  private static String aws(Identities.Key key, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/aws",
                "--endpoint-url",
                server.endpoint().toString(),
                "--output",
                "json"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", work.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
    env.put("AWS_ACCESS_KEY_ID", key.id());
    env.put("AWS_SECRET_ACCESS_KEY", key.secret());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  @Test
  void aReaderSeesUsersAndRolesMadeWithAwsIamButMintsNothing() throws Exception {
    // Made through `aws iam`: the console shows the same users and roles.
    aws(admin, "iam", "create-user", "--user-name", "par-cli");
    Path trust = work.resolve("trust.json");
    Files.writeString(
        trust,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}");
    aws(
        admin,
        "iam",
        "create-role",
        "--role-name",
        "archiviste",
        "--assume-role-policy-document",
        "file://" + trust);
    try (BrowserContext ctx = context()) {
      Page page = signIn(ctx, reader);
      PlaywrightAssertions.assertThat(
              page.getByRole(AriaRole.ROWHEADER, new Page.GetByRoleOptions().setName("par-cli")))
          .isVisible(patient());
      PlaywrightAssertions.assertThat(
              page.getByRole(AriaRole.ROWHEADER, new Page.GetByRoleOptions().setName("archiviste")))
          .isVisible(patient());
      PlaywrightAssertions.assertThat(page.getByText("sts:AssumeRole")).isVisible();
      ConsoleBrowserIT.accessible(page, "users and access, roles listed");
      // Keys and policies of others are not listed to it.
      PlaywrightAssertions.assertThat(page.getByText("(liste non autorisée)").first()).isVisible();
      button(page, "Créer une clé d’accès pour par-cli").click();
      PlaywrightAssertions.assertThat(page.locator(".messages [role=alert]"))
          .containsText("Accès refusé");
      assertThat(page.locator("#new-secret-key").count()).isZero();
    }
    assertThat(aws(admin, "iam", "list-access-keys", "--user-name", "par-cli"))
        .doesNotContain("AccessKeyId");
  }
}
