package fr.coffre.service.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP calls an OIDC relying party makes to its provider: GET (discovery, keys, userinfo) and a
 * form POST (the token endpoint). An interface so that verification is tested in the JVM; {@link
 * #jdk} is the real one (java.net.http, short timeouts, bounded answers).
 */
public interface OidcHttp {
  /** At most this many bytes of a provider's answer are read. */
  int MAX_BODY = 256 * 1024;

  /** A provider's answer. */
  record Answer(int status, String contentType, String body) {
    /** The media type without its parameters, lower case. */
    public String mediaType() {
      int semi = contentType.indexOf(';');
      return (semi < 0 ? contentType : contentType.substring(0, semi))
          .strip()
          .toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A GET, with a bearer token when it is set.
   *
   * @throws IOException when the provider cannot be reached
   */
  Answer get(URI uri, @Nullable String bearer) throws IOException;

  /**
   * A POST of an application/x-www-form-urlencoded body, with HTTP Basic client authentication when
   * {@code clientId} and {@code clientSecret} are set.
   */
  Answer postForm(
      URI uri, Map<String, String> form, @Nullable String clientId, @Nullable String clientSecret)
      throws IOException;

  /** The real client: java.net.http, redirects never followed, 10 s timeouts. */
  static OidcHttp jdk() {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new OidcHttp() {
      @Override
      public Answer get(URI uri, @Nullable String bearer) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        b.header("Accept", "application/json, application/jwt");
        if (bearer != null) {
          b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
      }

      @Override
      public Answer postForm(
          URI uri,
          Map<String, String> form,
          @Nullable String clientId,
          @Nullable String clientSecret)
          throws IOException {
        String body =
            form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b =
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (clientId != null && clientSecret != null) {
          // RFC 6749 section 2.3.1: both parts form-encoded before Base64.
          String pair = encode(clientId) + ":" + encode(clientSecret);
          b.header(
              "Authorization",
              "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return send(b.build());
      }

      private Answer send(HttpRequest request) throws IOException {
        HttpResponse<java.io.InputStream> r;
        try {
          r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while calling " + request.uri(), e);
        }
        byte[] bytes;
        try (java.io.InputStream in = r.body()) {
          bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
          throw new IOException(request.uri() + " answered more than " + MAX_BODY + " bytes");
        }
        return new Answer(
            r.statusCode(),
            r.headers().firstValue("Content-Type").orElse(""),
            new String(bytes, StandardCharsets.UTF_8));
      }
    };
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
