package fr.coffre.s3.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.Authentication.Scheme;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.testing.Fuzz;
import fr.coffre.testing.Mutations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes SigV4 authentication: canonicalisation, the Authorization header, the presigned query
 * parameters, X-Amz-Credential and the payload headers.
 *
 * <p>Requests are signed here by an independent implementation of the AWS rules, from the decoded
 * key and query (as clients sign), then sent with any of the wire encodings clients use (raw or
 * escaped unreserved characters, lower-case escapes, '+' or %20 for a space, raw UTF-8...): each
 * must verify. Changing one signed character must then fail with SignatureDoesNotMatch. Damaging
 * the authentication itself, or sending random headers and bodies, must end in a 4xx S3 error or an
 * authenticated request, never in anything else.
 */
class SigV4FuzzTest {
  private static final String AKID = "AKIAFUZZEXAMPLE";
  private static final String SECRET = "fuzz/Secret+Key=EXAMPLE";
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final DateTimeFormatter AMZ =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final List<String> PAYLOADS =
      List.of(
          "UNSIGNED-PAYLOAD",
          "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
          "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
          "STREAMING-UNSIGNED-PAYLOAD-TRAILER");

  private final SigV4Verifier verifier =
      new SigV4Verifier(k -> k.equals(AKID) ? Optional.of(SECRET) : Optional.empty());

  // ---------------------------------------------------------------- an independent signer

  /** A request as sent, with what it was signed from. */
  record Signed(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      boolean presigned,
      String payload,
      String canonical) {

    SigV4Request request() {
      return SigV4Request.of(method, path, query, headers);
    }

    Signed with(String method, String path, String query, Map<String, List<String>> headers) {
      return new Signed(method, path, query, headers, presigned, payload, canonical);
    }

    @Override
    public String toString() {
      StringBuilder b =
          new StringBuilder("\n  method: ")
              .append(Fuzz.literal(method))
              .append("\n  path: ")
              .append(Fuzz.literal(path))
              .append("\n  query: ")
              .append(Fuzz.literal(query));
      headers.forEach(
          (k, v) ->
              v.forEach(
                  x -> b.append("\n  header ").append(k).append(": ").append(Fuzz.literal(x))));
      return b.append("\n  canonical request signed: ").append(Fuzz.literal(canonical)).toString();
    }
  }

  /** One query parameter: decoded bytes, and how it is written on the wire. */
  private record Param(byte[] name, byte[] value, String wire) {}

  private static Signed signedRequest(Random r) {
    boolean presigned = r.nextInt(3) == 0;
    String method = Mutations.pick(r, List.of("GET", "PUT", "POST", "DELETE", "HEAD"));
    byte[] decodedPath =
        concat("/".getBytes(UTF_8), randomName(r, "bucket-1.x"), "/".getBytes(UTF_8), key(r));
    String path = wirePath(r, decodedPath);

    Instant time =
        presigned
            ? NOW.minusSeconds(r.nextInt(3600)).plusSeconds(r.nextInt(800))
            : NOW.plusSeconds(r.nextInt(1780) - 890);
    String timestamp = AMZ.format(time);
    String region = Mutations.pick(r, List.of("us-east-1", "eu-west-3", "fr-par", "x"));
    String scope = timestamp.substring(0, 8) + "/" + region + "/s3/aws4_request";

    Map<String, List<String>> headers = new LinkedHashMap<>();
    add(
        headers,
        r.nextBoolean() ? "Host" : "host",
        Mutations.pick(
            r, List.of("bucket.s3.example.com", "localhost:9000", "[::1]:8080", "s3.example.com")));
    String payload;
    if (presigned) {
      payload = "UNSIGNED-PAYLOAD";
    } else {
      add(headers, r.nextBoolean() ? "X-Amz-Date" : "x-amz-date", timestamp);
      payload = r.nextInt(3) == 0 ? Mutations.pick(r, PAYLOADS) : sha256Hex(randomBytes(r, 40));
      if (payload.length() == 64 && r.nextInt(4) == 0) {
        payload = payload.toUpperCase(Locale.ROOT); // accepted, and signed as sent
      }
      add(headers, "x-amz-content-sha256", payload);
    }
    int extra = r.nextInt(4);
    for (int i = 0; i < extra; i++) {
      String name =
          Mutations.pick(
              r,
              List.of(
                  "Content-Type",
                  "Range",
                  "X-Amz-Meta-A",
                  "x-amz-meta-b",
                  "Content-MD5",
                  "x-amz-acl",
                  "User-Agent"));
      add(headers, name, headerValue(r));
    }

    // Signed: host, every x-amz-* header (as S3 requires), and some of the others.
    TreeSet<String> signed = new TreeSet<>();
    for (String name : headers.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("host") || lower.startsWith("x-amz-") || r.nextBoolean()) {
        signed.add(lower);
      }
    }
    String signedHeaders = String.join(";", signed);

