package fr.coffre.s3.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.Principal;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * PutObject and UploadPart refuse, before reading a byte, a body of unknown or excessive length.
 */
class DeclaredLengthTest {
  private static S3Request put(Map<String, String> headers) {
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.of(v)));
    return new S3Request(
        "r",
        "PUT",
        "b",
        "k",
        Map.of(),
        h,
        InputStream.nullInputStream(),
        "AKID",
        false,
        Principal.anonymous(),
        "192.0.2.1");
  }

  private static S3Error refusal(Map<String, String> headers) {
    try {
      PutObjectHandler.requireLength(put(headers));
      return null;
    } catch (S3Exception e) {
      return e.error();
    }
  }

  @Test
  void requireLength_declaredOrDecoded_isAccepted() {
    assertThat(refusal(Map.of("Content-Length", "5"))).isNull();
    assertThat(refusal(Map.of("Transfer-Encoding", "chunked", "x-amz-decoded-content-length", "5")))
        .isNull();
    assertThat(refusal(Map.of("Content-Length", Long.toString(PutObjectHandler.MAX_SIZE))))
        .isNull();
  }

  @Test
  void requireLength_unknown_isMissingContentLength() {
    assertThat(refusal(Map.of())).isEqualTo(S3Error.MISSING_CONTENT_LENGTH);
  }

  @Test
  void requireLength_httpChunkedWithoutDeclaredLength_isAccepted_butBoundedAt5GiB()
      throws Exception {
    assertThat(refusal(Map.of("Transfer-Encoding", "chunked"))).isNull();
    InputStream atTen =
        new PutObjectHandler.BoundedInputStream(new java.io.ByteArrayInputStream(new byte[11]), 10);
    assertThat(atTen.readNBytes(10)).hasSize(10);
    assertThatThrownBy(atTen::read)
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.ENTITY_TOO_LARGE));
    InputStream exact =
        new PutObjectHandler.BoundedInputStream(new java.io.ByteArrayInputStream(new byte[10]), 10);
    assertThat(exact.readAllBytes()).hasSize(10);
  }

  @Test
  void requireLength_over5GiB_isEntityTooLarge_fromTheDeclaredLength() {
    assertThat(refusal(Map.of("Content-Length", "6442450944"))).isEqualTo(S3Error.ENTITY_TOO_LARGE);
    assertThat(
            refusal(
                Map.of(
                    "Content-Length", "6442451000", "x-amz-decoded-content-length", "6442450944")))
        .isEqualTo(S3Error.ENTITY_TOO_LARGE);
    assertThatThrownBy(() -> PutObjectHandler.requireLength(put(Map.of("Content-Length", "lots"))))
        .isInstanceOf(S3Exception.class);
  }
}
