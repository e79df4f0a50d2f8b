package fr.coffre.s3.handlers;

import fr.coffre.core.ObjectChecksum;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.auth.DecodedBody;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumValue;
import fr.coffre.s3.checksum.ComputingInputStream;
import fr.coffre.s3.xml.VersionDocuments;
import fr.coffre.service.ObjectInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Additional checksums ({@code x-amz-checksum-*}) on the way in and out: which algorithm a request
 * body declares, the verified value to store, and the headers GET and HEAD return when the client
 * asks with {@code x-amz-checksum-mode: ENABLED}.
 */
final class ChecksumHeaders {
  private ChecksumHeaders() {}

  /** The algorithm of the checksum a request body carries (value header or trailer), if any. */
  static Optional<ChecksumAlgorithm> declared(S3Request request) {
    for (String name : request.headers().keySet()) {
      if (ChecksumAlgorithm.isValueHeader(name)) {
        Optional<ChecksumAlgorithm> a = ChecksumAlgorithm.fromHeaderName(name);
        if (a.isPresent()) {
          return a;
        }
      }
    }
    Optional<ChecksumAlgorithm> trailer =
        ChecksumAlgorithm.fromHeaderName(request.header("x-amz-trailer"));
    return trailer.isPresent()
        ? trailer
        : ChecksumAlgorithm.fromAwsName(request.header("x-amz-sdk-checksum-algorithm"));
  }

  /** The body's verified checksum, asked once it has been read: what PutObject stores. */
  static Supplier<ObjectChecksum> verified(S3Request request) {
    return () ->
        verifiedValue(request.body())
            .map(v -> ObjectChecksum.fullObject(v.algorithm().awsName(), v.base64()))
            .orElse(null);
  }

  private static Optional<ChecksumValue> verifiedValue(InputStream body) {
    if (body instanceof DecodedBody d) {
      return d.checksum();
    }
    if (body instanceof ComputingInputStream c) {
      return c.value();
    }
    return Optional.empty();
  }

  /**
   * A part's body and its checksum in the upload's algorithm: the client's (verified) when it sent
   * one, else computed as the body streams. A checksum of another algorithm is refused.
   */
  record PartBody(InputStream body, Supplier<String> checksum) {}

  static PartBody partBody(S3Request request, Optional<ObjectChecksum> upload) {
    if (upload.isEmpty()) {
      return new PartBody(request.body(), () -> null);
    }
    ChecksumAlgorithm algorithm = algorithm(upload.get().algorithm());
    Optional<ChecksumAlgorithm> declared = declared(request);
    if (declared.isPresent() && declared.get() != algorithm) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "Checksum Type mismatch occurred, expected checksum Type: "
              + algorithm.awsName().toLowerCase(Locale.ROOT)
              + ", actual checksum Type: "
              + declared.get().awsName().toLowerCase(Locale.ROOT));
    }
    InputStream body =
        declared.isPresent() ? request.body() : new ComputingInputStream(request.body(), algorithm);
    return new PartBody(body, () -> verifiedValue(body).map(ChecksumValue::base64).orElse(null));
  }

  static ChecksumAlgorithm algorithm(String awsName) {
    return ChecksumAlgorithm.fromAwsName(awsName)
        .orElseThrow(() -> new IllegalStateException("stored checksum algorithm " + awsName));
  }

  /** Adds the stored checksum to a GET or HEAD response when the client enabled checksum mode. */
  static void write(
      S3Response response, ObjectInfo info, S3Request request, Integer partNumber, boolean ranged) {
    ObjectChecksum c = info.attributes().checksum();
    if (c == null
        || c.value() == null
        || ranged
        || !"ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
      return;
    }
    String header = algorithm(c.algorithm()).headerName();
    if (partNumber == null) {
      response.header(header, c.value()).header("x-amz-checksum-type", c.type());
    } else if (ObjectChecksum.COMPOSITE.equals(c.type())
        && partNumber - 1 < c.partValues().size()) {
      response
          .header(header, c.partValues().get(partNumber - 1))
          .header("x-amz-checksum-type", c.type());
    } else if (info.partSizes().isEmpty()) {
      response.header(header, c.value()).header("x-amz-checksum-type", c.type());
    }
  }

  /** The checksum as an XML element group: one field set by algorithm, and the type. */
  static VersionDocuments.Checksum document(String algorithm, String value, String type) {
    ChecksumAlgorithm a = algorithm(algorithm);
    return new VersionDocuments.Checksum(
        a == ChecksumAlgorithm.CRC32 ? value : null,
        a == ChecksumAlgorithm.CRC32C ? value : null,
        a == ChecksumAlgorithm.CRC64NVME ? value : null,
        a == ChecksumAlgorithm.SHA1 ? value : null,
        a == ChecksumAlgorithm.SHA256 ? value : null,
        type);
  }

  /** The one checksum among the fields of an XML part, or null. */
  static String oneOf(String crc32, String crc32c, String crc64nvme, String sha1, String sha256) {
    for (String v : List.of(nz(crc32), nz(crc32c), nz(crc64nvme), nz(sha1), nz(sha256))) {
      if (!v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
