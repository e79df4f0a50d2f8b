package fr.coffre.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.jetty.http.HttpTester;
import org.junit.jupiter.api.Test;

class SessionCookieTest {
  private static final SessionCookie CONSOLE = new SessionCookie("coffre_console", "/");
  private static final SessionCookie ADMIN = new SessionCookie("coffre_admin", "/admin");

  @Test
  void header_forASession_isHttpOnlyStrictAndScopedToItsPath() {
    assertThat(ADMIN.header("abc-DEF_123", false))
        .isEqualTo("coffre_admin=abc-DEF_123; Path=/admin; HttpOnly; SameSite=Strict");
  }

  @Test
  void header_laxCookie_isLaxAndStillHttpOnly() {
    // The OIDC state cookie must come back with the provider's cross-site redirect.
    assertThat(new SessionCookie("coffre_oidc", "/oidc/", true).header("st4te", true))
        .isEqualTo("coffre_oidc=st4te; Path=/oidc/; HttpOnly; SameSite=Lax; Secure");
  }

  @Test
  void header_underTls_isSecure() {
    assertThat(CONSOLE.header("abc", true))
        .isEqualTo("coffre_console=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
  }

  @Test
  void header_toClear_isEmptyAndExpiresAtOnce() {
    assertThat(CONSOLE.header(null, true))
        .isEqualTo("coffre_console=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
  }

  @Test
  void header_valueThatWouldEndTheCookie_refused() {
    assertThatThrownBy(() -> CONSOLE.header("abc; Domain=evil.example", false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void new_nameOrPathThatCouldInjectAttributes_refused() {
    assertThatThrownBy(() -> new SessionCookie("a;b", "/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a;b");
    assertThatThrownBy(() -> new SessionCookie("a", "/x; Domain=evil"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionCookie("a", "relative"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void set_plainRequest_addsHttpOnlyStrictCookieWithoutSecure() throws Exception {
    try (LocalEdge edge =
        new LocalEdge(
            (req, res) -> {
              ADMIN.set(req, res, "s1");
              return "";
            })) {
      assertThat(edge.send("POST", "/admin/v1/session").get("Set-Cookie"))
          .isEqualTo("coffre_admin=s1; Path=/admin; HttpOnly; SameSite=Strict");
    }
  }

  @Test
  void set_tlsRequest_addsSecureCookie() throws Exception {
    try (LocalEdge edge =
        new LocalEdge(
            (req, res) -> {
              CONSOLE.set(req, res, "s1");
              return "";
            })) {
      assertThat(edge.send("POST", "/api/session", "X-Forwarded-Proto: https").get("Set-Cookie"))
          .isEqualTo("coffre_console=s1; Path=/; HttpOnly; SameSite=Strict; Secure");
    }
  }

  @Test
  void set_withoutSessionId_refused() throws Exception {
    try (LocalEdge edge =
        new LocalEdge(
            (req, res) -> {
              try {
                CONSOLE.set(req, res, null);
                return "set";
              } catch (IllegalArgumentException e) {
                return "refused";
              }
            })) {
      assertThat(edge.send("POST", "/api/session").getContent()).isEqualTo("refused");
    }
  }

  @Test
  void clear_tlsRequest_expiresTheCookieAtOnce() throws Exception {
    try (LocalEdge edge =
        new LocalEdge(
            (req, res) -> {
              CONSOLE.clear(req, res);
              return "";
            })) {
      assertThat(edge.send("DELETE", "/api/session", "X-Forwarded-Proto: https").get("Set-Cookie"))
          .isEqualTo("coffre_console=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
    }
  }

  @Test
  void read_requestWithTheCookie_givesItsValue() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(CONSOLE.read(req)))) {
      HttpTester.Response r =
          edge.send("GET", "/api/buckets", "Cookie: other=x; coffre_console=s1; coffre_admin=s2");
      assertThat(r.getContent()).isEqualTo("s1");
    }
  }

  @Test
  void read_requestWithoutTheCookie_givesNull() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(ADMIN.read(req)))) {
      assertThat(edge.send("GET", "/admin/v1/keys", "Cookie: coffre_console=s1").getContent())
          .isEqualTo("null");
      assertThat(edge.send("GET", "/admin/v1/keys").getContent()).isEqualTo("null");
    }
  }
}
