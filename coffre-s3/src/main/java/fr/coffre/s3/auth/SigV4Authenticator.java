package fr.coffre.s3.auth;

import fr.coffre.s3.Percent;
import fr.coffre.s3.RawRequest;
import fr.coffre.s3.RequestAuthenticator;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumInputStream;
import fr.coffre.s3.chunked.AwsChunkedInputStream;
import fr.coffre.s3.chunked.ChunkSigner;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies AWS Signature Version 4 (Authorization header or presigned query) and wraps the body in
 * the decoder its payload mode calls for: signed hash, unsigned, aws-chunked with per-chunk
 * signatures, or aws-chunked with a trailing checksum (signed or not).
 */
public final class SigV4Authenticator implements RequestAuthenticator {
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Function<String, Optional<String>> secrets;

  /** @param secrets the secret of an access key id, or empty when the key is unknown */
  public SigV4Authenticator(Function<String, Optional<String>> secrets) {
    this.secrets = secrets;
  }

  @Override
  public Authenticated authenticate(RawRequest request, InputStream rawBody, Instant now) {
    Map<String, String> query = QueryString.parse(request.rawQuery());
    String authorization = request.header("authorization");
    Signed signed;
    if (authorization != null) {
      signed = Signed.fromHeader(authorization, request);
      checkSkew(signed.amzDate(), now);
    } else if (query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Algorithm")) {
      signed = Signed.fromQuery(query, now);
    } else if (query.containsKey("Signature") && query.containsKey("AWSAccessKeyId")) {
      throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Signature Version 2 is not supported; use Signature Version 4");
    } else {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Anonymous access is not allowed");
    }
    String secret =
        secrets.apply(signed.accessKey()).orElseThrow(() -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID)
            .with("AWSAccessKeyId", signed.accessKey()));
    String canonical = CanonicalRequest.build(request, signed.signedHeaders(), signed.payloadHash(), signed.presigned());
    String stringToSign =
        SigV4.ALGORITHM + "\n" + signed.amzDateText() + "\n" + signed.scope() + "\n" + SigV4.sha256Hex(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] key = SigV4.signingKey(secret, signed.date(), signed.region(), signed.service());
    String expected = SigV4.signHex(key, stringToSign);
    if (!SigV4.sameSignature(expected, signed.signature())) {
      throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH)
          .with("AWSAccessKeyId", signed.accessKey())
          .with("StringToSign", stringToSign)
          .with("CanonicalRequest", canonical);
    }
    ChunkSigner signer = new ChunkSigner(key, signed.amzDateText(), signed.scope(), signed.signature());
    return new Authenticated(signed.accessKey(), body(request, rawBody, signed.payloadHash(), signer));
  }

  private static void checkSkew(Instant amzDate, Instant now) {
    if (Duration.between(amzDate, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED)
          .with("RequestTime", AMZ_DATE.format(amzDate))
          .with("ServerTime", AMZ_DATE.format(now))
          .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
    }
  }

  /** The body decoder for the payload mode the signature declares. */
  private static InputStream body(RawRequest request, InputStream raw, String payloadHash, ChunkSigner signer) {
    Long decodedLength = decodedLength(request);
    ChecksumAlgorithm trailer = trailerAlgorithm(request);
    InputStream body =
        switch (payloadHash) {
          case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" ->
              new AwsChunkedInputStream(raw, signer, null, false, decodedLength);
          case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" ->
              new AwsChunkedInputStream(raw, signer, trailer, true, decodedLength);
          case "STREAMING-UNSIGNED-PAYLOAD-TRAILER" ->
              new AwsChunkedInputStream(raw, null, trailer, false, decodedLength);
          case "UNSIGNED-PAYLOAD" -> raw;
          default -> {
            if (payloadHash.startsWith("STREAMING-")) {
              throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Payload mode " + payloadHash + " is not supported");
            }
            yield new SignedPayloadInputStream(raw, payloadHash);
          }
        };
    // A checksum in a header (not a trailer) is checked over the decoded body.
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      String value = request.header(a.header());
      if (value != null && (trailer == null || trailer != a)) {
        body = new ChecksumInputStream(body, a, value);
      }
    }
    return body;
  }

  private static Long decodedLength(RawRequest request) {
    String v = request.header("x-amz-decoded-content-length");
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-decoded-content-length is not a length")
        .with("ArgumentName", "x-amz-decoded-content-length");
  }

  private static ChecksumAlgorithm trailerAlgorithm(RawRequest request) {
    String t = request.header("x-amz-trailer");
    if (t == null || t.isBlank()) {
      return null;
    }
    ChecksumAlgorithm a = ChecksumAlgorithm.ofHeader(t);
    if (a == null) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Unsupported trailer " + t).with("ArgumentName", "x-amz-trailer");
    }
    return a;
  }

  /** The parts of a signature, from a header or a presigned query. */
  record Signed(
      String accessKey,
      String date,
      String region,
      String service,
      String amzDateText,
      Instant amzDate,
      List<String> signedHeaders,
      String signature,
      String payloadHash,
      boolean presigned) {

    String scope() {
      return date + "/" + region + "/" + service + "/aws4_request";
    }

    static Signed fromHeader(String authorization, RawRequest request) {
      String a = authorization.strip();
      if (!a.startsWith(SigV4.ALGORITHM + " ")) {
        if (a.startsWith("AWS ")) {
          throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Signature Version 2 is not supported; use Signature Version 4");
        }
        throw malformed("Unsupported authorization type");
      }
      String credential = null;
      String headers = null;
      String signature = null;
      for (String part : a.substring(SigV4.ALGORITHM.length()).split(",")) {
        String p = part.strip();
        int eq = p.indexOf('=');
        if (eq < 0) {
          throw malformed("Malformed authorization component " + p);
        }
        String v = p.substring(eq + 1).strip();
        switch (p.substring(0, eq).strip()) {
          case "Credential" -> credential = v;
          case "SignedHeaders" -> headers = v;
          case "Signature" -> signature = v;
          default -> throw malformed("Unknown authorization component " + p.substring(0, eq));
        }
      }
      if (credential == null || headers == null || signature == null) {
        throw malformed("The authorization header is missing Credential, SignedHeaders or Signature");
      }
      String amz = request.header("x-amz-date");
      if (amz == null) {
        String date = request.header("date");
        Instant t = date == null ? null : fr.coffre.s3.HttpDates.parseHeader(date);
        if (t == null) {
          throw new S3Exception(S3Error.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
        }
        amz = AMZ_DATE.format(t);
      }
      String payload = request.header("x-amz-content-sha256");
      if (payload == null) {
        throw new S3Exception(S3Error.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256");
      }
      if (!payload.startsWith("STREAMING-") && !payload.equals("UNSIGNED-PAYLOAD") && !payload.matches("[0-9a-f]{64}")) {
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a SHA-256 hex digest")
            .with("ArgumentName", "x-amz-content-sha256");
      }
      return build(credential, headers, signature, amz, payload, false, S3Error.AUTHORIZATION_HEADER_MALFORMED);
    }

    static Signed fromQuery(Map<String, String> q, Instant now) {
      S3Error bad = S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
      if (!SigV4.ALGORITHM.equals(q.get("X-Amz-Algorithm"))) {
        throw new S3Exception(bad, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
      }
      for (String p : List.of("X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature")) {
        if (q.get(p) == null) {
          throw new S3Exception(bad, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
      }
      long expires;
      try {
        expires = Long.parseLong(q.get("X-Amz-Expires"));
      } catch (NumberFormatException e) {
        throw new S3Exception(bad, "X-Amz-Expires should be a number");
      }
      if (expires < 1 || expires > 604800) {
        throw new S3Exception(bad, "X-Amz-Expires must be between 1 and 604800 seconds");
      }
      Signed s = build(q.get("X-Amz-Credential"), q.get("X-Amz-SignedHeaders"), q.get("X-Amz-Signature"),
          q.get("X-Amz-Date"), "UNSIGNED-PAYLOAD", true, bad);
      if (now.isAfter(s.amzDate().plusSeconds(expires))) {
        throw new S3Exception(S3Error.ACCESS_DENIED, "Request has expired")
            .with("X-Amz-Expires", Long.toString(expires))
            .with("Expires", AMZ_DATE.format(s.amzDate().plusSeconds(expires)))
            .with("ServerTime", AMZ_DATE.format(now));
      }
      if (s.amzDate().isAfter(now.plus(MAX_SKEW))) {
        throw new S3Exception(S3Error.ACCESS_DENIED, "Request is not valid yet");
      }
      return s;
    }

    private static Signed build(String credential, String headers, String signature, String amz,
        String payload, boolean presigned, S3Error bad) {
      String[] c = credential.split("/");
      if (c.length != 5 || !c[4].equals("aws4_request") || c[0].isEmpty()) {
        throw new S3Exception(bad, "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
      }
      if (!c[3].equals("s3")) {
        throw new S3Exception(bad, "Error parsing the X-Amz-Credential parameter; incorrect service \"" + c[3] + "\". This endpoint belongs to \"s3\".");
      }
      Instant t;
      try {
        t = AMZ_DATE.parse(amz, Instant::from);
      } catch (DateTimeParseException e) {
        throw new S3Exception(bad, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
      }
      if (!amz.startsWith(c[1])) {
        throw new S3Exception(bad, "Error parsing the X-Amz-Credential parameter; the date " + c[1] + " does not match the request date " + amz.substring(0, 8));
      }
      List<String> signedHeaders = new ArrayList<>();
      for (String h : headers.split(";")) {
        if (!h.isBlank()) {
          signedHeaders.add(h.strip().toLowerCase(Locale.ROOT));
        }
      }
      if (!signedHeaders.contains("host")) {
        throw new S3Exception(bad, "The host header must be signed");
      }
      return new Signed(c[0], c[1], c[2], c[3], amz, t, signedHeaders, signature.strip(), payload, presigned);
    }

    private static S3Exception malformed(String message) {
      return new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, message);
    }
  }

  /** Raw query parsing that keeps names as the client encoded them, for both decoding and signing. */
  static final class QueryString {
    private QueryString() {}

    static Map<String, String> parse(String raw) {
      Map<String, String> m = new java.util.LinkedHashMap<>();
      if (raw == null || raw.isEmpty()) {
        return m;
      }
      for (String pair : raw.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = Percent.decode(eq < 0 ? pair : pair.substring(0, eq), true);
        String value = eq < 0 ? "" : Percent.decode(pair.substring(eq + 1), true);
        m.putIfAbsent(name, value);
      }
      return m;
    }
  }
}
