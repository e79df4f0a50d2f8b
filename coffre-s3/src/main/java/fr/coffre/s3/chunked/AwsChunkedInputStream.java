package fr.coffre.s3.chunked;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.SigV4;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body as it streams: {@code hex-size[;chunk-signature=sig]\r\n}
 * data {@code \r\n}, a final empty chunk, then optional trailing headers (a checksum, and for
 * signed trailers {@code x-amz-trailer-signature}) and an empty line.
 *
 * <p>Every check (chunk signatures, trailer signature, trailing checksum, decoded length) is made
 * as soon as its input is complete, and {@link #read} returns -1 only after all have passed; any
 * failure is thrown from read, so a caller that commits only on end-of-stream never stores a body
 * that failed a check. Nothing is buffered beyond one header line, which is bounded.
 */
public final class AwsChunkedInputStream extends InputStream {
  private static final int MAX_LINE = 4096;
  // No client sends chunks near this size; the bound only stops absurd sizes early.
  private static final long MAX_CHUNK = 1L << 32;

  private final InputStream in;
  private final ChunkSigner signer;
  private final ChecksumAlgorithm trailerAlgorithm;
  private final boolean signedTrailer;
  private final Long decodedLength;
  private final ChecksumAlgorithm.Digest checksum;
  private MessageDigest chunkHash;
  private String chunkSignature;
  private long remainingInChunk;
  private long total;
  private boolean finished;

  /**
   * @param signer verifies chunk signatures; null for unsigned streaming
   * @param trailerAlgorithm the checksum announced in x-amz-trailer, or null
   * @param signedTrailer whether the trailer carries x-amz-trailer-signature
   * @param decodedLength x-amz-decoded-content-length, or null
   */
  public AwsChunkedInputStream(InputStream in, ChunkSigner signer, ChecksumAlgorithm trailerAlgorithm,
      boolean signedTrailer, Long decodedLength) {
    this.in = in;
    this.signer = signer;
    this.trailerAlgorithm = trailerAlgorithm;
    this.signedTrailer = signedTrailer;
    this.decodedLength = decodedLength;
    this.checksum = trailerAlgorithm == null ? null : trailerAlgorithm.newDigest();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!finished && remainingInChunk == 0) {
      startChunk();
    }
    if (finished) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remainingInChunk));
    if (n < 0) {
      throw incomplete("the body ended inside a chunk");
    }
    if (chunkHash != null) {
      chunkHash.update(b, off, n);
    }
    if (checksum != null) {
      checksum.update(b, off, n);
    }
    remainingInChunk -= n;
    total += n;
    if (remainingInChunk == 0) {
      endChunk();
    }
    return n;
  }

  /** Reads a chunk header; on the final chunk, reads and checks the trailer. */
  private void startChunk() throws IOException {
    String line = readLine();
    if (line == null) {
      throw incomplete("the body ended before its final chunk");
    }
    String sizeText = line;
    chunkSignature = null;
    int semi = line.indexOf(';');
    if (semi >= 0) {
      sizeText = line.substring(0, semi);
      String ext = line.substring(semi + 1).strip();
      if (ext.startsWith("chunk-signature=")) {
        chunkSignature = ext.substring("chunk-signature=".length());
      }
    }
    long size;
    try {
      size = Long.parseLong(sizeText.strip(), 16);
    } catch (NumberFormatException e) {
      throw malformed("chunk size '" + sizeText + "' is not hexadecimal");
    }
    if (size < 0 || size > MAX_CHUNK) {
      throw malformed("chunk size " + size + " is out of range");
    }
    if (signer != null && chunkSignature == null) {
      throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "A chunk is missing its chunk-signature");
    }
    chunkHash = signer != null ? SigV4.sha256() : null;
    if (size == 0) {
      verifyChunkSignature();
      readTrailer();
      verifyLength();
      finished = true;
      return;
    }
    remainingInChunk = size;
  }

  private void endChunk() throws IOException {
    verifyChunkSignature();
    int cr = in.read();
    int lf = in.read();
    if (cr < 0 || lf < 0) {
      throw incomplete("the body ended after a chunk's data");
    }
    if (cr != '\r' || lf != '\n') {
      throw malformed("a chunk's data is not followed by CRLF");
    }
  }

  private void verifyChunkSignature() {
    if (signer == null) {
      return;
    }
    String expected = signer.nextChunk(HexFormat.of().formatHex(chunkHash.digest()));
    if (!SigV4.sameSignature(expected, chunkSignature)) {
      throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The chunk signature does not match");
    }
  }

  private void readTrailer() throws IOException {
    Map<String, String> trailers = new LinkedHashMap<>();
    StringBuilder canonical = new StringBuilder();
    String trailerSignature = null;
    while (true) {
      String line = readLine();
      if (line == null || line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformed("malformed trailer line");
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals("x-amz-trailer-signature")) {
        trailerSignature = value;
      } else {
        trailers.put(name, value);
        canonical.append(name).append(':').append(value).append('\n');
      }
    }
    if (signedTrailer && signer != null) {
      String expected = signer.trailer(canonical.toString());
      if (!SigV4.sameSignature(expected, trailerSignature)) {
        throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The trailer signature does not match");
      }
    }
    if (trailerAlgorithm != null) {
      String declared = trailers.get(trailerAlgorithm.header());
      if (declared == null) {
        throw new S3Exception(S3Error.INVALID_REQUEST, "The trailer " + trailerAlgorithm.header() + " announced in x-amz-trailer is missing");
      }
      if (!checksum.base64().equals(declared)) {
        throw new S3Exception(S3Error.BAD_DIGEST,
            "The " + trailerAlgorithm.header() + " you specified did not match the calculated checksum.");
      }
    }
  }

  private void verifyLength() {
    if (decodedLength != null && decodedLength != total) {
      throw incomplete("decoded " + total + " bytes but x-amz-decoded-content-length is " + decodedLength);
    }
  }

  /** A CRLF-terminated line (bare LF tolerated), or null at end of stream before any byte. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(80);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw incomplete("the body ended inside a chunk header");
      }
      if (c == '\n') {
        byte[] b = line.toByteArray();
        int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, n, StandardCharsets.US_ASCII);
      }
      if (line.size() >= MAX_LINE) {
        throw malformed("a chunk header line is longer than " + MAX_LINE + " bytes");
      }
      line.write(c);
    }
  }

  private static S3Exception incomplete(String why) {
    return new S3Exception(S3Error.INCOMPLETE_BODY, "You did not provide the number of bytes specified: " + why);
  }

  private static S3Exception malformed(String why) {
    return new S3Exception(S3Error.INVALID_REQUEST, "Malformed aws-chunked body: " + why);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
