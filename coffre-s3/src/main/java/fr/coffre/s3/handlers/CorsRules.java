package fr.coffre.s3.handlers;

import fr.coffre.core.BucketName;
import fr.coffre.s3.CorsResponder;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.ConfigDocuments.CorsRule;
import fr.coffre.s3.xml.S3Xml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bucket's CORS rules and how S3 applies them: the first rule whose origin pattern, method and
 * (for a preflight) every requested header match decides the answer. Patterns hold at most one
 * {@code *} wildcard. Also the {@link CorsResponder} of actual cross-origin requests.
 */
public final class CorsRules implements CorsResponder {
  static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE");
  static final int MAX_RULES = 100;

  private final ApiContext ctx;

  public CorsRules(ApiContext ctx) {
    this.ctx = ctx;
  }

  /** The bucket's stored rules, empty when it has no CORS configuration. */
  Optional<List<CorsRule>> rules(BucketName bucket) {
    return ctx.buckets()
        .setting(bucket, BucketSettings.CORS)
        .map(
            xml -> {
              var doc =
                  S3Xml.read(
                      new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                      ConfigDocuments.CorsConfiguration.class);
              return doc.rules() == null ? List.<CorsRule>of() : doc.rules();
            });
  }

  /** Checks a configuration a client puts; InvalidRequest or MalformedXML when it is not valid. */
  static void validate(ConfigDocuments.CorsConfiguration config) {
    if (config.rules() == null || config.rules().isEmpty() || config.rules().size() > MAX_RULES) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    }
    for (CorsRule r : config.rules()) {
      if (r.allowedMethods() == null
          || r.allowedMethods().isEmpty()
          || r.allowedOrigins() == null
          || r.allowedOrigins().isEmpty()) {
        throw new S3Exception(S3Error.MALFORMED_XML);
      }
      for (String m : r.allowedMethods()) {
        if (!METHODS.contains(m)) {
          throw new S3Exception(
              S3Error.INVALID_REQUEST,
              "Found unsupported HTTP method in CORS config. Unsupported method is " + m);
        }
      }
      for (String o : r.allowedOrigins()) {
        if (wildcards(o) > 1) {
          throw new S3Exception(
              S3Error.INVALID_REQUEST,
              "AllowedOrigin \"" + o + "\" can not have more than one wildcard.");
        }
      }
      if (r.allowedHeaders() != null) {
        for (String h : r.allowedHeaders()) {
          if (wildcards(h) > 1) {
            throw new S3Exception(
                S3Error.INVALID_REQUEST,
                "AllowedHeader \"" + h + "\" can not have more than one wildcard.");
          }
        }
      }
    }
  }

  /** The first rule allowing this origin, method and request headers. */
  static Optional<CorsRule> match(
      List<CorsRule> rules, String origin, String method, List<String> headers) {
    for (CorsRule r : rules) {
      if (r.allowedOrigins().stream().anyMatch(p -> matches(p, origin, false))
          && r.allowedMethods().contains(method)
          && headers.stream()
              .allMatch(
                  h ->
                      r.allowedHeaders() != null
                          && r.allowedHeaders().stream().anyMatch(p -> matches(p, h, true)))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The Access-Control-* headers that grant a request matched by {@code rule}. */
  static Map<String, String> grant(CorsRule rule, String origin, List<String> requestedHeaders) {
    Map<String, String> h = new LinkedHashMap<>();
    boolean any = rule.allowedOrigins().contains("*");
    h.put("Access-Control-Allow-Origin", any ? "*" : origin);
    h.put("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
    if (!requestedHeaders.isEmpty()) {
      h.put("Access-Control-Allow-Headers", String.join(", ", requestedHeaders));
    }
    if (rule.exposeHeaders() != null && !rule.exposeHeaders().isEmpty()) {
      h.put("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
    }
    if (rule.maxAgeSeconds() != null) {
      h.put("Access-Control-Max-Age", rule.maxAgeSeconds().toString());
    }
    if (!any) {
      h.put("Access-Control-Allow-Credentials", "true");
    }
    h.put("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
    return h;
  }

  @Override
  public Map<String, String> responseHeaders(S3Request request) {
    String origin = request.header("origin");
    Optional<List<CorsRule>> rules = rules(Requests.bucket(request));
    if (origin == null || rules.isEmpty()) {
      return Map.of();
    }
    return match(rules.get(), origin, request.method(), List.of())
        .map(r -> grant(r, origin, List.of()))
        .orElse(Map.of());
  }

  /** The headers a preflight asks for, lower-cased, from Access-Control-Request-Headers. */
  static List<String> requestedHeaders(S3Request request) {
    List<String> out = new ArrayList<>();
    String value = request.header("access-control-request-headers");
    if (value != null) {
      for (String h : value.split(",")) {
        if (!h.isBlank()) {
          out.add(h.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  private static int wildcards(String pattern) {
    return (int) pattern.chars().filter(c -> c == '*').count();
  }

  /** Whether {@code value} matches {@code pattern}, which holds at most one {@code *}. */
  static boolean matches(String pattern, String value, boolean ignoreCase) {
    String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    int star = p.indexOf('*');
    if (star < 0) {
      return p.equals(v);
    }
    String head = p.substring(0, star);
    String tail = p.substring(star + 1);
    return v.length() >= head.length() + tail.length() && v.startsWith(head) && v.endsWith(tail);
  }
}
