package fr.coffre.s3.chunked;

import static java.nio.charset.StandardCharsets.US_ASCII;

import fr.coffre.s3.auth.SigV4;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds aws-chunked bodies the way the AWS SDKs frame them, for tests. */
public final class ChunkedBodies {
  /** The secret of the AWS documentation's examples. */
  public static final String DOCS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private ChunkedBodies() {}

  /** The three aws-chunked payload modes. */
  public enum Mode {
    SIGNED,
    SIGNED_TRAILER,
    UNSIGNED_TRAILER;

    boolean signedChunks() {
      return this != UNSIGNED_TRAILER;
    }
  }

  /** The chunk signer of the AWS documentation's examples (20130524, us-east-1). */
  public static ChunkSigner docsSigner(String seedSignature) {
    return new ChunkSigner(
        SigV4.signingKey(DOCS_SECRET, "20130524", "us-east-1", "s3"),
        "20130524T000000Z",
        "20130524/us-east-1/s3/aws4_request",
        seedSignature);
  }

  /** The chunk signer of the AWS SDK v2 vectors (20250314T150926Z, eu-west-3). */
  public static ChunkSigner sdkSigner(String seedSignature) {
    return new ChunkSigner(
        SigV4.signingKey(DOCS_SECRET, "20250314", "eu-west-3", "s3"),
        "20250314T150926Z",
        "20250314/eu-west-3/s3/aws4_request",
        seedSignature);
  }

  /** The 200000-byte body the AWS SDK v2 vectors were generated from. */
  public static byte[] sdkPattern() {
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ('a' + (i * 7 % 26));
    }
    return data;
  }

  /**
   * Frames {@code data} in chunks of the given sizes (which sum to its length), then the final
   * chunk and, for the trailer modes, the trailer: as the AWS SDK for Java v2 sends it.
   */
  public static byte[] encode(
      byte[] data, int[] sizes, Mode mode, ChunkSigner signer, ChecksumAlgorithm trailer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 100 * (sizes.length + 2));
    String previous = signer == null ? null : signer.seedSignature();
    int off = 0;
    for (int size : sizes) {
      previous = chunk(out, data, off, size, mode, signer, previous);
      off += size;
    }
    if (off != data.length) {
      throw new IllegalArgumentException("sizes do not cover the data");
    }
    previous = chunk(out, data, off, 0, mode, signer, previous);
    if (mode != Mode.SIGNED) {
      StringBuilder canonical = new StringBuilder();
      if (trailer != null) {
        String line = trailer.headerName() + ":" + trailer.checksum(data);
        canonical.append(line).append('\n');
        write(out, line + "\r\n");
      }
      if (mode == Mode.SIGNED_TRAILER) {
        String signature =
            signer.trailerSignature(previous, sha256(canonical.toString().getBytes(US_ASCII)));
        write(out, "x-amz-trailer-signature:" + signature + "\r\n");
      }
    }
    write(out, "\r\n");
    return out.toByteArray();
  }

  /** The signatures {@link #encode} puts on each chunk (the final one last). */
  public static List<String> signatures(byte[] data, int[] sizes, ChunkSigner signer) {
    List<String> result = new ArrayList<>();
    String previous = signer.seedSignature();
    int off = 0;
    for (int i = 0; i <= sizes.length; i++) {
      int size = i < sizes.length ? sizes[i] : 0;
      previous = signer.chunkSignature(previous, sha256(data, off, size));
      result.add(previous);
      off += size;
    }
    return result;
  }

  private static String chunk(
      ByteArrayOutputStream out,
      byte[] data,
      int off,
      int size,
      Mode mode,
      ChunkSigner signer,
      String previous) {
    String signature = null;
    if (mode.signedChunks()) {
      signature = signer.chunkSignature(previous, sha256(data, off, size));
      write(out, Integer.toHexString(size) + ";chunk-signature=" + signature + "\r\n");
    } else {
      write(out, Integer.toHexString(size) + "\r\n");
    }
    if (size > 0) {
      out.write(data, off, size);
      write(out, "\r\n");
    }
    return signature;
  }

  /** Sizes of 1 to {@code max} bytes that cover {@code length}. */
  public static int[] randomSizes(Random random, int length, int max) {
    List<Integer> sizes = new ArrayList<>();
    int left = length;
    while (left > 0) {
      int size = Math.min(left, 1 + random.nextInt(max));
      sizes.add(size);
      left -= size;
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A decoder for {@code body} in the given mode. */
  public static AwsChunkedInputStream decoder(
      byte[] body, Mode mode, ChunkSigner signer, ChecksumAlgorithm trailer, long decodedLength) {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return switch (mode) {
      case SIGNED -> AwsChunkedInputStream.signed(in, signer, decodedLength);
      case SIGNED_TRAILER ->
          AwsChunkedInputStream.signedWithTrailer(in, signer, trailer, decodedLength);
      case UNSIGNED_TRAILER ->
          AwsChunkedInputStream.unsignedWithTrailer(in, trailer, decodedLength);
    };
  }

  public static byte[] concat(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] b = part instanceof byte[] bytes ? bytes : part.toString().getBytes(US_ASCII);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  public static byte[] repeat(char c, int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) c);
    return b;
  }

  static byte[] sha256(byte[] data) {
    return sha256(data, 0, data.length);
  }

  static byte[] sha256(byte[] data, int off, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, off, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(US_ASCII);
    out.write(b, 0, b.length);
  }
}
