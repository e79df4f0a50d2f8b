package fr.coffre.s3.chunked;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.chunked.ChunkedBodies.Mode;
import fr.coffre.testing.Fuzz;
import fr.coffre.testing.Mutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the aws-chunked decoder with hostile bodies: valid framings damaged at random, chunk sizes
 * replaced by huge, negative or malformed ones, bodies cut anywhere, trailers invented, and
 * declared decoded lengths that disagree. Whatever arrives, the decoder hands out at most what was
 * declared and then ends, or fails with a 4xx S3 error (and keeps failing); it never hangs, never
 * throws anything else, and never allocates what a size merely claims ({@link
 * AwsChunkedPropertyTest} checks that what it accepts is exactly what was sent).
 */
class AwsChunkedFuzzTest {
  private static final String SEED_SIGNATURE =
      "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

  /** Whatever a byte array of at most 16 KiB makes the decoder do, it stays within this. */
  private static final long MAX_ALLOCATION = 16L << 20;

  private static final List<String> WORDS =
      List.of(
          "\r\n",
          "\r",
          "\n",
          "\r\n\r\n",
          ";",
          ";chunk-signature=",
          ";chunk-signature",
          "chunk-signature=",
          "0\r\n",
          "0;chunk-signature=",
          "ffffffffffffffff",
          "fffffffffffffffff",
          "140000000",
          "13fffffff",
          "7fffffff",
          "80000000",
          "-1",
          " 1",
          "1 ",
          "+1",
          "0x10",
          "1;",
          "00000000000000001",
          "\u00b9",
          "x-amz-checksum-crc32:",
          "x-amz-checksum-crc32c:",
          "x-amz-checksum-sha256:",
          "x-amz-checksum-CRC32:",
          "x-amz-trailer-signature:",
          "x-amz-other:",
          ":",
          "=",
          "AAAAAA==",
          "NhCmhg==",
          "0000000000000000000000000000000000000000000000000000000000000000");

  /** One hostile body and how the request declared it. */
  private record Body(
      Mode mode, ChecksumAlgorithm trailer, long decodedLength, byte[] wire, long readSeed) {
    AwsChunkedInputStream decoder() {
      ChunkSigner signer =
          mode == Mode.UNSIGNED_TRAILER ? null : ChunkedBodies.docsSigner(SEED_SIGNATURE);
      return ChunkedBodies.decoder(wire, mode, signer, trailer, decodedLength);
    }

    @Override
    public String toString() {
      return mode
          + ", trailer "
          + trailer
          + ", x-amz-decoded-content-length "
          + decodedLength
          + ", body "
          + Fuzz.literal(wire);
    }
  }

  private static Body hostile(Random r) {
    Mode mode = Mode.values()[r.nextInt(Mode.values().length)];
    ChecksumAlgorithm trailer =
        mode == Mode.SIGNED || r.nextInt(4) == 0
            ? null
            : ChecksumAlgorithm.values()[r.nextInt(ChecksumAlgorithm.values().length)];
    byte[] data = new byte[Mutations.length(r, 3000)];
    r.nextBytes(data);
    int[] sizes = ChunkedBodies.randomSizes(r, data.length, 1 + r.nextInt(1024));
    ChunkSigner signer =
        mode == Mode.UNSIGNED_TRAILER ? null : ChunkedBodies.docsSigner(SEED_SIGNATURE);
    byte[] wire = ChunkedBodies.encode(data, sizes, mode, signer, trailer);
    wire =
        switch (r.nextInt(5)) {
          case 0 -> bogusSize(r, wire);
          case 1 -> bogusTrailer(r, wire);
          case 2 -> Mutations.randomBytes(r, 600);
          default -> Mutations.mutate(r, wire, 16 * 1024, WORDS);
        };
    long declared =
        switch (r.nextInt(8)) {
          case 0 -> -1;
          case 1 -> data.length + (r.nextBoolean() ? 1 : -1);
          case 2 -> r.nextBoolean() ? Long.MAX_VALUE : 5L << 30;
          case 3 -> 0;
          default -> data.length;
        };
    return new Body(mode, trailer, declared, wire, r.nextLong());
  }

  /** A chunk's size replaced: huge, past 5 GiB, negative, with a sign, space or prefix. */
  private static byte[] bogusSize(Random r, byte[] wire) {
    // Chunk headers start the body and follow each "\r\n" that ends a chunk's data.
    int at = 0;
    int skip = r.nextInt(4);
    for (int i = 0; i + 1 < wire.length && skip > 0; i++) {
      if (wire[i] == '\r' && wire[i + 1] == '\n') {
        skip--;
        at = i + 2;
      }
    }
    int end = at;
    while (end < wire.length && Character.digit(wire[end], 16) >= 0) {
      end++;
    }
    String size =
        r.nextBoolean() ? Mutations.interestingNumber(r) : Mutations.pick(r, WORDS.subList(10, 24));
    return Mutations.splice(wire, at, end, size.getBytes(US_ASCII));
  }

