package fr.coffre.s3.chunked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SignedPayloadInputStreamTest {
  private static final byte[] BODY = "Welcome to Amazon S3.".getBytes();
  // The payload hash of the AWS documentation's PUT Object example.
  private static final String HASH =
      "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";

  @Test
  void read_bodyMatchingItsSignedHash_endsNormally() throws IOException {
    assertThat(new SignedPayloadInputStream(new ByteArrayInputStream(BODY), HASH).readAllBytes())
        .isEqualTo(BODY);
    assertThat(
            new SignedPayloadInputStream(new ByteArrayInputStream(BODY), HASH.toUpperCase())
                .readAllBytes())
        .isEqualTo(BODY);
  }

  @Test
  void read_bodyNotMatchingItsSignedHash_failsAtTheEndWithBothHashes() throws IOException {
    byte[] other = "Welcome to Amazon S4.".getBytes();
    SignedPayloadInputStream in =
        new SignedPayloadInputStream(new ByteArrayInputStream(other), HASH);
    assertThat(in.readNBytes(other.length)).isEqualTo(other);
    assertThatThrownBy(in::read)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH);
              assertThat(e.details())
                  .containsEntry("ClientComputedContentSHA256", HASH)
                  .containsKey("S3ComputedContentSHA256");
            });
    assertThatThrownBy(in::read).isInstanceOf(S3Exception.class);
  }

  @Test
  void construct_notAHash_isRefused() {
    assertThatThrownBy(
            () -> new SignedPayloadInputStream(new ByteArrayInputStream(BODY), "UNSIGNED-PAYLOAD"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
