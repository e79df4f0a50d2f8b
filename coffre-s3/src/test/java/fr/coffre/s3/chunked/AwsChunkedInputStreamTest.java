package fr.coffre.s3.chunked;

import static fr.coffre.s3.chunked.ChunkedBodies.concat;
import static fr.coffre.s3.chunked.ChunkedBodies.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumValue;
import fr.coffre.s3.chunked.ChunkedBodies.Mode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class AwsChunkedInputStreamTest {
  private static final byte[] DOCS_DATA = repeat('a', 66560);
  private static final String DOCS_SEED =
      "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  private static final String DOCS_TRAILER_SEED =
      "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
  private static final byte[] HELLO = "hello, chunked world".getBytes();

  /** The body of the AWS documentation's chunked PUT example, byte for byte. */
  private static byte[] docsBody() {
    return concat(
        "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n",
        repeat('a', 65536),
        "\r\n"
            + "400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n",
        repeat('a', 1024),
        "\r\n"
            + "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n",
        "\r\n");
  }

  private static byte[] docsTrailerBody(boolean blankLineBeforeTrailer) {
    return concat(
        "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n",
        repeat('a', 65536),
        "\r\n"
            + "400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n",
        repeat('a', 1024),
        "\r\n"
            + "0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n",
        blankLineBeforeTrailer ? "\r\n" : "",
        "x-amz-checksum-crc32c:sOO8/Q==\r\n",
        "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n",
        "\r\n");
  }

  private static void assertFails(ThrowingCallable call, S3Error error) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(error));
  }

  private static byte[] helloBody(Mode mode, ChecksumAlgorithm trailer) {
    ChunkSigner signer = mode == Mode.UNSIGNED_TRAILER ? null : ChunkedBodies.docsSigner(DOCS_SEED);
    return ChunkedBodies.encode(HELLO, new int[] {5, 15}, mode, signer, trailer);
  }

  private static AwsChunkedInputStream helloDecoder(
      byte[] body, Mode mode, ChecksumAlgorithm trailer) {
    ChunkSigner signer = mode == Mode.UNSIGNED_TRAILER ? null : ChunkedBodies.docsSigner(DOCS_SEED);
    return ChunkedBodies.decoder(body, mode, signer, trailer, HELLO.length);
  }

  private static byte[] replace(byte[] body, String from, String to) {
    String s = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!s.contains(from)) {
      throw new IllegalArgumentException(from + " not in body");
    }
    return s.replaceFirst(
            java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- published and SDK vectors

  @Test
  void read_awsDocumentationChunkedExample_yieldsItsData() throws IOException {
    AwsChunkedInputStream in =
        AwsChunkedInputStream.signed(
            new ByteArrayInputStream(docsBody()), ChunkedBodies.docsSigner(DOCS_SEED), 66560);
    assertThat(in.readAllBytes()).isEqualTo(DOCS_DATA);
    assertThat(in.decodedBytes()).isEqualTo(66560);
    assertThat(in.trailingChecksum()).isEmpty();
  }

  @Test
  void read_awsDocumentationTrailerExample_yieldsItsDataAndChecksum() throws IOException {
    for (boolean blankLine : new boolean[] {false, true}) {
      AwsChunkedInputStream in =
          AwsChunkedInputStream.signedWithTrailer(
              new ByteArrayInputStream(docsTrailerBody(blankLine)),
              ChunkedBodies.docsSigner(DOCS_TRAILER_SEED),
              ChecksumAlgorithm.CRC32C,
              66560);
      assertThat(in.readAllBytes()).isEqualTo(DOCS_DATA);
      assertThat(in.trailingChecksum())
          .contains(new ChecksumValue(ChecksumAlgorithm.CRC32C, "sOO8/Q=="));
    }
  }

  @Test
  void read_awsDocumentationExampleWithOneAlteredByte_failsWithSignatureDoesNotMatch() {
    byte[] body = docsBody();
    body[100] = 'b'; // inside the first chunk's data
    AwsChunkedInputStream in =
        AwsChunkedInputStream.signed(
            new ByteArrayInputStream(body), ChunkedBodies.docsSigner(DOCS_SEED), 66560);
    assertFails(in::readAllBytes, S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void read_awsSdkV2Bodies_decodeWithTheirSignaturesAndTrailers() throws IOException {
    // Generated with the AWS SDK for Java v2 (2.57.8) AwsV4HttpSigner, 128 KiB chunks.
    byte[] data = ChunkedBodies.sdkPattern();
    byte[] first = Arrays.copyOfRange(data, 0, 0x20000);
    byte[] second = Arrays.copyOfRange(data, 0x20000, data.length);

    byte[] signed =
        concat(
            "20000;chunk-signature=075f4ededfb880b6c85eb7b0162cd8a922fdf21f1b1dba58b5072caa86e65a99\r\n",
            first,
            "\r\n"
                + "10d40;chunk-signature=b85ead6ffd2370f2072129a227f6a9254cd75f10572e0ac30d9a49855f2de3aa\r\n",
            second,
            "\r\n"
                + "0;chunk-signature=91edaf476eb06cb5e1ec679fd672f1520a7a3c1b1ee828b6a5ee322caea2a909\r\n\r\n");
    assertThat(signed).hasSize(200266); // the Content-Length the SDK sent
    assertThat(
            AwsChunkedInputStream.signed(
                    new ByteArrayInputStream(signed),
                    ChunkedBodies.sdkSigner(
                        "de5594b512e45af5ab11d3bdaa861000d823161a7d89d3518c478f5c2babde59"),
                    200000)
                .readAllBytes())
        .isEqualTo(data);

    byte[] crc32c =
        concat(
            "20000;chunk-signature=e7db358f41e76ad55ca3d04973fedfd41abe329542007bf7f288dc84567f5cfe\r\n",
            first,
            "\r\n"
                + "10d40;chunk-signature=6cb449da4504b87da10c212b417826dd42dbd490181ee0b0b3f6da7fed5805ba\r\n",
            second,
            "\r\n"
                + "0;chunk-signature=c4135cff92311014c0f006f8613707ec327e826fa3129699de80e8a92eb149b0\r\n",
            "x-amz-checksum-crc32c:8Xo2MQ==\r\n",
            "x-amz-trailer-signature:620fbcab9bcf2bdc0c9ec3652c5a399e0176fb8962dd528feab0cb8714eca1e8\r\n",
            "\r\n");
    assertThat(crc32c).hasSize(200388);
    AwsChunkedInputStream in =
        AwsChunkedInputStream.signedWithTrailer(
            new ByteArrayInputStream(crc32c),
            ChunkedBodies.sdkSigner(
                "9a39aa85f04856e57cd9b906f15142e4fff9199c72972973fdc72d2ea524a69a"),
            ChecksumAlgorithm.CRC32C,
            200000);
    assertThat(in.readAllBytes()).isEqualTo(data);
    assertThat(in.trailingChecksum())
        .contains(new ChecksumValue(ChecksumAlgorithm.CRC32C, "8Xo2MQ=="));

    byte[] sha256 =
        concat(
            "20000;chunk-signature=f49194ecd92131ba09f13c39ce0f038e1f995b721b0ea389760392c5f44e02f0\r\n",
            first,
            "\r\n"
                + "10d40;chunk-signature=f6fb0fd297130adae72a35ec790d44082fd36038fac3958ebf9179432715ab25\r\n",
            second,
            "\r\n"
                + "0;chunk-signature=80550ea25fbc8b9bc88aa6e548326933ca3aea1ec10c9b54e205b2b4055222ad\r\n",
            "x-amz-checksum-sha256:9x2gl6dp8J2DhaHqlRzcnQ4qlSJ49Hy+CZ5qQDx0hwQ=\r\n",
            "x-amz-trailer-signature:58327b44b187cf57ea5afe3df52dec4277b5564d206a54692bc965aa9ff4524f\r\n",
            "\r\n");
    assertThat(sha256).hasSize(200424);
    assertThat(
            AwsChunkedInputStream.signedWithTrailer(
                    new ByteArrayInputStream(sha256),
                    ChunkedBodies.sdkSigner(
                        "1870d2190c2344474b58b71e63e949f06d5eab89b5a471e9125e8b1558b403ed"),
                    ChecksumAlgorithm.SHA256,
                    200000)
                .readAllBytes())
        .isEqualTo(data);

    byte[] unsigned =
        concat(
            "20000\r\n",
            first,
            "\r\n10d40\r\n",
            second,
            "\r\n0\r\n",
            "x-amz-checksum-crc32:0iag1g==\r\n",
            "\r\n");
    assertThat(unsigned).hasSize(200054);
    in =
        AwsChunkedInputStream.unsignedWithTrailer(
            new ByteArrayInputStream(unsigned), ChecksumAlgorithm.CRC32, 200000);
    assertThat(in.readAllBytes()).isEqualTo(data);
    assertThat(in.trailingChecksum())
        .contains(new ChecksumValue(ChecksumAlgorithm.CRC32, "0iag1g=="));
  }

  // ---------------------------------------------------------------- the end is earned

  @Test
  void read_badTrailerChecksum_deliversAllDataThenFailsInsteadOfEnding() throws IOException {
    byte[] body =
        replace(
            helloBody(Mode.UNSIGNED_TRAILER, ChecksumAlgorithm.CRC32),
            "x-amz-checksum-crc32:" + ChecksumAlgorithm.CRC32.checksum(HELLO),
            "x-amz-checksum-crc32:AAAAAA==");
    AwsChunkedInputStream in = helloDecoder(body, Mode.UNSIGNED_TRAILER, ChecksumAlgorithm.CRC32);
    byte[] buf = new byte[HELLO.length];
    assertThat(in.readNBytes(buf, 0, buf.length)).isEqualTo(HELLO.length);
    assertThat(buf).isEqualTo(HELLO);
    assertThatThrownBy(in::read)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(S3Error.BAD_DIGEST);
              assertThat(e.getMessage())
                  .isEqualTo("The CRC32 you specified did not match the calculated checksum.");
            });
    assertFails(in::read, S3Error.BAD_DIGEST); // and again: a failed body never ends
    assertThat(in.trailingChecksum()).isEmpty();
  }

  @Test
  void read_badSignatureOnLastDataChunk_failsBeforeReturningItsBytes() throws IOException {
    byte[] body = helloBody(Mode.SIGNED, null);
    body = replace(body, "world", "wurld");
    AwsChunkedInputStream in = helloDecoder(body, Mode.SIGNED, null);
    byte[] buf = new byte[5];
    assertThat(in.readNBytes(buf, 0, 5)).isEqualTo(5); // first chunk verified
    assertFails(() -> in.read(new byte[100]), S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void read_singleBytes_yieldTheSameAsBulkReads() throws IOException {
    for (Mode mode : Mode.values()) {
      AwsChunkedInputStream in =
          helloDecoder(
              helloBody(mode, ChecksumAlgorithm.SHA1),
              mode,
              mode == Mode.SIGNED ? null : ChecksumAlgorithm.SHA1);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        out.write(b);
      }
      assertThat(out.toByteArray()).as(mode.name()).isEqualTo(HELLO);
      assertThat(in.read(new byte[4], 0, 0)).isEqualTo(-1);
    }
  }

  @Test
  void read_emptyBodyInEachMode_endsAfterTheFinalChunk() throws IOException {
    for (Mode mode : Mode.values()) {
      ChunkSigner signer =
          mode == Mode.UNSIGNED_TRAILER ? null : ChunkedBodies.docsSigner(DOCS_SEED);
      ChecksumAlgorithm trailer = mode == Mode.SIGNED ? null : ChecksumAlgorithm.CRC64NVME;
      byte[] body = ChunkedBodies.encode(new byte[0], new int[0], mode, signer, trailer);
      assertThat(ChunkedBodies.decoder(body, mode, signer, trailer, 0).readAllBytes()).isEmpty();
    }
  }

  @Test
  void read_trailerModeWithoutDeclaredTrailer_acceptsAnEmptyTrailer() throws IOException {
    byte[] unsigned = helloBody(Mode.UNSIGNED_TRAILER, null);
    assertThat(helloDecoder(unsigned, Mode.UNSIGNED_TRAILER, null).readAllBytes()).isEqualTo(HELLO);
    byte[] signed = helloBody(Mode.SIGNED_TRAILER, null);
    assertThat(helloDecoder(signed, Mode.SIGNED_TRAILER, null).readAllBytes()).isEqualTo(HELLO);
  }

  // ---------------------------------------------------------------- signatures

  @Test
  void read_chunkWithoutSignatureInSignedMode_failsWithSignatureDoesNotMatch() {
    byte[] body = concat("5\r\nhello\r\n0\r\n\r\n");
    assertFails(
        () ->
            ChunkedBodies.decoder(body, Mode.SIGNED, ChunkedBodies.docsSigner(DOCS_SEED), null, -1)
                .readAllBytes(),
        S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void read_chunksSignedForAnotherSeed_failSignatureDoesNotMatch() {
    byte[] body = helloBody(Mode.SIGNED, null);
    assertFails(
        () ->
            ChunkedBodies.decoder(
                    body, Mode.SIGNED, ChunkedBodies.docsSigner(DOCS_TRAILER_SEED), null, -1)
                .readAllBytes(),
        S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void read_chunksSwapped_failSignatureDoesNotMatch() {
    ChunkSigner signer = ChunkedBodies.docsSigner(DOCS_SEED);
    byte[] data = "aaaaabbbbb".getBytes();
    byte[] body = ChunkedBodies.encode(data, new int[] {5, 5}, Mode.SIGNED, signer, null);
    String s = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    String[] parts = s.split("\r\n");
    // parts: h1, aaaaa, h2, bbbbb, h0 — swap the two data chunks with their headers.
    String swapped =
        parts[2]
            + "\r\n"
            + parts[3]
            + "\r\n"
            + parts[0]
            + "\r\n"
            + parts[1]
            + "\r\n"
            + parts[4]
            + "\r\n\r\n";
    assertFails(
        () ->
            ChunkedBodies.decoder(
                    swapped.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    Mode.SIGNED,
                    ChunkedBodies.docsSigner(DOCS_SEED),
                    null,
                    -1)
                .readAllBytes(),
        S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void read_badTrailerSignature_failsWithSignatureDoesNotMatch() {
    byte[] body = helloBody(Mode.SIGNED_TRAILER, ChecksumAlgorithm.CRC32);
    String s = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = s.indexOf("x-amz-trailer-signature:") + "x-amz-trailer-signature:".length();
    body[at] = (byte) (body[at] == '0' ? '1' : '0');
    byte[] corrupted = body;
    assertFails(
        () -> helloDecoder(corrupted, Mode.SIGNED_TRAILER, ChecksumAlgorithm.CRC32).readAllBytes(),
        S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void read_missingTrailerSignature_failsWithSignatureDoesNotMatch() {
    String body =
        new String(
            helloBody(Mode.SIGNED_TRAILER, ChecksumAlgorithm.CRC32),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] unsigned =
        body.replaceFirst("x-amz-trailer-signature:[0-9a-f]{64}\r\n", "")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(unsigned).hasSizeLessThan(body.length());
    assertFails(
        () -> helloDecoder(unsigned, Mode.SIGNED_TRAILER, ChecksumAlgorithm.CRC32).readAllBytes(),
        S3Error.SIGNATURE_DOES_NOT_MATCH);
    // A signed-trailer body that ends like a plain signed one has lost its trailer: incomplete.
    byte[] plain = helloBody(Mode.SIGNED, null);
    assertFails(
        () -> helloDecoder(plain, Mode.SIGNED_TRAILER, null).readAllBytes(),
        S3Error.INCOMPLETE_BODY);
  }

  @Test
  void read_trailerSignatureInUnsignedMode_isRefused() {
    byte[] body = concat("5\r\nhello\r\n0\r\nx-amz-trailer-signature:abc\r\n\r\n");
    assertFails(
        () -> ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, -1).readAllBytes(),
        S3Error.INVALID_REQUEST);
  }

  // ---------------------------------------------------------------- trailers

  @Test
  void read_undeclaredTrailer_isRefused() {
    byte[] body =
        concat(
            "5\r\nhello\r\n0\r\nx-amz-checksum-crc32c:",
            ChecksumAlgorithm.CRC32C.checksum("hello".getBytes()),
            "\r\n\r\n");
    assertFails(
        () ->
            ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, ChecksumAlgorithm.CRC32, -1)
                .readAllBytes(),
        S3Error.INVALID_REQUEST);
    assertFails(
        () -> ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, -1).readAllBytes(),
        S3Error.INVALID_REQUEST);
  }

  @Test
  void read_declaredTrailerMissing_isRefused() {
    byte[] body = concat("5\r\nhello\r\n0\r\n\r\n");
    // The lone empty line is taken for the documentation's separator, then the body ends.
    assertFails(
        () ->
            ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, ChecksumAlgorithm.CRC32, -1)
                .readAllBytes(),
        S3Error.INCOMPLETE_BODY);
    byte[] twoBlank = concat("5\r\nhello\r\n0\r\n\r\n\r\n");
    assertFails(
        () ->
            ChunkedBodies.decoder(
                    twoBlank, Mode.UNSIGNED_TRAILER, null, ChecksumAlgorithm.CRC32, -1)
                .readAllBytes(),
        S3Error.INVALID_REQUEST);
  }

  @Test
  void read_repeatedTrailer_isRefused() {
    String crc = ChecksumAlgorithm.CRC32.checksum("hello".getBytes());
    byte[] body =
        concat(
            "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:",
            crc,
            "\r\nx-amz-checksum-crc32:",
            crc,
            "\r\n\r\n");
    assertFails(
        () ->
            ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, ChecksumAlgorithm.CRC32, -1)
                .readAllBytes(),
        S3Error.INVALID_REQUEST);
  }

  @Test
  void read_malformedTrailerValue_isInvalidRequest() {
    byte[] body = concat("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:zz\r\n\r\n");
    assertThatThrownBy(
            () ->
                ChunkedBodies.decoder(
                        body, Mode.UNSIGNED_TRAILER, null, ChecksumAlgorithm.CRC32, -1)
                    .readAllBytes())
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(S3Error.INVALID_REQUEST);
              assertThat(e.getMessage())
                  .isEqualTo("Value for x-amz-checksum-crc32 trailing header is invalid.");
            });
  }

  @Test
  void read_endlessTrailer_isRefusedAtItsFirstUnexpectedLine() {
    StringBuilder s = new StringBuilder("0\r\n");
    for (int i = 0; i < 1000; i++) {
      s.append("x-amz-meta-").append(i).append(":v\r\n");
    }
    byte[] body = concat(s, "\r\n");
    AwsChunkedInputStream in = ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, -1);
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(S3Error.INVALID_REQUEST);
              assertThat(e.getMessage()).contains("x-amz-meta-0 ");
            });
  }

  // ---------------------------------------------------------------- framing and lengths

  @Test
  void read_truncatedInsideData_failsWithIncompleteBody() {
    byte[] body = helloBody(Mode.SIGNED, null);
    byte[] cut = Arrays.copyOf(body, body.length - 120);
    assertFails(() -> helloDecoder(cut, Mode.SIGNED, null).readAllBytes(), S3Error.INCOMPLETE_BODY);
  }

  @Test
  void read_endsWithoutFinalChunk_failsWithIncompleteBody() {
    byte[] body = concat("5\r\nhello\r\n");
    assertFails(
        () -> ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, -1).readAllBytes(),
        S3Error.INCOMPLETE_BODY);
  }

  @Test
  void read_fewerBytesThanDecodedContentLength_failsWithIncompleteBody() {
    byte[] body = helloBody(Mode.UNSIGNED_TRAILER, null);
    assertFails(
        () ->
            ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, HELLO.length + 1)
                .readAllBytes(),
        S3Error.INCOMPLETE_BODY);
  }

  @Test
  void read_moreBytesThanDecodedContentLength_failsBeforeDeliveringThem() throws IOException {
    byte[] body = helloBody(Mode.UNSIGNED_TRAILER, null);
    AwsChunkedInputStream in = ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, 6);
    byte[] buf = new byte[5];
    assertThat(in.readNBytes(buf, 0, 5)).isEqualTo(5);
    assertFails(in::read, S3Error.INCOMPLETE_BODY);
    assertThat(in.decodedBytes()).isEqualTo(5);
  }

  @Test
  void read_chunkLongerThanDeclared_isMalformed() {
    byte[] body = concat("4\r\nhello\r\n0\r\n\r\n");
    assertFails(
        () -> ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, -1).readAllBytes(),
        S3Error.INCOMPLETE_BODY);
  }

  @Test
  void read_malformedSizes_areRefused() {
    for (String header :
        new String[] {"", "x", "-5", "+5", " 5", "5 ", "0x5", "5;ext=1", "11111111111111111"}) {
      byte[] body = concat(header, "\r\nhello\r\n0\r\n\r\n");
      assertFails(
          () -> ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, -1).readAllBytes(),
          S3Error.INCOMPLETE_BODY);
    }
  }

  @Test
  void read_absurdChunkSize_isRefusedBeforeReadingData() {
    byte[] body = concat("7fffffffffffffff\r\nhello");
    assertFails(
        () -> ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, -1).readAllBytes(),
        S3Error.INCOMPLETE_BODY);
  }

  @Test
  void read_endlessHeaderLine_isRefusedAfterABoundedRead() {
    CountingStream source =
        new CountingStream(
            new InputStream() {
              @Override
              public int read() {
                return '1';
              }
            });
    AwsChunkedInputStream in = AwsChunkedInputStream.unsignedWithTrailer(source, null, -1);
    assertFails(in::read, S3Error.INCOMPLETE_BODY);
    assertThat(source.count).isLessThanOrEqualTo(AwsChunkedInputStream.MAX_LINE + 8192L);
  }

  @Test
  void read_bareLineFeedOrControlBytes_areRefused() {
    for (String body :
        new String[] {
          "5\nhello\r\n0\r\n\r\n",
          "5\r\nhello\r\n0\r\n\n",
          "5\r\nhello\r\n0\t\r\n\r\n",
          "5\r\nhello\r\n0\r\n\r\r\n"
        }) {
      assertFails(
          () ->
              ChunkedBodies.decoder(concat(body), Mode.UNSIGNED_TRAILER, null, null, -1)
                  .readAllBytes(),
          S3Error.INCOMPLETE_BODY);
    }
  }

  @Test
  void read_dataAfterTheEnd_isRefused() {
    byte[] body = concat(helloBody(Mode.SIGNED, null), "x");
    assertFails(
        () -> helloDecoder(body, Mode.SIGNED, null).readAllBytes(), S3Error.INCOMPLETE_BODY);
  }

  @Test
  void read_uppercaseHexSize_isAccepted() throws IOException {
    byte[] data = repeat('z', 0xAB);
    byte[] body = concat("AB\r\n", data, "\r\n0\r\n\r\n");
    assertThat(ChunkedBodies.decoder(body, Mode.UNSIGNED_TRAILER, null, null, 0xAB).readAllBytes())
        .isEqualTo(data);
  }

  @Test
  void read_sourceThrows_isPropagatedThenNeverEnds() {
    InputStream broken =
        new InputStream() {
          private int n;

          @Override
          public int read() throws IOException {
            if (n++ < 3) {
              return "5\r\n".charAt(n - 1);
            }
            throw new IOException("connection reset");
          }
        };
    AwsChunkedInputStream in = AwsChunkedInputStream.unsignedWithTrailer(broken, null, -1);
    assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(IOException.class);
    assertFails(in::read, S3Error.INCOMPLETE_BODY);
  }

  @Test
  void read_sourceDeliveringOneByteAtATime_decodesTheSame() throws IOException {
    byte[] body =
        ChunkedBodies.encode(
            DOCS_DATA,
            new int[] {65536, 1024},
            Mode.SIGNED_TRAILER,
            ChunkedBodies.docsSigner(DOCS_SEED),
            ChecksumAlgorithm.CRC64NVME);
    InputStream trickle =
        new ByteArrayInputStream(body) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1));
          }
        };
    AwsChunkedInputStream in =
        AwsChunkedInputStream.signedWithTrailer(
            trickle,
            ChunkedBodies.docsSigner(DOCS_SEED),
            ChecksumAlgorithm.CRC64NVME,
            DOCS_DATA.length);
    assertThat(in.readAllBytes()).isEqualTo(DOCS_DATA);
  }

  /** Counts the bytes a decoder pulls from its source. */
  private static final class CountingStream extends InputStream {
    private final InputStream in;
    long count;

    CountingStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      count++;
      return in.read();
    }
  }
}
