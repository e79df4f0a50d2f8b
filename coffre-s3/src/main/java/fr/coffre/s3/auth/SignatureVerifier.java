package fr.coffre.s3.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * Chooses which signature check a request gets: version 2 ({@link SigV2Verifier}) when the request
 * is signed with it alone and the operator allows it, else version 4 ({@link SigV4Verifier}), which
 * also answers anonymous requests, mixed mechanisms and version 2 when it is turned off (with S3's
 * "Please use AWS4-HMAC-SHA256").
 *
 * <p>Keeping the choice here keeps each verifier about one algorithm; turning V2 off is passing no
 * V2 verifier, so a server that refuses V2 never runs a line of its code.
 */
public final class SignatureVerifier {
  private final SigV4Verifier v4;
  private final SigV2Verifier v2;

  /**
   * @param v2 the version 2 verifier, or null when version 2 is refused
   */
  public SignatureVerifier(SigV4Verifier v4, SigV2Verifier v2) {
    this.v4 = Objects.requireNonNull(v4, "v4");
    this.v2 = v2;
  }

  /** Version 4 only. */
  public static SignatureVerifier v4Only(SigV4Verifier v4) {
    return new SignatureVerifier(v4, null);
  }

  /**
   * Authenticates a request.
   *
   * @throws fr.coffre.s3.S3Exception when the request carries a signature that does not hold, or
   *     authentication that is malformed or not accepted
   */
  public Authentication verify(SigV4Request request, Instant now) {
    if (v2 != null
        && SigV2Verifier.signs(request, CanonicalRequest.parseQuery(request.rawQuery()))) {
      return v2.verify(request, now);
    }
    return v4.verify(request, now);
  }
}