  /** The trailer replaced by lines of any name and value, well-formed checksums among them. */
  private static byte[] bogusTrailer(Random r, byte[] wire) {
    int last = lastChunkLineEnd(wire);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(wire, 0, last);
    int lines = r.nextInt(4);
    for (int i = 0; i < lines; i++) {
      String name = Mutations.pick(r, WORDS.subList(24, 31));
      String value =
          switch (r.nextInt(3)) {
            case 0 -> ChecksumAlgorithm.values()[r.nextInt(5)].checksum(new byte[r.nextInt(3)]);
            case 1 -> SEED_SIGNATURE;
            default -> Mutations.pick(r, WORDS);
          };
      out.writeBytes((name + value + "\r\n").getBytes(US_ASCII));
    }
    if (r.nextInt(4) > 0) {
      out.writeBytes("\r\n".getBytes(US_ASCII));
    }
    return out.toByteArray();
  }

  /** Where the final chunk's line ends (its trailer starts), or the end of the body. */
  private static int lastChunkLineEnd(byte[] wire) {
    String s = new String(wire, US_ASCII);
    int at = s.startsWith("0\r\n") || s.startsWith("0;") ? 0 : s.lastIndexOf("\r\n0");
    if (at < 0) {
      return wire.length;
    }
    int end = s.indexOf("\r\n", at == 0 ? 0 : at + 2);
    return end < 0 ? wire.length : end + 2;
  }

  /** Reads to the end with reads of random sizes; returns the outcome's label. */
  private static String decode(Body body) throws IOException {
    Random r = new Random(body.readSeed());
    AwsChunkedInputStream in = body.decoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[9000];
    try {
      while (true) {
        int n;
        if (r.nextInt(8) == 0) {
          int b = in.read();
          n = b < 0 ? -1 : 1;
          if (b >= 0) {
            out.write(b);
          }
        } else {
          int off = r.nextInt(10);
          n = in.read(buf, off, r.nextInt(buf.length - off));
          if (n > 0) {
            out.write(buf, off, n);
          }
        }
        if (body.decodedLength() >= 0) {
          assertThat(in.decodedBytes())
              .as("bytes handed out")
              .isLessThanOrEqualTo(body.decodedLength());
        }
        if (n < 0) {
          break;
        }
      }
    } catch (S3Exception e) {
      assertThat(e.error().status())
          .as("%s %s: a 4xx", e.error(), e.getMessage())
          .isBetween(400, 499);
      // A failure stays: no later read may pass for the end of the body.
      S3Exception again = catchThrowableOfType(S3Exception.class, () -> in.read(buf, 0, 10));
      assertThat(again).as("the next read").isNotNull();
      assertThat(again.error()).isEqualTo(e.error());
      return e.error().code();
    }
    assertThat(in.read()).as("read after the end").isEqualTo(-1);
    if (body.decodedLength() >= 0) {
      assertThat((long) out.size()).as("decoded bytes").isEqualTo(body.decodedLength());
    }
    assertThat(in.trailingChecksum().isPresent())
        .as("trailing checksum")
        .isEqualTo(body.trailer() != null);
    return "decoded";
  }

  @Test
  void read_hostileBodies_endAfterTheDeclaredBytesOrFailWithAClientError() {
    Fuzz.Outcomes o =
        Fuzz.of("aws-chunked", AwsChunkedFuzzTest::hostile)
            .tries(12000)
            .seed(5)
            .maxAllocation(MAX_ALLOCATION)
            .check(AwsChunkedFuzzTest::decode);
    // Some damage is harmless (a hex digit's case, an unprotected data byte): the decoder's
    // acceptance is reached too, not only its refusals.
    assertThat(o.count("decoded")).as("decoded").isGreaterThanOrEqualTo(o.tries() / 100);
    assertThat(o.countOther("decoded")).as("refused").isGreaterThanOrEqualTo(o.tries() / 2);
  }

  @Test
  void read_hugeDeclaredChunk_failsWithoutAllocatingIt() {
    // A size of almost 5 GiB, within the limit, followed by a few bytes: the decoder must stream,
    // not reserve what the size announces.
    byte[] wire = "13fffffff\r\nabc".getBytes(US_ASCII);
    Fuzz.of(
            "aws-chunked-huge",
            r ->
                new Body(
                    Mode.UNSIGNED_TRAILER,
                    null,
                    r.nextBoolean() ? -1 : Long.MAX_VALUE,
                    wire,
                    r.nextLong()))
        .tries(20)
        .maxAllocation(1L << 20)
        .check(
            b -> {
              assertThat(decode(b)).isEqualTo("IncompleteBody");
              return "refused";
            });
  }
}
