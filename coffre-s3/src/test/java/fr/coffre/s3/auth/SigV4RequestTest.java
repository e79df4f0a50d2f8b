package fr.coffre.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.auth.Authentication.Scheme;
import fr.coffre.s3.chunked.ChunkedBodies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4RequestTest {
  @Test
  void of_headersInAnyCase_areFoundAndMerged() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("X-Amz-Meta-A", List.of("1"));
    headers.put("x-amz-meta-a", List.of("2"));
    headers.put("Host", List.of("h:9000"));
    headers.put("Empty", List.of());
    SigV4Request r = SigV4Request.of("GET", "/b/k", null, headers);
    assertThat(r.headers("X-AMZ-META-A")).containsExactly("1", "2");
    assertThat(r.header("x-amz-meta-a")).isEqualTo("1");
    assertThat(r.host()).isEqualTo("h:9000");
    assertThat(r.headers("absent")).isEmpty();
    assertThat(r.header("absent")).isNull();
    assertThat(r.headerNames()).containsExactlyInAnyOrder("x-amz-meta-a", "host");
  }

  @Test
  void toString_always_leavesHeadersAndQueryOut() {
    SigV4Request r =
        SigV4Request.of(
            "GET", "/b/k", "X-Amz-Signature=s", Map.of("Authorization", List.of("AWS4 secret")));
    assertThat(r.toString()).doesNotContain("secret").doesNotContain("X-Amz-Signature");
  }

  @Test
  void authentication_inconsistentParts_areRefused() {
    String hash = SigV4.EMPTY_SHA256;
    assertThatThrownBy(
            () -> new Authentication(null, Scheme.HEADER, PayloadMode.UNSIGNED_PAYLOAD, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Authentication(
                    "AK", Scheme.ANONYMOUS, PayloadMode.UNSIGNED_PAYLOAD, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Authentication("AK", Scheme.HEADER, PayloadMode.SIGNED, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Authentication("AK", Scheme.HEADER, PayloadMode.UNSIGNED_PAYLOAD, hash, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Authentication("AK", Scheme.HEADER, PayloadMode.STREAMING_SIGNED, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Authentication(
                    "AK",
                    Scheme.HEADER,
                    PayloadMode.STREAMING_UNSIGNED_TRAILER,
                    null,
                    ChunkedBodies.docsSigner("seed")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            new Authentication("AK", Scheme.HEADER, PayloadMode.SIGNED, hash, null).isAnonymous())
        .isFalse();
  }

  @Test
  void payloadMode_headerValues_areS3sLiterals() {
    assertThat(PayloadMode.STREAMING_SIGNED_TRAILER.headerValue())
        .isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
    assertThat(PayloadMode.SIGNED.headerValue()).isNull();
    assertThat(PayloadMode.STREAMING_UNSIGNED_TRAILER.hasSignedChunks()).isFalse();
    assertThat(PayloadMode.STREAMING_UNSIGNED_TRAILER.hasTrailer()).isTrue();
    assertThat(PayloadMode.UNSIGNED_PAYLOAD.isStreaming()).isFalse();
  }
}
