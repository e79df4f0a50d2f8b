package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A web page served from another origin uploads to Coffre with fetch() in a real browser (headless
 * Chromium): allowed by the bucket's CORS rules, the browser's preflight passes and the page reads
 * the response; without rules the browser blocks it and nothing is stored.
 */
class BrowserCorsIT {
  private static ServerProcess server;
  private static S3Client s3;
  private static S3Presigner presigner;
  private static HttpServer pages;
  private static volatile String page = "";
  @TempDir static Path profile;

  private static String chromium() {
    for (String c :
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(chromium() != null, "no Chromium installed");
    server = ServerProcess.start();
    s3 = S3Clients.modern(server.endpoint());
    presigner = S3Clients.presigner(server.endpoint());
    pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pages.createContext(
        "/",
        exchange -> {
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    pages.start();
  }

  @AfterAll
  static void stop() {
    if (pages != null) {
      pages.stop(0);
      presigner.close();
      s3.close();
      server.close();
    }
  }

  private static String origin() {
    return "http://127.0.0.1:" + pages.getAddress().getPort();
  }

  /** Loads a page that PUTs then GETs through presigned URLs, and returns what it reported. */
  private String runPage(String bucket, String key) throws Exception {
    String put =
        presigner
            .presignPutObject(
                p ->
                    p.signatureDuration(Duration.ofMinutes(5))
                        .putObjectRequest(r -> r.bucket(bucket).key(key)))
            .url()
            .toString();
    String get =
        presigner
            .presignGetObject(
                p ->
                    p.signatureDuration(Duration.ofMinutes(5))
                        .getObjectRequest(r -> r.bucket(bucket).key(key)))
            .url()
            .toString();
    page =
        """
        <!doctype html><html><head><title>upload</title></head><body>waiting<script>
        (async () => {
          try {
            const put = await fetch('%s', {method: 'PUT', body: 'written by a web page'});
            const etag = put.headers.get('ETag');
            const got = await fetch('%s');
            document.body.textContent = 'RESULT|' + put.status + '|' + etag + '|' + (await got.text());
          } catch (e) {
            document.body.textContent = 'RESULT|ERROR|' + e;
          }
        })();
        </script></body></html>"""
            .formatted(put, get);
    Process p =
        new ProcessBuilder(
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.resolve(bucket),
                "--virtual-time-budget=20000",
                "--dump-dom",
                origin() + "/")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    int at = dom.indexOf("RESULT|");
    assertThat(at).as("page output: %s", dom).isGreaterThanOrEqualTo(0);
    return dom.substring(at, dom.indexOf('<', at) < 0 ? dom.length() : dom.indexOf('<', at))
        .strip();
  }

  @Test
  void fetchFromAnotherOrigin_allowedByCors_uploadsAndReadsBack() throws Exception {
    s3.createBucket(b -> b.bucket("webapp"));
    CORSRule rule =
        CORSRule.builder()
            .allowedOrigins(origin())
            .allowedMethods("PUT", "GET")
            .allowedHeaders("*")
            .exposeHeaders("ETag")
            .maxAgeSeconds(60)
            .build();
    s3.putBucketCors(b -> b.bucket("webapp").corsConfiguration(c -> c.corsRules(rule)));

    String result = runPage("webapp", "from-browser.txt");

    String etag = s3.headObject(b -> b.bucket("webapp").key("from-browser.txt")).eTag();
    assertThat(result).isEqualTo("RESULT|200|" + etag + "|written by a web page");
  }

  @Test
  void fetchFromAnotherOrigin_withoutCors_isBlockedAndStoresNothing() throws Exception {
    s3.createBucket(b -> b.bucket("closed"));

    String result = runPage("closed", "blocked.txt");

    assertThat(result).startsWith("RESULT|ERROR|");
    try {
      s3.headObject(b -> b.bucket("closed").key("blocked.txt"));
      throw new AssertionError("the blocked upload was stored");
    } catch (S3Exception e) {
      assertThat(e.statusCode()).isEqualTo(404);
    }
  }
}
