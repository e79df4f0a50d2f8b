package fr.coffre.s3.chunked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.chunked.ChunkedBodies.Mode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the aws-chunked decoder over many random bodies: what it returns is always the
 * exact original, and anything damaged or cut short fails rather than passing for a body. Seeds are
 * fixed so a failure reproduces; the round number is in the assertion message.
 */
class AwsChunkedPropertyTest {
  private static final String SEED_SIGNATURE =
      "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

  /** One random body with everything needed to decode it. */
  private record Case(
      byte[] data, byte[] body, Mode mode, ChunkSigner signer, ChecksumAlgorithm trailer) {

    AwsChunkedInputStream decoder(byte[] wire) {
      ChunkSigner fresh = signer == null ? null : ChunkedBodies.docsSigner(SEED_SIGNATURE);
      return ChunkedBodies.decoder(wire, mode, fresh, trailer, data.length);
    }

    /** Whether the content itself is protected (by signatures or a checksum). */
    boolean contentProtected() {
      return mode != Mode.UNSIGNED_TRAILER || trailer != null;
    }

    @Override
    public String toString() {
      return mode + " trailer=" + trailer + " data=" + data.length + " body=" + body.length;
    }
  }

  private static Case randomCase(Random random, int maxLength, int maxChunk) {
    Mode mode = Mode.values()[random.nextInt(Mode.values().length)];
    ChecksumAlgorithm trailer =
        mode == Mode.SIGNED || random.nextInt(5) == 0
            ? null
            : ChecksumAlgorithm.values()[random.nextInt(ChecksumAlgorithm.values().length)];
    byte[] data = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(data);
    int[] sizes = ChunkedBodies.randomSizes(random, data.length, maxChunk);
    ChunkSigner signer =
        mode == Mode.UNSIGNED_TRAILER ? null : ChunkedBodies.docsSigner(SEED_SIGNATURE);
    return new Case(
        data, ChunkedBodies.encode(data, sizes, mode, signer, trailer), mode, signer, trailer);
  }

  /** Reads everything with reads of random sizes, as a consumer with varying buffers would. */
  private static byte[] readRandomly(AwsChunkedInputStream in, Random random) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[700];
    while (true) {
      if (random.nextInt(10) == 0) {
        int b = in.read();
        if (b < 0) {
          return out.toByteArray();
        }
        out.write(b);
        continue;
      }
      int off = random.nextInt(10);
      int n = in.read(buf, off, random.nextInt(buf.length - off));
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buf, off, n);
    }
  }

  /** The decoded bytes, or null if decoding failed with an S3 error. */
  private static byte[] decodeOrNull(Case c, byte[] wire) {
    try {
      return c.decoder(wire).readAllBytes();
    } catch (S3Exception e) {
      return null;
    } catch (IOException e) {
      throw new AssertionError("a byte array never fails to read", e);
    }
  }

  @Test
  void read_randomChunkingsAndReadSizes_yieldTheOriginalBytes() throws IOException {
    Random random = new Random(20240501);
    for (int round = 0; round < 300; round++) {
      Case c = randomCase(random, 3000, 700);
      AwsChunkedInputStream in = c.decoder(c.body());
      assertThat(readRandomly(in, random)).as("round %d: %s", round, c).isEqualTo(c.data());
      if (c.trailer() != null) {
        assertThat(in.trailingChecksum()).as("round %d", round).isPresent();
      }
    }
  }

  @Test
  void read_anySingleByteCorruption_failsWheneverTheContentIsProtected() {
    Random random = new Random(77);
    for (int round = 0; round < 36; round++) {
      Case c = randomCase(random, 200, 64);
      for (int pos = 0; pos < c.body().length; pos++) {
        byte original = c.body()[pos];
        for (int attempt = 0; attempt < 2; attempt++) {
          byte replacement = (byte) random.nextInt(256);
          if (replacement == original || sameLetterOtherCase(original, replacement)) {
            continue;
          }
          byte[] wire = c.body().clone();
          wire[pos] = replacement;
          byte[] result = decodeOrNull(c, wire);
          if (result == null) {
            continue;
          }
          // With signatures or a checksum, no change goes unnoticed at all.
          if (c.contentProtected()) {
            fail(
                "round %d, %s: corruption at %d (%d -> %d) was accepted",
                round, c, pos, original & 0xff, replacement & 0xff);
          }
          // Without, a changed data byte passes as such, but framing damage never shifts,
          // drops or adds data.
          if (result.length != c.data().length || differences(result, c.data()) > 1) {
            fail("round %d, %s: corruption at %d returned reshaped data", round, c, pos);
          }
        }
      }
    }
  }

  @Test
  void read_contentCorruptionWithoutProtection_isTheOnlyUndetectedKind() {
    // The contrapositive of the test above, so that it cannot pass vacuously: an unsigned body
    // without a checksum has nothing that could notice a changed data byte.
    byte[] data = "abcdef".getBytes();
    byte[] body = ChunkedBodies.encode(data, new int[] {6}, Mode.UNSIGNED_TRAILER, null, null);
    Case c = new Case(data, body, Mode.UNSIGNED_TRAILER, null, null);
    byte[] wire = body.clone();
    wire[3] = 'X'; // "6\r\n" then data
    assertThat(decodeOrNull(c, wire)).isEqualTo("Xbcdef".getBytes());
  }

  @Test
  void read_truncationAtEveryPosition_fails() {
    Random random = new Random(4242);
    for (int round = 0; round < 60; round++) {
      Case c = randomCase(random, 300, 80);
      for (int cut = 0; cut < c.body().length; cut++) {
        byte[] wire = Arrays.copyOf(c.body(), cut);
        if (decodeOrNull(c, wire) != null) {
          fail("round %d, %s: a body cut to %d bytes was accepted", round, c, cut);
        }
      }
      assertThat(decodeOrNull(c, c.body())).as("round %d: %s", round, c).isEqualTo(c.data());
    }
  }

  @Test
  void read_randomGarbage_neverEndsNormally() {
    Random random = new Random(99);
    for (int round = 0; round < 2000; round++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      Case c =
          new Case(
              new byte[0], garbage, Mode.SIGNED, ChunkedBodies.docsSigner(SEED_SIGNATURE), null);
      assertThat(decodeOrNull(c, garbage)).as("round %d", round).isNull();
    }
  }

  private static int differences(byte[] a, byte[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      n += a[i] == b[i] ? 0 : 1;
    }
    return n;
  }

  /** 'a' and 'A' mean the same in a hex size or a trailer name: not a corruption to detect. */
  private static boolean sameLetterOtherCase(byte a, byte b) {
    return Character.isLetter(a)
        && Character.isLetter(b)
        && Character.toLowerCase((char) (a & 0xff)) == Character.toLowerCase((char) (b & 0xff));
  }
}
