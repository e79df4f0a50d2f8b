package fr.coffre.s3.auth;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.Authentication.Scheme;
import fr.coffre.s3.auth.CanonicalRequest.Param;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the AWS Signature Version 2 of an S3 request: {@code Authorization: AWS AKID:signature},
 * or the {@code AWSAccessKeyId}, {@code Expires} and {@code Signature} query parameters of a
 * presigned URL (aws-cli v1's {@code s3 presign}, {@code s3cmd signurl}). The signature is the
 * base64 HMAC-SHA1, under the secret key, of
 *
 * <pre>
 * VERB \n Content-MD5 \n Content-Type \n Date (or Expires; empty when x-amz-date is sent) \n
 * x-amz-* headers (lower-cased, sorted, values trimmed, repeated ones comma-joined) \n ...
 * CanonicalizedResource ({@link CanonicalResource})
 * </pre>
 *
 * <p>With {@code x-amz-date}, the rule (and s3cmd, boto) signs an empty Date line and lists {@code
 * x-amz-date} among the {@code x-amz-*} headers; the guide's own example puts its value on the Date
 * line instead. Both are accepted: either way the signed time is the one checked for skew.
 *
 * <p>Errors are S3's, as for version 4: an unknown key is InvalidAccessKeyId; a wrong signature is
 * SignatureDoesNotMatch carrying the string to sign (never anything secret); a Date more than 15
 * minutes from the server's clock is RequestTimeTooSkewed; a presigned URL past its {@code Expires}
 * is AccessDenied "Request has expired". Both name the access key claimed, so that the lock-out
 * counts them like version 4 failures.
 *
 * <p><b>Why it is built this way.</b> V2 signs no body: the body is read as version 4's {@code
 * UNSIGNED-PAYLOAD} (length, Content-MD5 and {@code x-amz-checksum-*} still checked); an {@code
 * x-amz-content-sha256} header, being an {@code x-amz-*} header, is signed, so a hash it declares
 * is checked too; aws-chunked needs version 4's chunk signatures and is refused. HMAC-SHA1 comes
 * from the JDK's {@code Mac}; signatures are compared in constant time.
 *
 * <p><b>What breaks if you change it.</b> V2 signs neither the Host nor (in path style) any header
 * that is not listed above: what it protects is narrower than version 4, which is why the operator
 * can turn it off and sensitivity classes can refuse it. Widening the clock skew widens replay. A
 * presigned V2 URL has no longest lifetime (AWS sets none): its author chooses {@code Expires}.
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class SigV2Verifier {
  private static final Pattern DAY_NAME = Pattern.compile("^[A-Za-z]{3},\\s*");
  static final String SCHEME = "AWS";
  private static final String MALFORMED =
      "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature";
  private static final String QUERY_PARAMS =
      "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters";
  private static final HexFormat SPACED_HEX = HexFormat.ofDelimiter(" ");

  private final CredentialLookup credentials;
  private final String virtualHostDomain;

  /**
   * @param virtualHostDomain the domain under which {@code bucket.domain} addresses a bucket (the
   *     bucket is then part of the signed resource), or null for path style only
   */
  public SigV2Verifier(CredentialLookup credentials, String virtualHostDomain) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.virtualHostDomain = virtualHostDomain;
  }

  /**
   * Whether the request is signed with version 2 and nothing else: an {@code Authorization: AWS}
   * header without presigned parameters, or the V2 presigned parameters without header nor V4 ones.
   * Anything mixed is left to {@link SigV4Verifier}, which refuses it.
   */
  static boolean signs(SigV4Request request, List<Param> params) {
    boolean v4Query =
        has(params, "X-Amz-Algorithm")
            || has(params, "X-Amz-Credential")
            || has(params, "X-Amz-Signature");
    boolean v2Query = has(params, "AWSAccessKeyId") || has(params, "Signature");
    List<String> authorization = request.headers("authorization");
    if (authorization.isEmpty()) {
      return v2Query && !v4Query;
    }
    return authorization.size() == 1
        && !v2Query
        && !v4Query
        && authorization.get(0).strip().split(" ", 2)[0].equals(SCHEME);
  }

  /**
   * Authenticates a request that {@link #signs} says is signed with version 2.
   *
   * @param now the server's clock, against which the Date and Expires are judged
   */
  public Authentication verify(SigV4Request request, Instant now) {
    List<Param> params = CanonicalRequest.parseQuery(request.rawQuery());
    return request.headers("authorization").isEmpty()
        ? verifyPresigned(request, params, now)
        : verifyHeader(request, request.header("authorization").strip(), now);
  }

  private Authentication verifyHeader(SigV4Request request, String authorization, Instant now) {
    String credential = authorization.substring(SCHEME.length()).strip();
    int colon = credential.lastIndexOf(':');
    if (colon <= 0 || colon == credential.length() - 1) {
      throw malformed();
    }
    String accessKey = requireAccessKey(credential.substring(0, colon));
    String provided = credential.substring(colon + 1);

    String amzDate = request.header("x-amz-date");
    String date = request.header("date");
    String timeText = amzDate != null ? amzDate.strip() : date == null ? null : date.strip();
    Instant time = timeText == null ? null : parseDate(timeText);
    if (time == null) {
      throw new S3Exception(
          S3Error.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
    }
    if (Duration.between(time, now).abs().compareTo(SigV4Verifier.MAX_SKEW) > 0) {
      throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED)
          .with("RequestTime", timeText)
          .with("ServerTime", iso(now))
          .with("MaxAllowedSkewMilliseconds", Long.toString(SigV4Verifier.MAX_SKEW.toMillis()));
    }
    String amz = amzHeaders(request, true);
    List<String> heads = new ArrayList<>(2);
    if (amzDate == null) {
      heads.add(head(request, timeText, amz));
    } else {
      // The rule (and s3cmd, boto): an empty Date line, x-amz-date among the x-amz-* headers. The
      // guide's own example instead puts x-amz-date's value on the Date line, once. Either signs
      // the same time.
      heads.add(head(request, "", amz));
      heads.add(head(request, amzDate.strip(), amzHeaders(request, false)));
    }
    check(request, accessKey, heads, provided);
    return authenticated(request, accessKey, Scheme.HEADER_V2);
  }

  private Authentication verifyPresigned(SigV4Request request, List<Param> params, Instant now) {
    Map<String, String> auth = new LinkedHashMap<>();
    for (Param p : params) {
      String name = p.name();
      if ((name.equals("AWSAccessKeyId") || name.equals("Expires") || name.equals("Signature"))
          && auth.putIfAbsent(name, p.value()) != null) {
        throw new S3Exception(
                S3Error.INVALID_ARGUMENT, "the " + name + " parameter must appear once")
            .with("ArgumentName", name);
      }
    }
    if (auth.size() != 3) {
      throw new S3Exception(S3Error.ACCESS_DENIED, QUERY_PARAMS);
    }
    String accessKey = requireAccessKey(auth.get("AWSAccessKeyId"));
    String expiresText = auth.get("Expires");
    long expires;
    try {
      expires = Long.parseLong(expiresText);
    } catch (NumberFormatException e) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "Expires must be a number of seconds since the epoch")
          .with("ArgumentName", "Expires")
          .with("ArgumentValue", expiresText);
    }
    if (now.getEpochSecond() > expires) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Request has expired")
          .with("Expires", iso(Instant.ofEpochSecond(Math.max(expires, 0))))
          .with("ServerTime", iso(now));
    }
    // A '+' left unescaped in the URL arrives as a space; base64 has no space, so it was a '+'.
    String provided = auth.get("Signature").replace(' ', '+');
    check(
        request,
        accessKey,
        List.of(head(request, expiresText, amzHeaders(request, true))),
        provided);
    return authenticated(request, accessKey, Scheme.PRESIGNED_V2);
  }

  /** The string to sign up to the canonical resource. */
  private static String head(SigV4Request request, String dateLine, String amzHeaders) {
    return request.method()
        + '\n'
        + value(request, "content-md5")
        + '\n'
        + value(request, "content-type")
        + '\n'
        + dateLine
        + '\n'
        + amzHeaders;
  }

  /** Checks the signature against each head and canonical resource a client may have signed. */
  private void check(SigV4Request request, String accessKey, List<String> heads, String provided) {
    String secret =
        credentials
            .secretKey(accessKey)
            .orElseThrow(
                () ->
                    new S3Exception(S3Error.INVALID_ACCESS_KEY_ID)
                        .with("AWSAccessKeyId", accessKey));
    String first = null;
    for (String head : heads) {
      for (String resource : CanonicalResource.candidates(request, virtualHostDomain)) {
        String stringToSign = head + resource;
        if (SigV4.sameSignature(hmacSha1Base64(secret, stringToSign), provided)) {
          return;
        }
        if (first == null) {
          first = stringToSign;
        }
      }
    }
    throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH)
        .with("AWSAccessKeyId", accessKey)
        .with("StringToSign", first)
        .with("SignatureProvided", provided)
        .with("StringToSignBytes", SPACED_HEX.formatHex(first.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Every {@code x-amz-*} header as {@code name:value\n}: names lower-cased and sorted, each value
   * trimmed with folded lines unfolded, repeated headers joined by commas; {@code x-amz-date} only
   * when {@code withDate}.
   */
  static String amzHeaders(SigV4Request request, boolean withDate) {
    Map<String, String> sorted = new TreeMap<>();
    for (String name : request.headerNames()) {
      if (name.startsWith("x-amz-") && (withDate || !name.equals("x-amz-date"))) {
        List<String> values = new ArrayList<>();
        for (String v : request.headers(name)) {
          values.add(v.replaceAll("\\s*\\r?\\n\\s*", " ").strip());
        }
        sorted.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
      }
    }
    StringBuilder b = new StringBuilder();
    sorted.forEach((name, value) -> b.append(name).append(':').append(value).append('\n'));
    return b.toString();
  }

  /** The request's body as V2 leaves it: unsigned, unless a signed x-amz-content-sha256 says. */
  private static Authentication authenticated(
      SigV4Request request, String accessKey, Scheme scheme) {
    String claimed = request.header(SigV4Verifier.CONTENT_SHA256);
    Payload payload = claimed == null ? Payload.UNSIGNED : Payload.parse(claimed.strip());
    if (payload.mode().isStreaming()) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "x-amz-content-sha256 "
              + claimed.strip()
              + " (aws-chunked) needs AWS Signature Version 4 ("
              + SigV4.ALGORITHM
              + ")");
    }
    return new Authentication(accessKey, scheme, payload.mode(), payload.sha256(), null);
  }

  /** The base64 HMAC-SHA1 of {@code data} under {@code secret}: a V2 signature. */
  static String hmacSha1Base64(String secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is required of every JDK", e);
    }
  }

  /** The access key id, bounded before it reaches the lookup, the lock-out table or the trail. */
  private static String requireAccessKey(String id) {
    if (id.isEmpty() || id.length() > 128 || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw malformed();
    }
    return id;
  }

  private static S3Exception malformed() {
    return new S3Exception(S3Error.INVALID_ARGUMENT, MALFORMED)
        .with("ArgumentName", "Authorization");
  }

  private static String value(SigV4Request request, String name) {
    String v = request.header(name);
    return v == null ? "" : v.strip();
  }

  /**
   * An HTTP date (RFC 1123, as V2 clients send), or null. The day name is not checked against the
   * date (the signature covers the text anyway), so that a clock far off is told
   * RequestTimeTooSkewed, which SDKs correct themselves from; a time before 1970 is no valid date.
   */
  static Instant parseDate(String text) {
    try {
      Instant t =
          DateTimeFormatter.RFC_1123_DATE_TIME.parse(
              DAY_NAME.matcher(text).replaceFirst(""), Instant::from);
      return t.isBefore(Instant.EPOCH) ? null : t;
    } catch (DateTimeParseException e) {
      try {
        return SigV4Verifier.AMZ_DATE.parse(text, Instant::from);
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }

  private static String iso(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  private static boolean has(List<Param> params, String name) {
    for (Param p : params) {
      if (p.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
