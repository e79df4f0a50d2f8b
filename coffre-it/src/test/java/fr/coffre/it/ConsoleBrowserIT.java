package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser: Debian's Chromium, headless, driven by Playwright. Signs in,
 * creates a bucket, uploads a 20 MiB file (multipart, with a network failure in the middle that the
 * upload resumes from), browses, downloads, makes a share link, downloads through it from a fresh
 * browser context, revokes it and sees the download refused. Screenshots go to {@code
 * target/screenshots}.
 */
class ConsoleBrowserIT {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path SHOTS = Paths.get("target", "screenshots");
  static final double TIMEOUT = 60_000;

  static ServerProcess server;
  static Identities.Key alice;
  static Playwright playwright;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    assertThat(CHROMIUM).as("Debian's chromium package (.ci/run installs it)").exists();
    Files.createDirectories(SHOTS);
    server = ServerProcess.start();
    Identities ids = new Identities(server);
    ids.tenant("mairie");
    // s3:* covers data; the sovereignty views (residency, keys, audit trail) are coffre: actions.
    alice =
        ids.user(
            "mairie",
            "alice",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"s3:*\",\"coffre:*\"],\"Resource\":\"*\"}]}");
    // Playwright's own browser download is never used: the machine has no internet, and the
    // browser under test is the distribution's.
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
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

  private static BrowserContext context(String locale) {
    BrowserContext c =
        browser.newContext(
            new Browser.NewContextOptions()
                .setLocale(locale)
                .setViewportSize(1366, 768)
                .setAcceptDownloads(true));
    c.setDefaultTimeout(TIMEOUT);
    return c;
  }

