package fr.coffre.s3.chunked;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumInputStream;
import fr.coffre.s3.checksum.ChecksumValue;
import fr.coffre.s3.checksum.Checksummer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes an {@code aws-chunked} request body as it streams, and checks it on the way.
 *
 * <h2>Wire format</h2>
 *
 * <pre>
 * chunk    = hex-size [";chunk-signature=" 64*HEX] CRLF data CRLF     (size &gt; 0)
 * last     = "0" [";chunk-signature=" 64*HEX] CRLF
 * trailer  = *( name ":" value CRLF )                                 (signed: signature line last)
 * body     = *chunk last trailer CRLF
 * </pre>
 *
 * Without trailers the end is {@code 0[;sig]\r\n\r\n}. With trailers the AWS SDKs send them right
 * after the last chunk's line; the AWS documentation's example puts an empty line first, which is
 * accepted too.
 *
 * <h2>What is checked, and when</h2>
 *
 * <ul>
 *   <li>each chunk's signature (signed modes), when its data is complete and before the read that
 *       delivers its last bytes returns: {@code SignatureDoesNotMatch};
 *   <li>the trailer signature (signed-trailer mode) and the declared trailing checksum, when the
 *       trailer is complete: {@code SignatureDoesNotMatch}, {@code BadDigest};
 *   <li>the framing, and the total against {@code x-amz-decoded-content-length}: {@code
 *       IncompleteBody} (a body that ends early, a malformed line, a length that disagrees).
 * </ul>
 *
 * A failure is thrown from {@code read}, and again from every later read. {@code read} returns -1
 * only after every check above has passed and the source has ended right after the body, so a
 * caller that commits an object only on end-of-stream never commits one that failed. Bytes of a
 * chunk are handed out before that chunk's signature can be checked (the alternative is to buffer
 * whole chunks); what the guarantee covers is the commit, not the bytes in flight.
 *
 * <h2>Bounds</h2>
 *
 * Nothing proportional to the body is held: a header or trailer line is at most {@value #MAX_LINE}
 * bytes, a chunk at most 5 GiB (S3's largest single upload) and never more than the declared
 * decoded length; the trailer may only hold the declared checksum and the signature, so it is
 * refused at its first unexpected line.
 */
public final class AwsChunkedInputStream extends InputStream {
  static final int MAX_LINE = 4096;
  static final long MAX_CHUNK_SIZE = 5L << 30;
  static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

  private static final String SIGNATURE_EXTENSION = ";chunk-signature=";
  private static final int SIGNATURE_LENGTH = 64;
  private static final int BUFFER = 8192;

  private enum State {
    HEADER,
    DATA,
    DONE
  }

  private final InputStream in;
  private final ChunkSigner signer;
  private final boolean signedTrailer;
  private final ChecksumAlgorithm trailerAlgorithm;
  private final Checksummer checksummer;
  private final long decodedLength;
  private final MessageDigest chunkDigest;
  private final byte[] buf = new byte[BUFFER];
  private final byte[] one = new byte[1];
  private int pos;
  private int lim;

  private State state = State.HEADER;
  private String previousSignature;
  private String chunkSignature;
  private long remaining;
  private long decoded;
  private int chunkIndex;
  private ChecksumValue trailingChecksum;
  private S3Exception failure;

  private AwsChunkedInputStream(
      InputStream in,
      ChunkSigner signer,
      boolean signedTrailer,
      ChecksumAlgorithm trailerAlgorithm,
      long decodedLength) {
    this.in = Objects.requireNonNull(in, "in");
    this.signer = signer;
    this.signedTrailer = signedTrailer;
    this.trailerAlgorithm = trailerAlgorithm;
    this.checksummer = trailerAlgorithm == null ? null : trailerAlgorithm.newChecksummer();
    this.decodedLength = decodedLength < 0 ? -1 : decodedLength;
    this.previousSignature = signer == null ? null : signer.seedSignature();
    try {
      this.chunkDigest = signer == null ? null : MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /**
   * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: signed chunks, no trailer.
   *
   * @param decodedLength {@code x-amz-decoded-content-length}, or -1 if not given
   */
  public static AwsChunkedInputStream signed(
      InputStream raw, ChunkSigner signer, long decodedLength) {
    return new AwsChunkedInputStream(
        raw, Objects.requireNonNull(signer, "signer"), false, null, decodedLength);
  }

  /**
   * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: signed chunks, then a trailer whose {@code
   * x-amz-trailer-signature} is required.
   *
   * @param trailer the checksum named by {@code x-amz-trailer}, or null if none was declared
   * @param decodedLength {@code x-amz-decoded-content-length}, or -1 if not given
   */
  public static AwsChunkedInputStream signedWithTrailer(
      InputStream raw, ChunkSigner signer, ChecksumAlgorithm trailer, long decodedLength) {
    return new AwsChunkedInputStream(
        raw, Objects.requireNonNull(signer, "signer"), true, trailer, decodedLength);
  }

  /**
   * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: unsigned chunks, then an unsigned trailer; the
   * trailing checksum is then what protects the content.
   *
   * @param trailer the checksum named by {@code x-amz-trailer}, or null if none was declared
   * @param decodedLength {@code x-amz-decoded-content-length}, or -1 if not given
   */
  public static AwsChunkedInputStream unsignedWithTrailer(
      InputStream raw, ChecksumAlgorithm trailer, long decodedLength) {
    return new AwsChunkedInputStream(raw, null, false, trailer, decodedLength);
  }

  /** The trailing checksum, once the body has ended and it matched; empty before or if none. */
  public Optional<ChecksumValue> trailingChecksum() {
    return state == State.DONE ? Optional.ofNullable(trailingChecksum) : Optional.empty();
  }

  /** How many decoded bytes have been delivered so far. */
  public long decodedBytes() {
    return decoded;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw failure;
    }
    if (state == State.DONE) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    try {
      while (state == State.HEADER) {
        readChunkHeader();
      }
      if (state == State.DONE) {
        return -1;
      }
      int n = readRaw(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw incomplete("the body ended inside chunk " + chunkIndex);
      }
      if (chunkDigest != null) {
        chunkDigest.update(b, off, n);
      }
      if (checksummer != null) {
        checksummer.update(b, off, n);
      }
      remaining -= n;
      decoded += n;
      if (remaining == 0) {
        endChunk();
      }
      return n;
    } catch (S3Exception e) {
      failure = e;
      throw e;
    } catch (IOException e) {
      // The source broke (client gone, timeout): whatever a caller does next, no end-of-stream.
      failure = incomplete("the body could not be read to its end");
      throw e;
    }
  }

  @Override
  public int available() {
    return state == State.DATA ? (int) Math.min(lim - pos, remaining) : 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void readChunkHeader() throws IOException {
    String line = readLine();
    if (line == null) {
      throw incomplete("the body ended before its final chunk");
    }
    int end = line.length();
    String signature = null;
    if (signer != null) {
      int semi = line.indexOf(';');
      if (semi < 0 || !line.startsWith(SIGNATURE_EXTENSION, semi)) {
        throw new S3Exception(
            S3Error.SIGNATURE_DOES_NOT_MATCH,
            "Chunk " + (chunkIndex + 1) + " has no chunk-signature.");
      }
      signature = line.substring(semi + SIGNATURE_EXTENSION.length());
      if (signature.length() != SIGNATURE_LENGTH) {
        throw new S3Exception(
            S3Error.SIGNATURE_DOES_NOT_MATCH,
            "Chunk " + (chunkIndex + 1) + " has a malformed chunk-signature.");
      }
      end = semi;
    }
    long size = parseSize(line, end);
    chunkIndex++;
    if (decodedLength >= 0 && decoded + size > decodedLength) {
      throw incomplete(
          "the chunks carry more than x-amz-decoded-content-length (" + decodedLength + ") bytes");
    }
    chunkSignature = signature;
    if (size > 0) {
      remaining = size;
      state = State.DATA;
      return;
    }
    // The final chunk: its signature covers empty data, then the trailer ends the body.
    if (signer != null) {
      verifyChunkSignature();
    }
    readTrailer();
    if (decodedLength >= 0 && decoded != decodedLength) {
      throw incomplete(
          "the chunks carry "
              + decoded
              + " bytes but x-amz-decoded-content-length is "
              + decodedLength);
    }
    if (readByte() >= 0) {
      throw malformed("data follows the end of the aws-chunked body");
    }
    state = State.DONE;
  }

  /** Parses a lowercase or uppercase hex size of 1 to 16 digits, refusing signs and spaces. */
  private long parseSize(String line, int end) {
    if (end == 0 || end > 16) {
      throw malformed("chunk " + (chunkIndex + 1) + " has no valid size");
    }
    long size = 0;
    for (int i = 0; i < end; i++) {
      int d = Character.digit(line.charAt(i), 16);
      if (d < 0) {
        throw malformed("chunk " + (chunkIndex + 1) + " has no valid size");
      }
      size = (size << 4) | d;
      if (size > MAX_CHUNK_SIZE) {
        throw malformed("chunk " + (chunkIndex + 1) + " is larger than 5 GiB");
      }
    }
    return size;
  }

  private void endChunk() throws IOException {
    if (signer != null) {
      verifyChunkSignature();
    }
    int cr = readByte();
    int lf = cr < 0 ? -1 : readByte();
    if (lf < 0) {
      throw incomplete("the body ended after the data of chunk " + chunkIndex);
    }
    if (cr != '\r' || lf != '\n') {
      throw malformed("chunk " + chunkIndex + " is longer than its declared size");
    }
    state = State.HEADER;
  }

  private void verifyChunkSignature() {
    String expected = signer.chunkSignature(previousSignature, chunkDigest.digest());
    if (!sameSignature(expected, chunkSignature)) {
      throw new S3Exception(
          S3Error.SIGNATURE_DOES_NOT_MATCH,
          "The signature of chunk " + chunkIndex + " does not match the one we calculated.");
    }
    previousSignature = expected;
  }

  private void readTrailer() throws IOException {
    boolean expectTrailer = signedTrailer || trailerAlgorithm != null;
    Map<String, String> trailers = new LinkedHashMap<>();
    StringBuilder canonical = new StringBuilder();
    String signature = null;
    boolean skippedBlank = false;
    while (true) {
      String line = readLine();
      if (line == null) {
        throw incomplete("the body ended inside its trailer");
      }
      if (line.isEmpty()) {
        if (expectTrailer && trailers.isEmpty() && signature == null && !skippedBlank) {
          skippedBlank = true; // the documentation's form: an empty line before the trailer
          continue;
        }
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformedTrailer("a trailing header has no name");
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (signature != null) {
        throw malformedTrailer("the trailer signature must be the last trailing header");
      }
      if (name.equals(TRAILER_SIGNATURE)) {
        if (!signedTrailer) {
          throw malformedTrailer("an unsigned trailer carries " + TRAILER_SIGNATURE);
        }
        signature = value;
        continue;
      }
      if (trailerAlgorithm == null || !name.equals(trailerAlgorithm.headerName())) {
        throw malformedTrailer(
            "the trailing header " + name + " was not declared in x-amz-trailer");
      }
      if (trailers.putIfAbsent(name, value) != null) {
        throw malformedTrailer("the trailing header " + name + " is repeated");
      }
      canonical.append(name).append(':').append(value).append('\n');
    }
    if (signedTrailer) {
      if (signature == null) {
        throw new S3Exception(
            S3Error.SIGNATURE_DOES_NOT_MATCH, "The trailer signature is missing.");
      }
      String expected =
          signer.trailerSignature(
              previousSignature, sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
      if (!sameSignature(expected, signature)) {
        throw new S3Exception(
            S3Error.SIGNATURE_DOES_NOT_MATCH,
            "The trailer signature does not match the one we calculated.");
      }
    }
    if (trailerAlgorithm != null) {
      String value = trailers.get(trailerAlgorithm.headerName());
      if (value == null) {
        throw malformedTrailer(
            "the trailing header "
                + trailerAlgorithm.headerName()
                + " declared in x-amz-trailer is missing");
      }
      if (!trailerAlgorithm.isWellFormed(value)) {
        throw new S3Exception(
            S3Error.INVALID_REQUEST,
            "Value for " + trailerAlgorithm.headerName() + " trailing header is invalid.");
      }
      if (!checksummer.base64().equals(value)) {
        throw ChecksumInputStream.badDigest(trailerAlgorithm);
      }
      trailingChecksum = new ChecksumValue(trailerAlgorithm, value);
    }
  }

  /**
   * A CRLF-terminated line without its CRLF, or null if the source ends before its first byte. Only
   * printable ASCII is accepted: everything in this format is.
   */
  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder(96);
    while (true) {
      int c = readByte();
      if (c < 0) {
        if (line.isEmpty()) {
          return null;
        }
        throw incomplete("the body ended inside a chunk header or trailer line");
      }
      if (c == '\r') {
        int lf = readByte();
        if (lf < 0) {
          throw incomplete("the body ended inside a chunk header or trailer line");
        }
        if (lf != '\n') {
          throw malformed("a chunk header or trailer line is not terminated by CRLF");
        }
        return line.toString();
      }
      if (c < 0x20 || c > 0x7e) {
        throw malformed("a chunk header or trailer line holds a control or non-ASCII byte");
      }
      if (line.length() >= MAX_LINE) {
        throw malformed("a chunk header or trailer line is longer than " + MAX_LINE + " bytes");
      }
      line.append((char) c);
    }
  }

  private int readByte() throws IOException {
    if (pos == lim && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  private int readRaw(byte[] b, int off, int len) throws IOException {
    if (pos < lim) {
      int n = Math.min(len, lim - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
    if (len >= buf.length) {
      // Large reads bypass the buffer: one copy instead of two.
      int n;
      do {
        n = in.read(b, off, len);
      } while (n == 0);
      return n;
    }
    if (!fill()) {
      return -1;
    }
    return readRaw(b, off, len);
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static boolean sameSignature(String expected, String provided) {
    return provided != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            provided.getBytes(StandardCharsets.US_ASCII));
  }

  private static S3Exception incomplete(String why) {
    return new S3Exception(
        S3Error.INCOMPLETE_BODY, "The aws-chunked body is incomplete: " + why + ".");
  }

  private static S3Exception malformed(String why) {
    return new S3Exception(
        S3Error.INCOMPLETE_BODY, "The aws-chunked body is malformed: " + why + ".");
  }

  /**
   * S3 answers a malformed trailer with {@code MalformedTrailerError} (400); our error table has no
   * such code yet, so the nearest 400 stands in, in this one place.
   */
  private static S3Exception malformedTrailer(String why) {
    return new S3Exception(
        S3Error.INVALID_REQUEST,
        "The request contained trailing data that was not well-formed: " + why + ".");
  }
}
