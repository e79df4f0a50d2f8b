package fr.coffre.s3.handlers;

import fr.coffre.core.BucketName;
import fr.coffre.core.InvalidBucketNameException;
import fr.coffre.core.ObjectKey;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.service.ReadConditions;

/** Small parsers shared by the action handlers. */
final class Requests {
  private Requests() {}

  /**
   * The request's bucket as a valid name. An existing bucket is addressed, so a name that cannot
   * exist answers NoSuchBucket rather than InvalidBucketName (as S3 does outside CreateBucket).
   */
  static BucketName bucket(S3Request request) {
    try {
      return new BucketName(request.bucket());
    } catch (InvalidBucketNameException e) {
      throw new S3Exception(S3Error.NO_SUCH_BUCKET).with("BucketName", request.bucket());
    }
  }

  static ObjectKey key(S3Request request) {
    return new ObjectKey(request.key());
  }

  /** The {@code versionId} query parameter: null when absent; an empty one is refused. */
  static String versionId(S3Request request) {
    String v = request.queryParam("versionId");
    if (v != null && v.isEmpty()) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Version id cannot be the empty string")
          .with("ArgumentName", "versionId");
    }
    return v;
  }

  static ReadConditions readConditions(S3Request request, String prefix) {
    return new ReadConditions(
        request.header(prefix + "if-match"),
        request.header(prefix + "if-none-match"),
        HttpDates.parseHeader(request.header(prefix + "if-modified-since")),
        HttpDates.parseHeader(request.header(prefix + "if-unmodified-since")));
  }

  /** The partNumber query parameter: 1 to 10000. */
  static int partNumber(S3Request request) {
    String v = request.queryParam("partNumber");
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 10000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new S3Exception(
            S3Error.INVALID_ARGUMENT,
            "Part number must be an integer between 1 and 10000, inclusive")
        .with("ArgumentName", "partNumber")
        .with("ArgumentValue", v);
  }

  /** Parses an integer query parameter in [0, max] (clamped to max); InvalidArgument otherwise. */
  static int intParam(S3Request request, String name, int dflt, int max) {
    String v = request.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 0) {
        throw new S3Exception(
                S3Error.INVALID_ARGUMENT,
                "Argument " + name + " must be an integer between 0 and 2147483647")
            .with("ArgumentName", name)
            .with("ArgumentValue", v);
      }
      return Math.min(n, max);
    } catch (NumberFormatException e) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "Provided " + name + " not an integer or within integer range")
          .with("ArgumentName", name)
          .with("ArgumentValue", v);
    }
  }
}
