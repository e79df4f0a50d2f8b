package fr.coffre.s3.auth;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** The credential scope of a SigV4 signature: {@code AKID/yyyyMMdd/region/service/aws4_request}. */
record SigV4Credential(String accessKey, String date, String region, String service) {
  /** IAM's own bound on an access key id. */
  static final int MAX_ACCESS_KEY_LENGTH = 128;

  String scope() {
    return date + '/' + region + '/' + service + '/' + SigV4Verifier.TERMINATOR;
  }

  static SigV4Credential parse(String text, boolean presigned) {
    return parse(text, presigned, SigV4Verifier.SERVICE);
  }

  /** Parses a scope that must name {@code service} ({@code s3}, or {@code sts}/{@code iam}). */
  static SigV4Credential parse(String text, boolean presigned, String service) {
    String[] p = text.split("/", -1);
    if (p.length != 5 || p[0].isEmpty() || p[2].isEmpty() || !isDate(p[1])) {
      throw error(
          presigned,
          "the Credential is mal-formed; expecting"
              + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
    }
    if (p[0].length() > MAX_ACCESS_KEY_LENGTH
        || !p[0].chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      // Never carried further (lock-out table, audit, logs): ids are printable ASCII, at most 128.
      throw error(
          presigned,
          "the access key id must be 1 to "
              + MAX_ACCESS_KEY_LENGTH
              + " printable ASCII characters.");
    }
    if (!p[3].equals(service)) {
      throw error(
          presigned,
          "incorrect service \"" + p[3] + "\". This endpoint belongs to \"" + service + "\".");
    }
    if (!p[4].equals(SigV4Verifier.TERMINATOR)) {
      throw error(
          presigned,
          "incorrect terminal \""
              + p[4]
              + "\". This endpoint uses \""
              + SigV4Verifier.TERMINATOR
              + "\".");
    }
    return new SigV4Credential(p[0], p[1], p[2], service);
  }

  /** The scope date seen last that was a date: almost every request of a day carries it. */
  private static volatile String lastDate = "";

  private static boolean isDate(String yyyymmdd) {
    if (yyyymmdd.equals(lastDate)) {
      return true;
    }
    if (yyyymmdd.length() != 8 || !yyyymmdd.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    try {
      LocalDate.parse(yyyymmdd, SigV4Verifier.SCOPE_DATE);
    } catch (DateTimeParseException e) {
      return false;
    }
    lastDate = yyyymmdd;
    return true;
  }

  private static S3Exception error(boolean presigned, String why) {
    return presigned
        ? SigV4Verifier.queryError(SigV4Verifier.CREDENTIAL_ERROR + why)
        : new S3Exception(
            S3Error.AUTHORIZATION_HEADER_MALFORMED, SigV4Verifier.MALFORMED_HEADER + why);
  }
}
