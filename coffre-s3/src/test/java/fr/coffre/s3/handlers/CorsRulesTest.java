package fr.coffre.s3.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.ConfigDocuments.CorsRule;
import fr.coffre.s3.xml.S3Xml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorsRulesTest {
  private static final List<CorsRule> RULES =
      List.of(
          new CorsRule(
              "uploads",
              List.of("Content-*", "x-amz-*"),
              List.of("PUT", "POST"),
              List.of("https://*.ville.example"),
              List.of("ETag"),
              300),
          new CorsRule(null, null, List.of("GET"), List.of("*"), null, null));

  @Test
  void match_firstRuleAllowingOriginMethodAndHeaders_wins() {
    assertThat(
            CorsRules.match(
                RULES, "https://app.ville.example", "PUT", List.of("content-type", "x-amz-date")))
        .get()
        .extracting(CorsRule::id)
        .isEqualTo("uploads");
    assertThat(CorsRules.match(RULES, "https://evil.example", "PUT", List.of())).isEmpty();
    assertThat(CorsRules.match(RULES, "https://app.ville.example", "PUT", List.of("authorization")))
        .isEmpty();
    assertThat(CorsRules.match(RULES, "https://anyone.example", "GET", List.of()))
        .get()
        .extracting(CorsRule::id)
        .isNull();
    assertThat(CorsRules.match(RULES, "https://anyone.example", "GET", List.of("x-custom")))
        .isEmpty();
    assertThat(CorsRules.match(RULES, "https://app.ville.example", "DELETE", List.of())).isEmpty();
  }

  @Test
  void grant_wildcardOrigin_answersStar_andNamedOriginAllowsCredentials() {
    assertThat(CorsRules.grant(RULES.get(1), "https://x.example", List.of()))
        .containsEntry("Access-Control-Allow-Origin", "*")
        .doesNotContainKey("Access-Control-Allow-Credentials");
    assertThat(CorsRules.grant(RULES.get(0), "https://a.ville.example", List.of("content-type")))
        .containsEntry("Access-Control-Allow-Origin", "https://a.ville.example")
        .containsEntry("Access-Control-Allow-Methods", "PUT, POST")
        .containsEntry("Access-Control-Allow-Headers", "content-type")
        .containsEntry("Access-Control-Expose-Headers", "ETag")
        .containsEntry("Access-Control-Max-Age", "300")
        .containsEntry("Access-Control-Allow-Credentials", "true");
  }

  @Test
  void validate_refusesUnknownMethodsAndDoubleWildcards() {
    assertThatThrownBy(
            () ->
                CorsRules.validate(
                    new ConfigDocuments.CorsConfiguration(
                        List.of(
                            new CorsRule(null, null, List.of("PATCH"), List.of("*"), null, null)))))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_REQUEST));
    assertThatThrownBy(
            () ->
                CorsRules.validate(
                    new ConfigDocuments.CorsConfiguration(
                        List.of(
                            new CorsRule(
                                null,
                                null,
                                List.of("GET"),
                                List.of("https://*.*.example"),
                                null,
                                null)))))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_REQUEST));
    assertThatThrownBy(() -> CorsRules.validate(new ConfigDocuments.CorsConfiguration(List.of())))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.MALFORMED_XML));
  }

  /** A PutBucketCors body read and checked as PutBucketCorsHandler does. */
  private static void put(String xml) {
    CorsRules.validate(
        S3Xml.read(
            new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
            ConfigDocuments.CorsConfiguration.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"AllowedMethod", "AllowedOrigin", "AllowedHeader"})
  void put_nilListElement_isMalformedXml(String element) {
    // Found by RequestDocumentsFuzzTest: xsi:nil put a null in the rule's list, and the checks
    // threw a NullPointerException (a 500).
    String rule =
        "<AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><"
            + element
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/>";
    assertThatThrownBy(
            () -> put("<CORSConfiguration><CORSRule>" + rule + "</CORSRule></CORSConfiguration>"))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.MALFORMED_XML));
    // An empty element is an empty string, not a null: read, then judged by the checks.
    put(
        "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin/><AllowedHeader/>"
            + "</CORSRule></CORSConfiguration>");
  }
}