    List<Param> params = new ArrayList<>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      byte[] name = randomName(r, "abcdefgh-_.~0123456789é %+=&/");
      if (name.length == 0) {
        name = "n".getBytes(UTF_8);
      }
      boolean valueless = r.nextInt(4) == 0;
      byte[] value = valueless ? new byte[0] : queryValue(r);
      params.add(
          new Param(
              name,
              value,
              wireQuery(r, name)
                  + (valueless && r.nextBoolean() ? "" : "=" + wireQuery(r, value))));
    }
    if (presigned) {
      String credential = AKID + "/" + scope;
      String[][] auth = {
        {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
        {"X-Amz-Credential", credential},
        {"X-Amz-Date", timestamp},
        {
          "X-Amz-Expires",
          Long.toString(Math.max(1, NOW.getEpochSecond() - time.getEpochSecond()) + r.nextInt(3600))
        },
        {"X-Amz-SignedHeaders", signedHeaders}
      };
      for (String[] p : auth) {
        byte[] name = p[0].getBytes(UTF_8);
        byte[] value = p[1].getBytes(UTF_8);
        params.add(
            r.nextInt(params.size() + 1), new Param(name, value, p[0] + "=" + wireQuery(r, value)));
      }
    }

    String canonicalQuery = canonicalQuery(params);
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String name : signed) {
      List<String> values = new ArrayList<>();
      headers.forEach(
          (k, v) -> {
            if (k.equalsIgnoreCase(name)) {
              v.forEach(x -> values.add(trimAll(x)));
            }
          });
      canonicalHeaders.append(name).append(':').append(String.join(",", values)).append('\n');
    }
    String canonical =
        method
            + "\n"
            + encode(decodedPath, true)
            + "\n"
            + canonicalQuery
            + "\n"
            + canonicalHeaders
            + "\n"
            + signedHeaders
            + "\n"
            + payload;
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + timestamp
            + "\n"
            + scope
            + "\n"
            + sha256Hex(canonical.getBytes(UTF_8));
    byte[] key = hmac(("AWS4" + SECRET).getBytes(UTF_8), timestamp.substring(0, 8));
    key = hmac(hmac(hmac(key, region), "s3"), "aws4_request");
    String signature = HEX.formatHex(hmac(key, stringToSign));

    List<String> wire = new ArrayList<>();
    params.forEach(p -> wire.add(p.wire()));
    if (presigned) {
      wire.add(r.nextInt(wire.size() + 1), "X-Amz-Signature=" + signature);
    } else {
      String sp = r.nextBoolean() ? " " : "";
      String eq = r.nextInt(8) == 0 ? " = " : "=";
      add(
          headers,
          r.nextBoolean() ? "Authorization" : "authorization",
          "AWS4-HMAC-SHA256 "
              + (r.nextBoolean() ? " " : "")
              + "Credential"
              + eq
              + AKID
              + "/"
              + scope
              + ","
              + sp
              + "SignedHeaders"
              + eq
              + signedHeaders
              + ","
              + sp
              + "Signature"
              + eq
              + signature);
    }
    if (r.nextInt(6) == 0) {
      wire.add(r.nextInt(wire.size() + 1), ""); // an empty pair: "a=1&&b=2"
    }
    String query = wire.isEmpty() ? (r.nextInt(5) == 0 ? "" : null) : String.join("&", wire);
    return new Signed(method, path, query, headers, presigned, payload, canonical);
  }

  private static void add(Map<String, List<String>> headers, String name, String value) {
    for (String k : headers.keySet()) {
      if (k.equalsIgnoreCase(name)) {
        headers.get(k).add(value);
        return;
      }
    }
    headers.put(name, new ArrayList<>(List.of(value)));
  }

  /**
   * A key as a client would name it: text with any character, or (rarely) bytes that are not UTF-8.
   */
  private static byte[] key(Random r) {
    if (r.nextInt(8) == 0) {
      return randomBytes(r, 12);
    }
    return randomName(r, "abcXYZ019-_.~/ !*'()+,;=:@$&?#%[]\"<>\\^`{|}é€😀\u0001\u007f\t");
  }

  private static byte[] randomName(Random r, String alphabet) {
    StringBuilder b = new StringBuilder();
    int n = Mutations.length(r, 12);
    for (int i = 0; i < n; i++) {
      b.appendCodePoint(
          alphabet
              .codePoints()
              .skip(r.nextInt((int) alphabet.codePoints().count()))
              .findFirst()
              .orElseThrow());
    }
    return b.toString().getBytes(UTF_8);
  }

  private static byte[] queryValue(Random r) {
    return r.nextInt(6) == 0
        ? randomBytes(r, 10)
        : randomName(r, "abcXYZ019-_.~/ !*'()+,;=:@$&?#%é😀");
  }

  private static String headerValue(Random r) {
    String v = new String(randomName(r, "ab01 \t=;,/é"), UTF_8);
    return r.nextBoolean() ? "  " + v + " \t" : v;
  }

  private static byte[] randomBytes(Random r, int max) {
    byte[] b = new byte[Mutations.length(r, max)];
    r.nextBytes(b);
    return b;
  }

  /**
   * A path as clients send it: unreserved characters raw or escaped, escapes in either case, raw
   * UTF-8.
   */
  private static String wirePath(Random r, byte[] decoded) {
    String text = new String(decoded, UTF_8);
    boolean utf8 = java.util.Arrays.equals(text.getBytes(UTF_8), decoded);
    if (utf8 && r.nextInt(3) == 0) {
      // Raw characters where a path may hold them, the rest escaped.
      StringBuilder b = new StringBuilder();
      text.codePoints()
          .forEach(
              cp -> {
                if (cp >= 0x80 || (cp > 0x20 && cp < 0x7f && "%?#\"<>\\^`{|} ".indexOf(cp) < 0)) {
                  b.appendCodePoint(cp);
                } else {
                  for (byte x : new String(Character.toChars(cp)).getBytes(UTF_8)) {
                    b.append(escape(r, x));
                  }
                }
              });
      return b.toString();
    }
    StringBuilder b = new StringBuilder();
    for (byte x : decoded) {
      int c = x & 0xff;
      boolean mayBeRaw = c > 0x20 && c < 0x7f && "%?#\"<>\\^`{|} ".indexOf(c) < 0;
      b.append(
          mayBeRaw && (c == '/' || r.nextInt(4) > 0) ? String.valueOf((char) c) : escape(r, x));
    }
    return b.toString();
  }

  /** A query name or value as clients send it: '+' or %20 for a space, escapes in either case. */
  private static String wireQuery(Random r, byte[] decoded) {
    StringBuilder b = new StringBuilder();
    for (byte x : decoded) {
      int c = x & 0xff;
      if (c == ' ' && r.nextBoolean()) {
        b.append('+');
      } else if (UNRESERVED.indexOf(c) >= 0 && r.nextInt(4) > 0
          || (c == '/' || c == ':' || c == '@') && r.nextBoolean()) {
        b.append((char) c);
      } else {
        b.append(escape(r, x));
      }
    }
    return b.toString();
  }

  private static String escape(Random r, byte x) {
    String hex = String.format("%02X", x & 0xff);
    return "%" + (r.nextInt(4) == 0 ? hex.toLowerCase(Locale.ROOT) : hex);
  }

  /** The AWS encoding: every byte but A-Z a-z 0-9 - _ . ~ (and '/' in paths) as %XY. */
  private static String encode(byte[] bytes, boolean path) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      int c = x & 0xff;
      if (UNRESERVED.indexOf(c) >= 0 || (path && c == '/')) {
        b.append((char) c);
      } else {
        b.append(String.format("%%%02X", c));
      }
    }
    return b.toString();
  }

  private static String canonicalQuery(List<Param> params) {
    List<String[]> encoded = new ArrayList<>();
    for (Param p : params) {
      encoded.add(new String[] {encode(p.name(), false), encode(p.value(), false)});
    }
    encoded.sort(Comparator.<String[], String>comparing(e -> e[0]).thenComparing(e -> e[1]));
    List<String> pairs = new ArrayList<>();
    encoded.forEach(e -> pairs.add(e[0] + "=" + e[1]));
    return String.join("&", pairs);
  }

  private static String trimAll(String v) {
    return v.strip().replaceAll("[ \\t]+", " ");
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static String sha256Hex(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- round trips

  @Test
  void verify_requestsSignedTheAwsWayAndSentInAnyWireEncoding_authenticate() {
    Fuzz.of("sigv4-roundtrip", SigV4FuzzTest::signedRequest)
        .tries(5000)
        .seed(1)
        .check(
            s -> {
              Authentication auth = verifier.verify(s.request(), NOW);
              assertThat(auth.accessKey()).isEqualTo(AKID);
              assertThat(auth.scheme()).isEqualTo(s.presigned() ? Scheme.PRESIGNED : Scheme.HEADER);
              assertThat(
                      auth.payloadMode().headerValue() == null
                          ? auth.payloadSha256()
                          : auth.payloadMode().headerValue())
                  .isEqualToIgnoringCase(s.payload());
              return s.presigned() ? "presigned" : "header";
            });
  }

  /** A signed request with one signed character changed, and what was changed. */
  private record Mutated(Signed request, String change) {
    @Override
    public String toString() {
      return change + " in:" + request;
    }
  }

  private static Mutated oneSignedCharacterChanged(Random r) {
    Signed s = signedRequest(r);
    while (true) {
      switch (r.nextInt(6)) {
        case 0 -> {
          int i = r.nextInt(s.method().length());
          String m =
              s.method().substring(0, i)
                  + other(r, s.method().charAt(i), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                  + s.method().substring(i + 1);
          return new Mutated(
              s.with(m, s.path(), s.query(), s.headers()), "method " + s.method() + " -> " + m);
        }
        case 1 -> {
          String p = changeAlnum(r, s.path(), 0);
          if (p != null) {
            return new Mutated(
                s.with(s.method(), p, s.query(), s.headers()), "path -> " + Fuzz.literal(p));
          }
        }
        case 2 -> {
          // Outside the authentication parameters, which have their own errors.
          String q =
              s.query() == null
                  ? null
                  : changeAlnum(r, s.query(), s.presigned() ? authParamsEnd(s.query()) : 0);
          if (q != null && !q.equals(s.query())) {
            return new Mutated(
                s.with(s.method(), s.path(), q, s.headers()), "query -> " + Fuzz.literal(q));
          }
        }
        case 3 -> {
          List<String> names = new ArrayList<>();
          for (String name : s.headers().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            // x-amz-date and the payload keywords have errors of their own; unsigned headers change
            // nothing.
            boolean ownErrors =
                lower.equals("x-amz-date")
                    || lower.equals("authorization")
                    || lower.equals("x-amz-content-sha256") && s.payload().length() != 64;
            if (!ownErrors && s.canonical().contains("\n" + lower + ":")) {
              names.add(name);
            }
          }
          if (!names.isEmpty()) {
            String name = Mutations.pick(r, names);
            List<String> values = new ArrayList<>(s.headers().get(name));
            int k = r.nextInt(values.size());
            String v =
                name.equalsIgnoreCase("x-amz-content-sha256")
                    ? changeHex(r, values.get(k))
                    : changeAlnum(r, values.get(k), 0);
            if (v != null) {
              values.set(k, v);
              Map<String, List<String>> headers = new LinkedHashMap<>(s.headers());
              headers.put(name, values);
              return new Mutated(
                  s.with(s.method(), s.path(), s.query(), headers),
                  "header " + name + " -> " + Fuzz.literal(v));
            }
          }
        }
        case 4 -> {
          if (s.presigned()) {
            int at = s.query().indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
            String sig = s.query().substring(at, at + 64);
            String q =
                s.query().substring(0, at) + changeHex(r, sig) + s.query().substring(at + 64);
            return new Mutated(
                s.with(s.method(), s.path(), q, s.headers()), "X-Amz-Signature changed");
          }
          Map<String, List<String>> headers = new LinkedHashMap<>(s.headers());
          String name = headers.containsKey("Authorization") ? "Authorization" : "authorization";
          String a = headers.get(name).get(0);
          int at = a.length() - 64;
          headers.put(name, List.of(a.substring(0, at) + changeHex(r, a.substring(at))));
          return new Mutated(s.with(s.method(), s.path(), s.query(), headers), "Signature changed");
        }
        default -> {
          // A header the client did not sign, for a name it did: same canonical request... unless
          // signed.
          if (!s.presigned()) {
            Map<String, List<String>> headers = new LinkedHashMap<>(s.headers());
            String value = "v" + r.nextInt(100);
            if (s.canonical().contains("\nrange:")) {
              add(headers, "Range", value);
              return new Mutated(
                  s.with(s.method(), s.path(), s.query(), headers),
                  "Range header given a second value");
            }
          }
        }
      }
    }
  }

  /** Where the presigned parameters end: changes stay after them. */
  private static int authParamsEnd(String query) {
    int end = 0;
    for (String name :
        List.of(
            "X-Amz-Algorithm=",
            "X-Amz-Credential=",
            "X-Amz-Date=",
            "X-Amz-Expires=",
            "X-Amz-SignedHeaders=",
            "X-Amz-Signature=")) {
      int at = query.indexOf(name);
      int amp = query.indexOf('&', at);
      end = Math.max(end, amp < 0 ? query.length() : amp);
    }
    return end;
  }

  private static char other(Random r, char c, String alphabet) {
    char d;
    do {
      d = alphabet.charAt(r.nextInt(alphabet.length()));
    } while (d == c);
    return d;
  }

  /**
   * {@code s} with one letter or digit (not inside a %XY escape, at or after {@code from}) changed;
   * null if none.
   */
  private static String changeAlnum(Random r, String s, int from) {
    List<Integer> positions = new ArrayList<>();
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) == '%') {
        i += 2;
      } else if (ALNUM.indexOf(s.charAt(i)) >= 0) {
        positions.add(i);
      }
    }
    if (positions.isEmpty()) {
      return null;
    }
    int i = Mutations.pick(r, positions);
    return s.substring(0, i) + other(r, s.charAt(i), ALNUM) + s.substring(i + 1);
  }

  private static String changeHex(Random r, String hex) {
    int i = r.nextInt(hex.length());
    String digits = Character.isUpperCase(hex.charAt(i)) ? "0123456789ABCDEF" : "0123456789abcdef";
    return hex.substring(0, i) + other(r, hex.charAt(i), digits) + hex.substring(i + 1);
  }

  @Test
  void verify_oneSignedCharacterChanged_isSignatureDoesNotMatch() {
    Fuzz.of("sigv4-tamper", SigV4FuzzTest::oneSignedCharacterChanged)
        .tries(5000)
        .seed(2)
        .check(
            m -> {
              try {
                verifier.verify(m.request().request(), NOW);
              } catch (S3Exception e) {
                assertThat(e.error())
                    .as(e.getMessage())
                    .isEqualTo(S3Error.SIGNATURE_DOES_NOT_MATCH);
                return m.change().substring(0, m.change().indexOf(' '));
              }
              throw new AssertionError("the changed request was authenticated");
            });
  }

  // ---------------------------------------------------------------- hostile authentication

  private static final List<String> AUTH_WORDS =
      List.of(
          "AWS4-HMAC-SHA256",
          "AWS4-HMAC-SHA256 ",
          "AWS ",
          "AWS4-ECDSA-P256-SHA256",
          " ",
          ",",
          "=",
          "/",
          ";",
          "Credential=",
          "SignedHeaders=",
          "Signature=",
          "aws4_request",
          "s3",
          "host",
          "x-amz-date",
          "%",
          "%2F",
          "%2",
          "%%",
          "&",
          "X-Amz-Algorithm=",
          "X-Amz-Credential=",
          "X-Amz-Signature=",
          "X-Amz-Expires=",
          "X-Amz-Date=",
          "X-Amz-SignedHeaders=",
          "X-Amz-Content-Sha256=",
          "AWSAccessKeyId=",
          "Signature=",
          "20261205",
          "20261305",
          "20260229",
          "T120000Z",
          "T250000Z",
          "UNSIGNED-PAYLOAD",
          "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
          "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
          "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
          "é",
          "\ud800",
          "\u0000",
          "+",
          "Thu, 05 Dec 2026 12:00:00 GMT",
          "Fri, 31 Feb 2026 12:00:00 GMT",
          "x-amz-",
          "X-Amz-Meta-",
          "\u0663",
          "\uff10",
          "\uff21",
          "\u09e6");

  /** Digits and letters that Java's Character.digit takes for hex, but that are not ASCII. */
  private static final String UNICODE_DIGITS =
      "\u0660\u0663\u06f9\u09e6\u0e51\uff10\uff19\uff21\uff46";

  /**
   * {@code hex} with some of its characters replaced by non-ASCII digits of the same value class.
   */
  private static String unicodeDigits(Random r, String hex) {
    char[] c = hex.toCharArray();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      c[r.nextInt(c.length)] = UNICODE_DIGITS.charAt(r.nextInt(UNICODE_DIGITS.length()));
    }
    return new String(c);
  }

  /** A signed request, or an unsigned one, with damage to its authentication or headers. */
  private static Signed hostile(Random r) {
    Signed s = signedRequest(r);
    String method = s.method();
    String path = s.path();
    String query = s.query();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    s.headers().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits; e++) {
      switch (r.nextInt(10)) {
        case 0, 1, 2 -> {
          // a header value, most often Authorization's
          List<String> names = new ArrayList<>(headers.keySet());
          if (names.isEmpty()) {
            break;
          }
          String name =
              names.stream()
                  .filter(n -> n.equalsIgnoreCase("authorization"))
                  .findFirst()
                  .filter(n -> r.nextBoolean())
                  .orElse(Mutations.pick(r, names));
          List<String> values = headers.get(name);
          int k = r.nextInt(values.size());
          values.set(k, Mutations.mutate(r, values.get(k), 600, AUTH_WORDS));
        }
        case 3 ->
            query =
                query == null
                    ? Mutations.mutate(r, "", 300, AUTH_WORDS)
                    : Mutations.mutate(r, query, 2000, AUTH_WORDS);
        case 4 -> path = "/" + Mutations.mutate(r, path.substring(1), 300, AUTH_WORDS);
        case 5 -> {
          // another header, or another value of one
          String name =
              Mutations.pick(
                  r,
                  List.of(
                      "Authorization",
                      "x-amz-date",
                      "Date",
                      "x-amz-content-sha256",
                      "X-Amz-Meta-X",
                      "x-amz-security-token",
                      "Host",
                      "x-amz-trailer",
                      "content-length",
                      "x-amz-decoded-content-length",
                      "x-amz-checksum-crc32",
                      "x-amz-sdk-checksum-algorithm"));
          add(headers, name, Mutations.mutate(r, Mutations.pick(r, AUTH_WORDS), 100, AUTH_WORDS));
        }
        case 6 -> {
          if (!headers.isEmpty()) {
            headers.remove(Mutations.pick(r, new ArrayList<>(headers.keySet())));
          }
        }
        case 7 ->
            method = Mutations.pick(r, List.of("GET", "POST", "", "get", "PATCH", "G\u00e9T"));
        case 8 -> {
          // both mechanisms, or the V2 ones
          String extra =
              Mutations.pick(
                  r,
                  List.of(
                      "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                      "AWSAccessKeyId=" + AKID + "&Signature=abc",
                      "X-Amz-Signature=00",
                      "X-Amz-Credential=" + AKID + "%2F20261205"));
          query = query == null || query.isEmpty() ? extra : query + "&" + extra;
        }
        default -> {
          // a presigned parameter's value replaced by an edge value
          if (query != null && query.contains("X-Amz-")) {
            String name =
                Mutations.pick(
                    r,
                    List.of(
                        "X-Amz-Expires=",
                        "X-Amz-Date=",
                        "X-Amz-Credential=",
                        "X-Amz-SignedHeaders=",
                        "X-Amz-Algorithm="));
            int at = query.indexOf(name);
            if (at >= 0) {
              int end = query.indexOf('&', at);
              end = end < 0 ? query.length() : end;
              query =
                  query.substring(0, at + name.length())
                      + (r.nextBoolean()
                          ? Mutations.interestingNumber(r)
                          : Mutations.mutate(
                              r, query.substring(at + name.length(), end), 200, AUTH_WORDS))
                      + query.substring(end);
            }
          }
        }
      }
    }
    return new Signed(method, path, query, headers, s.presigned(), s.payload(), s.canonical());
  }

  /** What the S3 edge does with a request: verify it, then decode its body. */
  private String authenticateAndRead(SigV4Request request, byte[] body) throws IOException {
    try {
      Authentication auth = verifier.verify(request, NOW);
      try (InputStream in = PayloadDecoder.decode(auth, request, new ByteArrayInputStream(body))) {
        in.readNBytes(1 << 20);
      }
      return auth.isAnonymous() ? "anonymous" : "authenticated";
    } catch (S3Exception e) {
      assertClientError(e);
      return e.error().code();
    }
  }

  static void assertClientError(S3Exception e) {
    assertThat(e.error().status())
        .as("%s %s: a 4xx", e.error(), e.getMessage())
        .isBetween(400, 499);
    assertThat(e.getMessage()).as("message").isNotNull();
  }

  @Test
  void verify_damagedAuthentication_authenticatesOrThrowsAClientError() {
    Fuzz.Outcomes o =
        Fuzz.of("sigv4-hostile", SigV4FuzzTest::hostile)
            .tries(8000)
            .seed(3)
            .check(s -> authenticateAndRead(s.request(), new byte[0]));
    // The damage reaches past the first checks: several distinct errors, and some requests still
    // pass.
    assertThat(o.counts().keySet())
        .as("outcomes")
        .hasSizeGreaterThanOrEqualTo(Math.min(8, o.tries() / 100));
  }

  // ---------------------------------------------------------------- hostile payload headers

  private record Anonymous(SigV4Request request, byte[] body) {
    @Override
    public String toString() {
      StringBuilder b =
          new StringBuilder("\n  ")
              .append(request.method())
              .append(' ')
              .append(Fuzz.literal(request.rawPath()))
              .append(" query ")
              .append(Fuzz.literal(request.rawQuery()));
      for (String name : request.headerNames()) {
        request
            .headers(name)
            .forEach(
                v -> b.append("\n  header ").append(name).append(": ").append(Fuzz.literal(v)));
      }
      return b.append("\n  body: ").append(Fuzz.literal(body)).toString();
    }
  }

  private static final List<String> PAYLOAD_WORDS =
      List.of(
          "crc32",
          "crc32c",
          "crc64nvme",
          "sha1",
          "sha256",
          "CRC32",
          "md5",
          "x-amz-checksum-crc32",
          "x-amz-checksum-sha256",
          "x-amz-checksum-crc32,x-amz-checksum-crc32c",
          "AAAAAA==",
          "AAAAAAAAAAA=",
          "====",
          "aws-chunked",
          "0\r\n\r\n",
          ";chunk-signature=",
          "\r\n",
          ":");

  private static Anonymous payloadHeaders(Random r) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("b.example.com"));
    if (r.nextInt(4) > 0) {
      headers.put(
          "x-amz-content-sha256",
          List.of(
              switch (r.nextInt(4)) {
                case 0 -> sha256Hex(new byte[0]);
                case 1 -> unicodeDigits(r, sha256Hex(new byte[0]));
                default -> Mutations.pick(r, PAYLOADS);
              }));
    }
    String[] names = {
      "x-amz-trailer",
      "x-amz-checksum-crc32",
      "x-amz-checksum-crc32c",
      "x-amz-checksum-crc64nvme",
      "x-amz-checksum-sha1",
      "x-amz-checksum-sha256",
      "x-amz-checksum-md5",
      "x-amz-checksum-",
      "content-length",
      "x-amz-decoded-content-length",
      "x-amz-sdk-checksum-algorithm",
      "x-amz-checksum-algorithm",
      "content-encoding"
    };
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      String name = names[r.nextInt(names.length)];
      String value =
          switch (r.nextInt(4)) {
            case 0 -> Mutations.interestingNumber(r);
            case 1 -> Mutations.pick(r, PAYLOAD_WORDS);
            case 2 -> Mutations.mutate(r, Mutations.pick(r, PAYLOAD_WORDS), 40, PAYLOAD_WORDS);
            default -> validChecksum(r);
          };
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    byte[] body =
        r.nextBoolean()
            ? Mutations.randomBytes(r, 300)
            : Mutations.mutate(
                r,
                "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n".getBytes(UTF_8),
                400,
                PAYLOAD_WORDS);
    String query = r.nextInt(4) == 0 ? "uploadId=x" : null;
    return new Anonymous(
        SigV4Request.of(r.nextBoolean() ? "PUT" : "POST", "/b/k", query, headers), body);
  }

  /** A well-formed checksum value, to get past the format checks. */
  private static String validChecksum(Random r) {
    ChecksumAlgorithm a = ChecksumAlgorithm.values()[r.nextInt(ChecksumAlgorithm.values().length)];
    return a.checksum(r.nextBoolean() ? "hello".getBytes(UTF_8) : new byte[0]);
  }

  @Test
  void decode_hostilePayloadHeadersAndBodies_readOrThrowAClientError() {
    Fuzz.Outcomes o =
        Fuzz.of("payload-headers", SigV4FuzzTest::payloadHeaders)
            .tries(8000)
            .seed(4)
            .check(a -> authenticateAndRead(a.request(), a.body()));
    assertThat(o.count("anonymous"))
        .as("bodies read to their end")
        .isGreaterThanOrEqualTo(o.tries() / 50);
  }
}
