package fr.coffre.s3.auth;

import fr.coffre.s3.checksum.ChecksumInputStream;
import fr.coffre.s3.checksum.ChecksumValue;
import fr.coffre.s3.chunked.AwsChunkedInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.Optional;

/**
 * A request body with its transfer encoding removed and its checks running as it streams (see
 * {@link PayloadDecoder}): it ends (-1) only once every check has passed.
 */
public final class DecodedBody extends FilterInputStream {
  private final PayloadMode payloadMode;
  private final ChecksumInputStream headerChecksum;
  private final AwsChunkedInputStream chunked;

  DecodedBody(
      InputStream in,
      PayloadMode payloadMode,
      ChecksumInputStream headerChecksum,
      AwsChunkedInputStream chunked) {
    super(in);
    this.payloadMode = payloadMode;
    this.headerChecksum = headerChecksum;
    this.chunked = chunked;
  }

  public PayloadMode payloadMode() {
    return payloadMode;
  }

  /**
   * The checksum the client sent (in an {@code x-amz-checksum-*} header or trailer), verified:
   * present once the body has been read to its end and matched, for storing and echoing.
   */
  public Optional<ChecksumValue> checksum() {
    if (headerChecksum != null) {
      return headerChecksum.verifiedValue();
    }
    return chunked == null ? Optional.empty() : chunked.trailingChecksum();
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
