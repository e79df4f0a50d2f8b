package fr.coffre.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsrfTest {
  private static final String TOKEN = "q1w2e3r4t5y6u7i8o9p0";
  private static final String ORIGIN = "Origin: http://coffre.example:7071";

  @Test
  void matches_theSessionsToken_true() {
    assertThat(Csrf.matches(TOKEN, TOKEN)).isTrue();
  }

  @Test
  void matches_anotherToken_false() {
    assertThat(Csrf.matches("q1w2e3r4t5y6u7i8o9pX", TOKEN)).isFalse();
    assertThat(Csrf.matches(TOKEN.substring(1), TOKEN)).isFalse();
    assertThat(Csrf.matches(TOKEN + "x", TOKEN)).isFalse();
    assertThat(Csrf.matches("", TOKEN)).isFalse();
  }

  @Test
  void matches_noToken_false() {
    assertThat(Csrf.matches(null, TOKEN)).isFalse();
  }

  @Test
  void matches_sessionWithoutToken_false() {
    assertThat(Csrf.matches("", "")).isFalse();
    assertThat(Csrf.matches(null, null)).isFalse();
  }

  @Test
  void allows_readWithoutToken_accepted() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(Csrf.allows(req, TOKEN)))) {
      assertThat(edge.send("GET", "/api/buckets").getContent()).isEqualTo("true");
      assertThat(edge.send("GET", "/api/buckets", ORIGIN).getContent()).isEqualTo("true");
    }
  }

  @Test
  void allows_changeWithoutToken_refused() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(Csrf.allows(req, TOKEN)))) {
      assertThat(edge.send("POST", "/api/buckets", ORIGIN).getContent()).isEqualTo("false");
      assertThat(edge.send("DELETE", "/api/session").getContent()).isEqualTo("false");
    }
  }

  @Test
  void allows_changeWithAnotherToken_refused() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(Csrf.allows(req, TOKEN)))) {
      assertThat(
              edge.send("PUT", "/api/buckets/b/object?key=k", ORIGIN, "X-Coffre-CSRF: nope")
                  .getContent())
          .isEqualTo("false");
    }
  }

  @Test
  void allows_changeWithTheToken_accepted() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(Csrf.allows(req, TOKEN)))) {
      assertThat(edge.send("POST", "/api/buckets", ORIGIN, "X-Coffre-CSRF: " + TOKEN).getContent())
          .isEqualTo("true");
      assertThat(edge.send("DELETE", "/api/session", "X-Coffre-CSRF: " + TOKEN).getContent())
          .isEqualTo("true");
    }
  }

  @Test
  void allows_callFromAnotherSite_refusedEvenWithTheToken() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(Csrf.allows(req, TOKEN)))) {
      assertThat(
              edge.send(
                      "POST",
                      "/api/buckets",
                      "Origin: http://evil.example",
                      "X-Coffre-CSRF: " + TOKEN)
                  .getContent())
          .isEqualTo("false");
      assertThat(edge.send("GET", "/api/buckets", "Origin: http://evil.example").getContent())
          .isEqualTo("false");
    }
  }
}
