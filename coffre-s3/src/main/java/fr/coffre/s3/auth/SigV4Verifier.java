package fr.coffre.s3.auth;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.Authentication.Scheme;
import fr.coffre.s3.auth.CanonicalRequest.Param;
import fr.coffre.s3.chunked.ChunkSigner;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks the AWS Signature Version 4 of an S3 request: the {@code Authorization} header, or the
 * {@code X-Amz-*} query parameters of a presigned URL; a request with neither is anonymous and
 * returned as such (whether it may proceed is the caller's decision).
 *
 * <p>Errors follow S3's choices: an unknown key is InvalidAccessKeyId; a wrong signature is
 * SignatureDoesNotMatch, carrying the string to sign and canonical request we computed (never
 * anything secret) so that client authors can debug; a request more than 15 minutes from the
 * server's clock is RequestTimeTooSkewed; an expired presigned URL is AccessDenied "Request has
 * expired"; malformed parts are AuthorizationHeaderMalformed, AuthorizationQueryParametersError or
 * InvalidArgument with S3's messages. A header-signed request without {@code x-amz-content-sha256}
 * is refused with InvalidRequest "Missing required header for this request: x-amz-content-sha256",
 * as S3 does: S3 never signs a payload implicitly. Signature Version 2 reaches this class only when
 * the operator turned it off ({@link SignatureVerifier} otherwise hands it to {@link
 * SigV2Verifier}), and is refused with S3's answer for regions that never had it (InvalidRequest
 * "Please use AWS4-HMAC-SHA256").
 *
 * <p>Every {@code x-amz-*} header present must be signed (except {@code x-amz-content-sha256},
 * whose value the signature covers anyway as the payload hash), as S3 requires: otherwise a
 * presigned URL's holder could add, say, {@code x-amz-copy-source} under someone else's signature.
 *
 * <p><b>Why it is built this way.</b> The canonical request is computed from the request exactly as
 * it arrived ({@link SigV4Request}: the raw path, the raw query, header values byte for byte),
 * never from a decoded or normalised form: any normalisation the client did not do makes a valid
 * signature fail, and any the client did that we skip makes an invalid one pass. The access key id
 * is bounded (128 printable characters) before anything looks it up or records it, because it
 * reaches the lock-out table, the audit trail and the logs.
 *
 * <p><b>What breaks if you change it.</b> Comparing signatures with {@code equals} instead of the
 * constant-time {@code MessageDigest.isEqual} ({@link SigV4}) leaks them byte by byte; accepting
 * unsigned {@code x-amz-*} headers lets a presigned URL be repurposed; widening the clock skew
 * widens replay. The streaming modes (aws-chunked, trailers) start here and continue in {@code
 * fr.coffre.s3.chunked}, which checks each chunk's signature against the seed this class returns.
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class SigV4Verifier {
  /** S3's tolerance between the request's time and the server's. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  /** The longest a presigned URL may live: 7 days. */
  public static final long MAX_EXPIRES_SECONDS = 604_800;

  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
          .withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.STRICT);
  static final DateTimeFormatter SCOPE_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

  static final String SERVICE = "s3";
  static final String TERMINATOR = "aws4_request";
  static final String CONTENT_SHA256 = "x-amz-content-sha256";
  static final String SECURITY_TOKEN = "x-amz-security-token";
  static final String MALFORMED_HEADER = "The authorization header is malformed; ";
  static final String CREDENTIAL_ERROR = "Error parsing the X-Amz-Credential parameter; ";
  private static final List<String> PRESIGNED_PARAMS =
      List.of(
          "X-Amz-Algorithm",
          "X-Amz-Credential",
          "X-Amz-Date",
          "X-Amz-Expires",
          "X-Amz-SignedHeaders",
          "X-Amz-Signature");

  private final CredentialLookup credentials;
  private final String region;

  /** A verifier that accepts signatures scoped to any region. */
  public SigV4Verifier(CredentialLookup credentials) {
    this(credentials, null);
  }

  /**
   * @param region the only region accepted in credential scopes (S3's behaviour), or null to accept
   *     any: clients such as s3cmd and rclone sign with {@code us-east-1} unless configured, and
   *     the region adds nothing to the security of a single deployment.
   */
  public SigV4Verifier(CredentialLookup credentials, String region) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    if (region != null && (region.isBlank() || region.contains("/"))) {
      throw new IllegalArgumentException("region must be a region name, got '" + region + "'");
    }
    this.region = region;
  }

  /**
   * Authenticates a request.
   *
   * @param now the server's clock, against which request time and expiry are judged
   * @throws S3Exception when the request carries a signature that does not hold, or carries
   *     authentication that is malformed or not supported
   */
  public Authentication verify(SigV4Request request, Instant now) {
    List<Param> params = CanonicalRequest.parseQuery(request.rawQuery());
    List<String> authorization = request.headers("authorization");
    boolean presignedV4 =
        has(params, "X-Amz-Algorithm")
            || has(params, "X-Amz-Credential")
            || has(params, "X-Amz-Signature");
    boolean presignedV2 = has(params, "AWSAccessKeyId") && has(params, "Signature");
    if (!authorization.isEmpty()) {
      if (presignedV4 || presignedV2 || authorization.size() > 1) {
        throw onlyOneMechanism();
      }
      return verifyHeader(request, params, authorization.get(0).strip(), now, SERVICE, null);
    }
    if (presignedV4) {
      if (presignedV2) {
        throw onlyOneMechanism();
      }
      return verifyPresigned(request, params, now);
    }
    if (presignedV2) {
      throw unsupportedMechanism();
    }
    return anonymous(request);
  }

  /**
   * Authenticates a request of an AWS query API served on this endpoint (STS, IAM: a form POST
   * signed in the {@code Authorization} header for {@code service}). Such clients send no {@code
   * x-amz-content-sha256}: the signature covers {@code bodySha256}, the hash of the body the caller
   * read. An unsigned request is returned as anonymous.
   */
  public Authentication verifyQueryApi(
      SigV4Request request, Instant now, String service, String bodySha256) {
    List<Param> params = CanonicalRequest.parseQuery(request.rawQuery());
    List<String> authorization = request.headers("authorization");
    if (authorization.isEmpty()) {
      return anonymous(request);
    }
    if (authorization.size() > 1) {
      throw onlyOneMechanism();
    }
    return verifyHeader(request, params, authorization.get(0).strip(), now, service, bodySha256);
  }

  // ---------------------------------------------------------------- Authorization header

  private Authentication verifyHeader(
      SigV4Request request,
      List<Param> params,
      String authorization,
      Instant now,
      String service,
      String bodySha256) {
    String type = authorization.split(" ", 2)[0];
    if (!type.equals(SigV4.ALGORITHM)) {
      if (type.equals("AWS") || type.equals("AWS4-ECDSA-P256-SHA256")) {
        throw unsupportedMechanism();
      }
      // Only the scheme word is echoed: the rest may be someone's bearer token.
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Unsupported Authorization Type")
          .with("ArgumentName", "Authorization")
          .with("ArgumentValue", type);
    }
    Map<String, String> parts = components(authorization.substring(SigV4.ALGORITHM.length()));
    SigV4Credential credential = SigV4Credential.parse(parts.get("Credential"), false, service);
    checkRegion(credential, false);
    List<String> signedHeaders = signedHeaders(parts.get("SignedHeaders"), false);

    String amzDate = request.header("x-amz-date");
    Instant time;
    if (amzDate != null) {
      time = parseAmzDate(amzDate.strip());
    } else {
      String date = request.header("date");
      time = date == null ? null : parseHttpDate(date.strip());
    }
    if (time == null) {
      throw new S3Exception(
          S3Error.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
    }
    // A valid x-amz-date is already in the canonical form; only a Date header needs formatting.
    String timestamp = amzDate != null ? amzDate.strip() : AMZ_DATE.format(time);
    if (!timestamp.startsWith(credential.date())) {
      throw new S3Exception(
          S3Error.AUTHORIZATION_HEADER_MALFORMED,
          MALFORMED_HEADER + "Invalid credential date. Date is not the same as X-Amz-Date.");
    }
    if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED)
          .with("RequestTime", amzDate != null ? amzDate.strip() : request.header("date").strip())
          .with("ServerTime", iso(now))
          .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
    }

    String claimed = bodySha256 != null ? bodySha256 : request.header(CONTENT_SHA256);
    if (claimed == null) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST, "Missing required header for this request: " + CONTENT_SHA256);
    }
    claimed = claimed.strip();
    Payload payload = Payload.parse(claimed);

    byte[] key = signingKey(credential, request.header(SECURITY_TOKEN));
    try {
      requireSigned(request, signedHeaders);
      String seed =
          checkSignature(
              request,
              params,
              false,
              credential,
              timestamp,
              signedHeaders,
              parts.get("SignedHeaders"),
              claimed,
              parts.get("Signature"),
              key);
      return authenticated(credential, Scheme.HEADER, payload, timestamp, seed, key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Splits {@code Credential=..., SignedHeaders=..., Signature=...} (spaces optional). */
  private static Map<String, String> components(String text) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      int eq = p.indexOf('=');
      String name = eq < 0 ? "" : p.substring(0, eq).strip();
      boolean known =
          name.equals("Credential") || name.equals("SignedHeaders") || name.equals("Signature");
      if (!known || parts.putIfAbsent(name, p.substring(eq + 1).strip()) != null) {
        throw missingComponents();
      }
    }
    if (parts.size() != 3) {
      throw missingComponents();
    }
    return parts;
  }

  private static S3Exception missingComponents() {
    return new S3Exception(
        S3Error.AUTHORIZATION_HEADER_MALFORMED,
        MALFORMED_HEADER
            + "the authorization header requires three components: Credential, SignedHeaders, and"
            + " Signature.");
  }

  // ---------------------------------------------------------------- presigned URL

  private Authentication verifyPresigned(SigV4Request request, List<Param> params, Instant now) {
    Map<String, String> auth = new LinkedHashMap<>();
    for (Param p : params) {
      if (PRESIGNED_PARAMS.contains(p.name()) && auth.putIfAbsent(p.name(), p.value()) != null) {
        throw queryError("the " + p.name() + " parameter must appear once");
      }
    }
    if (auth.size() != PRESIGNED_PARAMS.size()) {
      throw queryError(
          "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential,"
              + " X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    }
    if (!auth.get("X-Amz-Algorithm").equals(SigV4.ALGORITHM)) {
      throw queryError("X-Amz-Algorithm only supports \"" + SigV4.ALGORITHM + "\"");
    }
    SigV4Credential credential = SigV4Credential.parse(auth.get("X-Amz-Credential"), true);
    checkRegion(credential, true);
    String timestamp = auth.get("X-Amz-Date");
    Instant time = parseAmzDate(timestamp);
    if (time == null) {
      throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    }
    if (!timestamp.startsWith(credential.date())) {
      throw queryError(
          CREDENTIAL_ERROR + "Invalid credential date. Date is not the same as X-Amz-Date.");
    }
    long expires = expires(auth.get("X-Amz-Expires"));
    if (time.isAfter(now.plus(MAX_SKEW))) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Request is not valid yet");
    }
    Instant expiry = time.plusSeconds(expires);
    if (now.isAfter(expiry)) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Request has expired")
          .with("X-Amz-Expires", Long.toString(expires))
          .with("Expires", iso(expiry))
          .with("ServerTime", iso(now));
    }
    List<String> signedHeaders = signedHeaders(auth.get("X-Amz-SignedHeaders"), true);
    // A presigned URL signs no body unless its author put a hash in the URL itself.
    String hash = param(params, "X-Amz-Content-Sha256");
    String claimed = hash != null ? hash : PayloadMode.UNSIGNED_PAYLOAD.headerValue();
    Payload payload = Payload.parse(claimed);

    String token = param(params, "X-Amz-Security-Token");
    byte[] key = signingKey(credential, token != null ? token : request.header(SECURITY_TOKEN));
    try {
      requireSigned(request, signedHeaders);
      String seed =
          checkSignature(
              request,
              params,
              true,
              credential,
              timestamp,
              signedHeaders,
              auth.get("X-Amz-SignedHeaders"),
              claimed,
              auth.get("X-Amz-Signature"),
              key);
      return authenticated(credential, Scheme.PRESIGNED, payload, timestamp, seed, key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static long expires(String text) {
    long expires;
    try {
      expires = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw queryError("X-Amz-Expires should be a number");
    }
    if (expires < 0) {
      throw queryError("X-Amz-Expires must be non-negative");
    }
    if (expires == 0) {
      // S3 takes 0 and the URL is dead on arrival; saying so helps more.
      throw queryError("X-Amz-Expires must be at least 1 second");
    }
    if (expires > MAX_EXPIRES_SECONDS) {
      throw queryError(
          "X-Amz-Expires must be less than a week (in seconds) that is " + MAX_EXPIRES_SECONDS);
    }
    return expires;
  }

  static S3Exception queryError(String message) {
    return new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR, message);
  }

  // ---------------------------------------------------------------- anonymous

  private static Authentication anonymous(SigV4Request request) {
    String claimed = request.header(CONTENT_SHA256);
    if (claimed == null) {
      return new Authentication(null, Scheme.ANONYMOUS, PayloadMode.UNSIGNED_PAYLOAD, null, null);
    }
    // A hash sent without a signature still protects against corruption in transit: check it.
    Payload payload = Payload.parse(claimed.strip());
    if (payload.mode().hasSignedChunks()) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "x-amz-content-sha256 " + claimed.strip() + " needs a signed request");
    }
    return new Authentication(null, Scheme.ANONYMOUS, payload.mode(), payload.sha256(), null);
  }

  // ---------------------------------------------------------------- shared steps

  private void checkRegion(SigV4Credential credential, boolean presigned) {
    if (region != null && !region.equals(credential.region())) {
      String why = "the region '" + credential.region() + "' is wrong; expecting '" + region + "'";
      S3Exception e =
          presigned
              ? queryError(CREDENTIAL_ERROR + why)
              : new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, MALFORMED_HEADER + why);
      throw e.with("Region", region);
    }
  }

  private static List<String> signedHeaders(String text, boolean presigned) {
    List<String> names = new ArrayList<>();
    for (String name : text.split(";", -1)) {
      if (name.isEmpty() || !name.equals(name.strip())) {
        String why = "SignedHeaders '" + text + "' is not a ';'-separated list of header names";
        throw presigned
            ? queryError(why)
            : new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, MALFORMED_HEADER + why);
      }
      names.add(name);
    }
    return names;
  }

  /**
   * S3 requires every {@code x-amz-*} header sent to be signed, and {@code host} to be signed (else
   * a signature would hold for any endpoint sharing the credentials).
   */
  private static void requireSigned(SigV4Request request, List<String> signedHeaders) {
    Set<String> signed = new HashSet<>();
    for (String name : signedHeaders) {
      signed.add(name.toLowerCase(Locale.ROOT));
    }
    Set<String> unsigned = new TreeSet<>();
    if (!signed.contains("host")) {
      unsigned.add("host");
    }
    for (String name : request.headerNames()) {
      if (name.startsWith("x-amz-") && !name.equals(CONTENT_SHA256) && !signed.contains(name)) {
        unsigned.add(name);
      }
    }
    if (!unsigned.isEmpty()) {
      throw new S3Exception(
              S3Error.ACCESS_DENIED,
              "There were headers present in the request which were not signed")
          .with("HeadersNotSigned", String.join(", ", unsigned));
    }
  }

  /** The day's signing key of the credential's key (with its session token, or null). */
  private byte[] signingKey(SigV4Credential credential, String sessionToken) {
    String secret =
        credentials
            .secretKey(credential.accessKey(), sessionToken == null ? null : sessionToken.strip())
            .orElseThrow(
                () ->
                    new S3Exception(S3Error.INVALID_ACCESS_KEY_ID)
                        .with("AWSAccessKeyId", credential.accessKey()));
    return signingKeys.get(credential, secret);
  }

  private final SigningKeys signingKeys = new SigningKeys();

  /** Returns the verified signature, which seeds the chunk-signature chain. */
  private static String checkSignature(
      SigV4Request request,
      List<Param> params,
      boolean presigned,
      SigV4Credential credential,
      String timestamp,
      List<String> signedHeaders,
      String signedHeadersText,
      String payloadHash,
      String provided,
      byte[] key) {
    String query = CanonicalRequest.query(params, presigned);
    String headers = CanonicalRequest.headers(request, signedHeaders);
    String firstCanonical = null;
    String firstStringToSign = null;
    for (String uri : CanonicalRequest.uriCandidates(request.rawPath())) {
      String canonical =
          CanonicalRequest.of(
              request.method(), uri, query, headers, signedHeadersText, payloadHash);
      String stringToSign =
          SigV4.ALGORITHM
              + '\n'
              + timestamp
              + '\n'
              + credential.scope()
              + '\n'
              + SigV4.sha256Hex(canonical);
      String expected = SigV4.hmacSha256Hex(key, stringToSign);
      if (SigV4.sameSignature(expected, provided)) {
        return expected;
      }
      if (firstCanonical == null) {
        firstCanonical = canonical;
        firstStringToSign = stringToSign;
      }
    }
    throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH)
        .with("AWSAccessKeyId", credential.accessKey())
        .with("StringToSign", firstStringToSign)
        .with("SignatureProvided", provided)
        .with("CanonicalRequest", firstCanonical);
  }

  private static Authentication authenticated(
      SigV4Credential credential,
      Scheme scheme,
      Payload payload,
      String timestamp,
      String seedSignature,
      byte[] key) {
    ChunkSigner signer =
        payload.mode().hasSignedChunks()
            ? new ChunkSigner(key, timestamp, credential.scope(), seedSignature)
            : null;
    return new Authentication(
        credential.accessKey(), scheme, payload.mode(), payload.sha256(), signer);
  }

  /**
   * {@code yyyyMMdd'T'HHmmss'Z'} read by hand: the formatter's general parser was 2 % of a small
   * GET's CPU. Same rules: exactly that shape, ASCII digits, a real date and time (no February 30).
   */
  static @Nullable Instant parseAmzDate(String text) {
    if (text.length() != 16 || text.charAt(8) != 'T' || text.charAt(15) != 'Z') {
      return null;
    }
    for (int i = 0; i < 15; i++) {
      char c = text.charAt(i);
      if (i != 8 && (c < '0' || c > '9')) {
        return null;
      }
    }
    try {
      return LocalDateTime.of(
              digits(text, 0, 4),
              digits(text, 4, 6),
              digits(text, 6, 8),
              digits(text, 9, 11),
              digits(text, 11, 13),
              digits(text, 13, 15))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int digits(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n = n * 10 + (s.charAt(i) - '0');
    }
    return n;
  }

  private static Instant parseHttpDate(String text) {
    try {
      return DateTimeFormatter.RFC_1123_DATE_TIME.parse(text, Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String iso(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  private static boolean has(List<Param> params, String name) {
    return param(params, name) != null;
  }

  /** The value of a query parameter (the last one when repeated), or null. */
  private static String param(List<Param> params, String name) {
    String value = null;
    for (Param p : params) {
      if (p.name().equals(name)) {
        value = p.value();
      }
    }
    return value;
  }

  private static S3Exception onlyOneMechanism() {
    return new S3Exception(
            S3Error.INVALID_ARGUMENT,
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature"
                + " query string parameter or the Authorization header should be specified")
        .with("ArgumentName", "Authorization");
  }

  static S3Exception unsupportedMechanism() {
    return new S3Exception(
        S3Error.INVALID_REQUEST,
        "The authorization mechanism you have provided is not supported. Please use "
            + SigV4.ALGORITHM
            + ".");
  }
}
