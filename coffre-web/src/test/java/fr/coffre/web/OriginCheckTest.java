package fr.coffre.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OriginCheckTest {
  private static final String HOST = "coffre.example:7071";

  @Test
  void matches_noOrigin_accepted() {
    assertThat(OriginCheck.matches(null, "https", HOST)).isTrue();
  }

  @Test
  void matches_sameSchemeHostAndPort_accepted() {
    assertThat(OriginCheck.matches("https://coffre.example:7071", "https", HOST)).isTrue();
    assertThat(OriginCheck.matches("http://127.0.0.1:7071", "http", "127.0.0.1:7071")).isTrue();
    assertThat(OriginCheck.matches("http://[::1]:7071", "http", "[::1]:7071")).isTrue();
  }

  @Test
  void matches_hostInAnotherCase_accepted() {
    assertThat(OriginCheck.matches("https://Coffre.Example:7071", "https", HOST)).isTrue();
  }

  @Test
  void matches_defaultPortWrittenOnOneSideOnly_accepted() {
    assertThat(OriginCheck.matches("https://coffre.example", "https", "coffre.example:443"))
        .isTrue();
    assertThat(OriginCheck.matches("https://coffre.example:443", "https", "coffre.example"))
        .isTrue();
    assertThat(OriginCheck.matches("http://coffre.example", "http", "coffre.example:80")).isTrue();
  }

  @Test
  void matches_anotherHost_refused() {
    assertThat(OriginCheck.matches("https://evil.example:7071", "https", HOST)).isFalse();
    assertThat(OriginCheck.matches("https://coffre.example:7071.evil.example", "https", HOST))
        .isFalse();
    assertThat(OriginCheck.matches("https://sub.coffre.example:7071", "https", HOST)).isFalse();
  }

  @Test
  void matches_anotherPort_refused() {
    assertThat(OriginCheck.matches("https://coffre.example:7072", "https", HOST)).isFalse();
    assertThat(OriginCheck.matches("https://coffre.example", "https", HOST)).isFalse();
    assertThat(OriginCheck.matches("http://coffre.example:443", "https", "coffre.example"))
        .isFalse();
  }

  @Test
  void matches_anotherScheme_refused() {
    assertThat(OriginCheck.matches("http://coffre.example:7071", "https", HOST)).isFalse();
    assertThat(OriginCheck.matches("https://coffre.example:7071", "http", HOST)).isFalse();
  }

  @Test
  void matches_opaqueNullOrigin_refused() {
    assertThat(OriginCheck.matches("null", "https", HOST)).isFalse();
  }

  @Test
  void matches_originWithAPath_refused() {
    assertThat(OriginCheck.matches("https://coffre.example:7071/", "https", HOST)).isFalse();
  }

  @Test
  void matches_requestWithoutHost_refused() {
    assertThat(OriginCheck.matches("https://coffre.example:7071", "https", null)).isFalse();
    assertThat(OriginCheck.matches("https://coffre.example:7071", "https", " ")).isFalse();
  }

  @Test
  void allows_pageOfThisListener_accepted() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(OriginCheck.allows(req)))) {
      assertThat(
              edge.send("POST", "/api/buckets", "Origin: http://coffre.example:7071").getContent())
          .isEqualTo("true");
    }
  }

  @Test
  void allows_noOrigin_accepted() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(OriginCheck.allows(req)))) {
      assertThat(edge.send("POST", "/api/buckets").getContent()).isEqualTo("true");
    }
  }

  @Test
  void allows_pageOfAnotherSite_refused() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(OriginCheck.allows(req)))) {
      assertThat(edge.send("POST", "/api/buckets", "Origin: http://evil.example").getContent())
          .isEqualTo("false");
      assertThat(
              edge.send("POST", "/api/buckets", "Origin: http://coffre.example:7072").getContent())
          .isEqualTo("false");
    }
  }

  @Test
  void allows_tlsRequest_wantsAnHttpsOrigin() throws Exception {
    try (LocalEdge edge = new LocalEdge((req, res) -> String.valueOf(OriginCheck.allows(req)))) {
      assertThat(
              edge.send(
                      "POST",
                      "/api/buckets",
                      "X-Forwarded-Proto: https",
                      "Origin: https://coffre.example:7071")
                  .getContent())
          .isEqualTo("true");
      assertThat(
              edge.send(
                      "POST",
                      "/api/buckets",
                      "X-Forwarded-Proto: https",
                      "Origin: http://coffre.example:7071")
                  .getContent())
          .isEqualTo("false");
    }
  }
}
