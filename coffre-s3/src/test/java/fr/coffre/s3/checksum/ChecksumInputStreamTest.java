package fr.coffre.s3.checksum;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ChecksumInputStreamTest {
  private static final byte[] HELLO = "hello world".getBytes(US_ASCII);

  private static ChecksumInputStream stream(
      byte[] body, ChecksumAlgorithm algorithm, String value) {
    return new ChecksumInputStream(new ByteArrayInputStream(body), algorithm, value);
  }

  @Test
  void read_matchingChecksum_deliversTheBodyAndTheVerifiedValue() throws IOException {
    ChecksumInputStream in = stream(HELLO, ChecksumAlgorithm.CRC32, "DUoRhQ==");
    assertThat(in.verifiedValue()).isEmpty();
    assertThat(in.readAllBytes()).isEqualTo(HELLO);
    assertThat(in.verifiedValue()).contains(new ChecksumValue(ChecksumAlgorithm.CRC32, "DUoRhQ=="));
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void read_mismatchingChecksum_failsTheLastReadWithBadDigest() throws IOException {
    ChecksumInputStream in = stream(HELLO, ChecksumAlgorithm.CRC32, "AAAAAA==");
    byte[] buf = new byte[HELLO.length];
    assertThat(in.readNBytes(buf, 0, buf.length)).isEqualTo(HELLO.length);
    assertThatThrownBy(in::read)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(S3Error.BAD_DIGEST);
              assertThat(e.getMessage())
                  .isEqualTo("The CRC32 you specified did not match the calculated checksum.");
            });
    // Never an end-of-stream after a failure, however often the caller asks.
    assertThatThrownBy(in::read).isInstanceOf(S3Exception.class);
    assertThat(in.verifiedValue()).isEmpty();
  }

  @Test
  void construct_malformedValue_isBadDigestBeforeAnyRead() {
    assertThatThrownBy(() -> stream(HELLO, ChecksumAlgorithm.SHA256, "DUoRhQ=="))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(S3Error.BAD_DIGEST);
              assertThat(e.getMessage())
                  .isEqualTo("Value for x-amz-checksum-sha256 header is invalid.");
            });
  }

  @Test
  void skip_overTheBody_stillChecksTheSkippedBytes() throws IOException {
    ChecksumInputStream good =
        stream(HELLO, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC32C.checksum(HELLO));
    assertThat(good.skip(5)).isEqualTo(5);
    assertThat(good.readAllBytes()).isEqualTo(" world".getBytes(US_ASCII));
    ChecksumInputStream bad = stream(HELLO, ChecksumAlgorithm.CRC32C, "AAAAAA==");
    // Skipping to the end reaches the check, which fails the skip itself.
    assertThatThrownBy(() -> bad.skip(100)).isInstanceOf(S3Exception.class);
    assertThatThrownBy(bad::read).isInstanceOf(S3Exception.class);
  }

  @Test
  void read_sourceFailsMidway_propagatesAndNeverEnds() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };
    ChecksumInputStream in = new ChecksumInputStream(broken, ChecksumAlgorithm.CRC32, "AAAAAA==");
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }
}
