package fr.coffre.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A browser's view of the tenant console's API, without the browser: a session cookie kept from
 * sign-in and the CSRF token sent back on changes, as the console's page does.
 */
final class ConsoleClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();
  String cookie;
  String csrf;
  String setCookieHeader;

  ConsoleClient(URI base) {
    this.base = base;
  }

  record Reply(int status, String body, HttpResponse<String> raw) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /** Signs in; returns the answer (the session is kept when it succeeds). */
  Reply signIn(String accessKey, String secret) throws IOException, InterruptedException {
    Reply r =
        send(
            "POST",
            "/api/session",
            JSON.createObjectNode().put("accessKey", accessKey).put("secretKey", secret).toString(),
            "application/json",
            false,
            null);
    if (r.status() == 200) {
      setCookieHeader = r.raw().headers().firstValue("set-cookie").orElseThrow();
      cookie = setCookieHeader.substring(0, setCookieHeader.indexOf(';'));
      csrf = r.json().get("csrf").asText();
    }
    return r;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send("GET", path, null, null, false, null);
  }

  /** A change with the session's CSRF token, as the page sends it. */
  Reply change(String method, String path, String json) throws IOException, InterruptedException {
    return send(method, path, json, json == null ? null : "application/json", true, null);
  }

  Reply send(
      String method, String path, String body, String contentType, boolean withCsrf, String origin)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (withCsrf && csrf != null) {
      b.header("X-Coffre-CSRF", csrf);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body(), r);
  }

  /** A recipient's download through a share link: a form POST, as the share page submits it. */
  Reply download(String shareUrl, String password) throws IOException, InterruptedException {
    String form =
        password == null
            ? ""
            : "password="
                + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(shareUrl + "/download"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body(), r);
  }

  @Override
  public void close() {
    http.close();
  }
}