  private static void shot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
  }

  private static Locator button(Page page, String name) {
    return page.getByRole(
        AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
  }

  private static Locator link(Page page, String name) {
    return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true));
  }

  private static LocatorAssertions.IsVisibleOptions patient() {
    return new LocatorAssertions.IsVisibleOptions().setTimeout(TIMEOUT);
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void signInUploadShareDownloadRevoke() throws Exception {
    Path file = SHOTS.resolve("registre-1789.bin");
    byte[] data = new byte[20 * 1024 * 1024];
    new Random(1789).nextBytes(data);
    Files.write(file, data);
    String expected = sha256(file);

    try (BrowserContext ctx = context("en-US")) {
      Page page = ctx.newPage();
      page.navigate(server.consoleEndpoint().toString());
      shot(page, "01-sign-in");
      page.getByLabel("Access key").fill(alice.id());
      page.getByLabel("Secret key").fill(alice.secret());
      button(page, "Sign in").click();
      PlaywrightAssertions.assertThat(button(page, "Sign out")).isVisible(patient());
      // The secret is in no browser storage, and the session cookie is out of scripts' reach.
      Object stored =
          page.evaluate(
              "() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie"
                  + " + location.href");
      assertThat(stored.toString()).doesNotContain(alice.secret()).doesNotContain("coffre_console");

      page.getByLabel("Bucket name").fill("etat-civil");
      page.getByLabel("Sensitivity class").selectOption("internal");
      button(page, "Create bucket").click();
      PlaywrightAssertions.assertThat(link(page, "etat-civil")).isVisible(patient());
      shot(page, "02-buckets");
      link(page, "etat-civil").click();
      PlaywrightAssertions.assertThat(page.getByLabel("Upload files")).isAttached();

      // The network fails under the second part: the upload pauses, then resumes from what the
      // server already holds.
      AtomicInteger refused = new AtomicInteger();
      Pattern secondPart = Pattern.compile(".*/parts/2\\?.*");
      page.route(
          secondPart,
          route -> {
            refused.incrementAndGet();
            route.abort("connectionreset");
          });
      page.getByLabel("Upload files").setInputFiles(file);
      Locator resume = button(page, "Resume registre-1789.bin");
      PlaywrightAssertions.assertThat(resume)
          .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(120_000));
      assertThat(refused.get()).isGreaterThan(1);
      shot(page, "03-upload-paused");
      page.unroute(secondPart);
      resume.click();
      PlaywrightAssertions.assertThat(
              page.getByText("Done", new Page.GetByTextOptions().setExact(true)))
          .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(120_000));
      shot(page, "04-upload-done");

      // Browse: the object is listed; its details; download it through the browser.
      Locator object =
          page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("registre-1789.bin"))
              .or(
                  page.getByRole(
                      AriaRole.BUTTON, new Page.GetByRoleOptions().setName("registre-1789.bin")))
              .first();
      PlaywrightAssertions.assertThat(object).isVisible(patient());
      object.click();
      Locator details =
          page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Object details"));
      PlaywrightAssertions.assertThat(details).isVisible(patient());
      PlaywrightAssertions.assertThat(details).containsText("SSE-S3");
      shot(page, "05-object-details");
      Download own =
          page.waitForDownload(
              () ->
                  details
                      .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Download"))
                      .click());
      assertThat(sha256(own.path())).isEqualTo(expected);

      // A share link, downloaded from a fresh browser context (no session, no cookies).
      details
          .getByRole(
              AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Share").setExact(true))
          .click();
      Locator dialog =
          page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Share link"));
      dialog
          .getByLabel("Expires in")
          .selectOption(new com.microsoft.playwright.options.SelectOption().setIndex(1));
      dialog
          .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create link"))
          .click();
      Locator urlField =
          dialog.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("Share link"));
      PlaywrightAssertions.assertThat(urlField)
          .hasValue(Pattern.compile(".*/s/[A-Za-z0-9_-]{43}$"));
      String url = urlField.inputValue();
      shot(page, "06-share-link");
      dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();

      try (BrowserContext stranger = context("en-US")) {
        Page p = stranger.newPage();
        p.navigate(url);
        PlaywrightAssertions.assertThat(
                p.getByRole(
                    AriaRole.HEADING, new Page.GetByRoleOptions().setName("registre-1789.bin")))
            .isVisible(patient());
        shot(p, "07-recipient");
        Download shared = p.waitForDownload(() -> button(p, "Download").click());
        assertThat(sha256(shared.path())).isEqualTo(expected);
      }

      // Revoke it: the recipient is refused.
      page.onDialog(d -> d.accept());
      page.getByRole(AriaRole.NAVIGATION)
          .getByText("Share links", new Locator.GetByTextOptions().setExact(true))
          .click();
      Locator revoke = button(page, "Revoke share registre-1789.bin");
      PlaywrightAssertions.assertThat(revoke).isVisible(patient());
      shot(page, "08-share-links");
      revoke.click();
      PlaywrightAssertions.assertThat(revoke).isHidden();
      try (BrowserContext stranger = context("en-US")) {
        Page p = stranger.newPage();
        p.navigate(url);
        PlaywrightAssertions.assertThat(p.getByRole(AriaRole.ALERT)).containsText("revoked");
        shot(p, "09-recipient-revoked");
      }

      // The trail shows the share, the download through it and the revocation.
      page.getByRole(AriaRole.NAVIGATION)
          .getByText("Audit trail", new Locator.GetByTextOptions().setExact(true))
          .click();
      Locator trail = page.getByRole(AriaRole.TABLE);
      PlaywrightAssertions.assertThat(trail.getByText("ShareLinkDownload").first())
          .isVisible(patient());
      PlaywrightAssertions.assertThat(trail.getByText("RevokeShareLink").first())
          .isVisible(patient());
      PlaywrightAssertions.assertThat(trail.getByText("CompleteMultipartUpload").first())
          .isVisible(patient());
      shot(page, "10-audit");
    }
  }

  /**
   * Runs axe-core's WCAG 2.1 A and AA rules (labels, contrast, roles, landmarks...) on a page and
   * fails with each violation and where it is.
   */
  static void accessible(Page page, String view) {
    com.deque.html.axecore.results.AxeResults results =
        new com.deque.html.axecore.playwright.AxeBuilder(page)
            .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
            .analyze();
    List<String> problems =
        results.getViolations().stream()
            .map(
                v ->
                    v.getId()
                        + " ("
                        + v.getImpact()
                        + "): "
                        + v.getHelp()
                        + " at "
                        + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
            .toList();
    assertThat(problems).as("accessibility of " + view).isEmpty();
  }

  /**
   * Issue #23 in the browser: the first admin of an enrolled tenant opens a support window for
   * access keys (the operator may then mint one), then revokes it (refused again).
   */
  @Test
  void tenantAdminOpensAndRevokesASupportWindow() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    ServerProcess.Admin created =
        server.admin("POST", "tenants", "{\"name\":\"prefecture\",\"enrolment\":true}");
    assertThat(created.status()).isEqualTo(201);
    String token = mapper.readTree(created.body()).get("enrolment").get("token").asText();
    var admin = new ConsoleClient(server.consoleEndpoint());
    ConsoleClient.Reply enrolled =
        admin.send(
            "POST",
            "/api/enrol",
            "{\"tenant\":\"prefecture\",\"token\":\"" + token + "\",\"user\":\"prefete\"}",
            "application/json",
            false,
            null);
    admin.close();
    assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
    String mint = "tenants/prefecture/users/prefete/access-keys";
    assertThat(server.admin("POST", mint, null).status()).isEqualTo(403);
    try (BrowserContext ctx = context("en-US")) {
      Page page = ctx.newPage();
      page.navigate(server.consoleEndpoint().toString());
      page.getByLabel("Access key").fill(enrolled.json().get("accessKey").asText());
      page.getByLabel("Secret key").fill(enrolled.json().get("secretKey").asText());
      button(page, "Sign in").click();
      page.getByRole(AriaRole.NAVIGATION)
          .getByText("Operator support", new Locator.GetByTextOptions().setExact(true))
          .click();
      page.getByLabel("Mint or re-activate access keys").check();
      page.getByLabel("Duration (minutes)").fill("30");
      button(page, "Open the window").click();
      PlaywrightAssertions.assertThat(page.getByText("Support window opened.").first())
          .isVisible(patient());
      PlaywrightAssertions.assertThat(button(page, "Revoke")).isVisible(patient());
      accessible(page, "operator support (admin)");
      assertThat(server.admin("POST", mint, null).status()).isEqualTo(201);
      button(page, "Revoke").click();
      PlaywrightAssertions.assertThat(page.getByText("Support window revoked.").first())
          .isVisible(patient());
      PlaywrightAssertions.assertThat(
              page.getByRole(AriaRole.CELL, new Page.GetByRoleOptions().setName("Revoked")))
          .isVisible(patient());
      assertThat(server.admin("POST", mint, null).status()).isEqualTo(403);
    }
  }

  @Test
  void everyViewPassesTheAccessibilityRulesAndWorksWithTheKeyboard() throws Exception {
    try (BrowserContext ctx = context("en-US")) {
      Page page = ctx.newPage();
      page.navigate(server.consoleEndpoint().toString());
      accessible(page, "sign-in");
      // Keyboard only: type, Tab to the secret, Enter submits.
      page.getByLabel("Access key").focus();
      page.keyboard().type(alice.id());
      page.keyboard().press("Tab");
      page.keyboard().type(alice.secret());
      page.keyboard().press("Enter");
      PlaywrightAssertions.assertThat(button(page, "Sign out")).isVisible(patient());
      // This server has one undeclared site and a key file: classes it cannot honour are not
      // offered.
      PlaywrightAssertions.assertThat(page.locator("select[name=class] option[value=restricted]"))
          .isDisabled();
      PlaywrightAssertions.assertThat(page.locator("select[name=class] option[value=public]"))
          .isEnabled();
      page.getByLabel("Bucket name").fill("a11y");
      button(page, "Create bucket").click();
      PlaywrightAssertions.assertThat(link(page, "a11y")).isVisible(patient());
      accessible(page, "buckets");
      link(page, "a11y").click();
      Path small = SHOTS.resolve("note.txt");
      Files.writeString(small, "bonjour");
      page.getByLabel("Upload files").setInputFiles(small);
      PlaywrightAssertions.assertThat(
              page.getByText("Done", new Page.GetByTextOptions().setExact(true)))
          .isVisible(patient());
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("note.txt"))
          .first()
          .click();
      PlaywrightAssertions.assertThat(
              page.getByRole(
                  AriaRole.REGION, new Page.GetByRoleOptions().setName("Object details")))
          .isVisible(patient());
      accessible(page, "objects and details");
      for (String view : List.of("Share links", "Keys", "Audit trail", "Operator support")) {
        page.getByRole(AriaRole.NAVIGATION)
            .getByText(view, new Locator.GetByTextOptions().setExact(true))
            .click();
        PlaywrightAssertions.assertThat(
                page.getByRole(
                    AriaRole.HEADING, new Page.GetByRoleOptions().setName(view).setExact(true)))
            .isVisible(patient());
        page.waitForLoadState();
        accessible(page, view);
      }
    }
    try (BrowserContext ctx = context("en-US")) {
      Page page = ctx.newPage();
      page.navigate(server.adminEndpoint().toString());
      accessible(page, "operator sign-in");
      page.getByLabel("Admin token").fill(ServerProcess.ADMIN_TOKEN);
      button(page, "Sign in").click();
      PlaywrightAssertions.assertThat(page.getByText("mairie").first()).isVisible(patient());
      accessible(page, "operator tenants");
      page.getByRole(AriaRole.NAVIGATION)
          .getByText("Locations and volumes", new Locator.GetByTextOptions().setExact(true))
          .click();
      PlaywrightAssertions.assertThat(page.getByText("default").first()).isVisible(patient());
      accessible(page, "operator volumes");
    }
  }

  @Test
  void frenchAndTheOperatorConsole() throws Exception {
    try (BrowserContext ctx = context("fr-FR")) {
      Page page = ctx.newPage();
      page.navigate(server.consoleEndpoint().toString());
      PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", "fr");
      page.getByLabel("Clé d’accès").fill(alice.id());
      page.getByLabel("Clé secrète").fill(alice.secret());
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Se connecter")).click();
      PlaywrightAssertions.assertThat(
              page.getByRole(
                  AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Se déconnecter")))
          .isVisible(patient());
      shot(page, "11-console-fr");
      page.getByLabel("Langue").selectOption("en");
      PlaywrightAssertions.assertThat(button(page, "Sign out")).isVisible(patient());
      PlaywrightAssertions.assertThat(page.locator("html")).hasAttribute("lang", "en");
    }
    try (BrowserContext ctx = context("en-US")) {
      Page page = ctx.newPage();
      page.navigate(server.adminEndpoint().toString());
      page.getByLabel("Admin token").fill(ServerProcess.ADMIN_TOKEN);
      button(page, "Sign in").click();
      PlaywrightAssertions.assertThat(page.getByText("mairie").first()).isVisible(patient());
      shot(page, "12-operator-tenants");
      page.getByRole(AriaRole.NAVIGATION)
          .getByText("Locations and volumes", new Locator.GetByTextOptions().setExact(true))
          .click();
      PlaywrightAssertions.assertThat(page.getByText("default").first()).isVisible(patient());
      shot(page, "13-operator-volumes");
      page.getByRole(AriaRole.NAVIGATION)
          .getByText("Scrubber", new Locator.GetByTextOptions().setExact(true))
          .click();
      shot(page, "14-operator-scrubber");
      Object stored =
          page.evaluate(
              "() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
      assertThat(stored.toString()).doesNotContain(ServerProcess.ADMIN_TOKEN);
    }
  }

  /**
   * Issue 16, bug 8: in French the residency summary and undeclared places are French; an unknown
   * bucket's page shows its error alone (no endless "Chargement…", no upload box); at 1400 px the
   * audit table fits, breaks operation names only between words, and names the operator's calls.
   */
  @Test
  void frenchResidency_unknownBucket_andTheAuditTableAt1400px() throws Exception {
    try (ConsoleClient api = new ConsoleClient(server.consoleEndpoint())) {
      assertThat(api.signIn(alice.id(), alice.secret()).status()).isEqualTo(200);
      assertThat(api.change("POST", "/api/buckets", "{\"name\":\"registres\"}").status())
          .isEqualTo(201);
      assertThat(
              api.send(
                      "PUT",
                      "/api/buckets/registres/object?key=acte.txt",
                      "acte",
                      "text/plain",
                      true,
                      null)
                  .status())
          .isEqualTo(200);
    }
    assertThat(server.admin("PUT", "tenants/mairie/quota", "{\"objects\":100000}").status())
        .isEqualTo(200);
    BrowserContext ctx =
        browser.newContext(
            new Browser.NewContextOptions().setLocale("fr-FR").setViewportSize(1400, 900));
    ctx.setDefaultTimeout(TIMEOUT);
    try (ctx) {
      Page page = ctx.newPage();
      page.navigate(server.consoleEndpoint().toString());
      page.getByLabel("Clé d’accès").fill(alice.id());
      page.getByLabel("Clé secrète").fill(alice.secret());
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Se connecter")).click();
      PlaywrightAssertions.assertThat(
              page.getByRole(
                  AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Se déconnecter")))
          .isVisible(patient());

      page.navigate(server.consoleEndpoint() + "#/residency/registres");
      Locator summary = page.locator(".res-summary");
      PlaywrightAssertions.assertThat(summary).isVisible(patient());
      PlaywrightAssertions.assertThat(summary)
          .hasText(
              "Chaque copie de l’objet du compartiment registres est là où la classe « internal » l’autorise.");
      PlaywrightAssertions.assertThat(page.getByText("Non déclaré").first()).isVisible();
      String shown = page.locator("main").innerText();
      assertThat(shown).doesNotContain("Every copy", "undeclared", "Undeclared");
      shot(page, "15-residency-fr");

      page.navigate(server.consoleEndpoint() + "#/objects/inexistant/");
      PlaywrightAssertions.assertThat(page.getByRole(AriaRole.ALERT))
          .containsText("Ce compartiment n’existe pas");
      PlaywrightAssertions.assertThat(page.locator(".loading")).hasCount(0);
      PlaywrightAssertions.assertThat(page.locator("input[type=file]")).hasCount(0);
      PlaywrightAssertions.assertThat(page.getByText("Retour à vos compartiments")).isVisible();
      shot(page, "16-unknown-bucket-fr");

      page.navigate(server.consoleEndpoint() + "#/audit");
      Locator quota = page.locator("th.op", new Page.LocatorOptions().setHasText("SetTenantQuota"));
      PlaywrightAssertions.assertThat(quota.first()).isVisible(patient());
      PlaywrightAssertions.assertThat(quota.first())
          .hasAttribute("title", "PUT /admin/v1/tenants/mairie/quota");
      PlaywrightAssertions.assertThat(quota.first()).containsText("par l’exploitant");
      assertThat(page.locator(".audit-table").innerText()).doesNotContain("/admin/v1/");
      // The table fits its box: nothing to scroll sideways at 1400 px.
      Object overflow =
          page.evaluate(
              "() => { const w = document.querySelector('.audit-table').parentElement;"
                  + " return w.scrollWidth - w.clientWidth; }");
      assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
      // Every word of every operation name stays on one line.
      Object broken =
          page.evaluate(
              "() => [...document.querySelectorAll('.audit-table th.op .mono')].flatMap((el) =>"
                  + " [...el.childNodes].filter((n) => n.nodeType === 3).filter((n) => {"
                  + " const r = document.createRange(); r.selectNodeContents(n);"
                  + " return r.getClientRects().length > 1; }).map((n) => n.textContent))");
      assertThat((List<?>) broken).isEmpty();
      shot(page, "17-audit-fr-1400");
    }
  }
}
