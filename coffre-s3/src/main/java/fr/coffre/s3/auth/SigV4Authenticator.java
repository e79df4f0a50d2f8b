package fr.coffre.s3.auth;

import fr.coffre.s3.RawRequest;
import fr.coffre.s3.RequestAuthenticator;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;

/**
 * The S3 edge's authenticator: verifies the request's signature ({@link SignatureVerifier}: SigV4,
 * and SigV2 where allowed) and hands back its body decoded and checked as it streams ({@link
 * PayloadDecoder}); the body is a {@link DecodedBody}, whose verified checksum a handler can store
 * and echo.
 */
public final class SigV4Authenticator implements RequestAuthenticator {
  private final SignatureVerifier verifier;
  private final boolean allowAnonymous;

  /** Signed requests only, any region. */
  public SigV4Authenticator(CredentialLookup credentials) {
    this(new SigV4Verifier(credentials), false);
  }

  /**
   * @param allowAnonymous whether unsigned requests pass, with a null access key (for public
   *     buckets); otherwise they get AccessDenied, as S3 answers for a private resource
   */
  public SigV4Authenticator(SigV4Verifier verifier, boolean allowAnonymous) {
    this(SignatureVerifier.v4Only(verifier), allowAnonymous);
  }

  /**
   * @param allowAnonymous whether unsigned requests pass, with a null access key (for public
   *     buckets); otherwise they get AccessDenied, as S3 answers for a private resource
   */
  public SigV4Authenticator(SignatureVerifier verifier, boolean allowAnonymous) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.allowAnonymous = allowAnonymous;
  }

  @Override
  public Authenticated authenticate(RawRequest request, InputStream rawBody, Instant now) {
    SigV4Request r =
        SigV4Request.of(
            request.method(),
            request.rawPath() == null ? "/" : request.rawPath(),
            request.rawQuery(),
            request.headers());
    Authentication auth = verifier.verify(r, now);
    if (auth.isAnonymous() && !allowAnonymous) {
      throw new S3Exception(S3Error.ACCESS_DENIED);
    }
    return new Authenticated(
        auth.accessKey(),
        PayloadDecoder.decode(auth, r, rawBody),
        auth.scheme().signatureVersion());
  }
}
