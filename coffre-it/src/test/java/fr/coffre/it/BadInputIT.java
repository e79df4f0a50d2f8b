package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests on the wire, sent with curl (signed with its own SigV4 implementation): each
 * gets its S3 error as an XML document, never a 500, never a stack trace, and stores nothing.
 */
class BadInputIT {
  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    assertThat(curl("-X", "PUT", "/bad")).startsWith("HTTP/1.1 200");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * A signed request; curl 7.88 cannot sign value-less query parameters, so tests write {@code x=}.
   */
  private static String curl(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "curl",
                "-s",
                "-i",
                "--aws-sigv4",
                "aws:amz:us-east-1:s3",
                "--user",
                ServerProcess.ACCESS_KEY + ":" + ServerProcess.SECRET_KEY,
                "-H",
                "x-amz-content-sha256: UNSIGNED-PAYLOAD"));
    for (String a : args) {
      cmd.add(a.startsWith("/") ? server.endpoint() + a : a);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  private static void assertS3Error(String response, int status, String code) {
    assertThat(response)
        .startsWith("HTTP/1.1 " + status)
        .containsIgnoringCase("Content-Type: application/xml")
        .contains("<Code>" + code + "</Code>")
        .contains("<RequestId>")
        .doesNotContain("Exception")
        .doesNotContain("at fr.coffre")
        .doesNotContain("at java.");
  }

  @Test
  void controlCharactersInKeys_areStored_andListingsEscapeThem() throws Exception {
    // Found by the hostile-client probe: once a key held U+0001, listing the bucket failed for
    // everyone (500).
    assertThat(curl("-X", "PUT", "/bad/a%01b", "--data-binary", "ctrl")).startsWith("HTTP/1.1 200");
    String list = curl("/bad?prefix=a");
    assertThat(list).startsWith("HTTP/1.1 200").contains("<Key>a&#x1;b</Key>");
    assertThat(curl("/bad/a%01b")).endsWith("ctrl");
    // An anonymous request for such a key: an S3 XML error, not the HTTP server's HTML page.
    Process p =
        new ProcessBuilder("curl", "-s", "-i", server.endpoint() + "/any/x%01")
            .redirectErrorStream(true)
            .start();
    String anonymous = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    assertThat(anonymous)
        .startsWith("HTTP/1.1 403")
        .containsIgnoringCase("Content-Type: application/xml")
        .doesNotContain("IllegalStateException", "<html");
  }

  @Test
  void malformedXml_isMalformedXml() throws Exception {
    assertS3Error(
        curl(
            "-X",
            "POST",
            "/bad?delete=",
            "-H",
            "Content-Type: application/xml",
            "--data-binary",
            "<Delete><Object><Key>k</Key></Object"),
        400,
        "MalformedXML");
    assertS3Error(
        curl("-X", "PUT", "/bad/k?tagging=", "--data-binary", "not xml at all"),
        400,
        "MalformedXML");
  }

  @Test
  void bodyOfUnknownLength_isRefusedAndNotStored() throws Exception {
    // No Content-Length, no chunked transfer encoding: the server cannot know where the body ends.
    assertS3Error(
        curl("-X", "PUT", "/bad/nolength", "-H", "Content-Length:"), 411, "MissingContentLength");
    assertThat(curl("-I", "/bad/nolength")).startsWith("HTTP/1.1 404");
    // HTTP chunked transfer encoding does say it (accepted as RGW and s3-tests do; bounded at 5
    // GiB).
    assertThat(
            curl(
                "-X",
                "PUT",
                "/bad/chunked",
                "-H",
                "Transfer-Encoding: chunked",
                "--data-binary",
                "hello"))
        .startsWith("HTTP/1.1 200");
    assertThat(curl("/bad/chunked")).endsWith("hello");
  }

  @Test
  void wrongContentMd5_isBadDigestAndNotStored() throws Exception {
    assertS3Error(
        curl(
            "-X",
            "PUT",
            "/bad/md5",
            "-H",
            "Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==",
            "--data-binary",
            "not empty"),
        400,
        "BadDigest");
    assertS3Error(
        curl("-X", "PUT", "/bad/md5", "-H", "Content-MD5: nonsense", "--data-binary", "x"),
        400,
        "InvalidDigest");
    assertThat(curl("-I", "/bad/md5")).startsWith("HTTP/1.1 404");
  }

  @Test
  void unimplementedFeature_isNotImplementedWithXml() throws Exception {
    assertS3Error(curl("/bad?replication="), 501, "NotImplemented");
    assertS3Error(
        curl(
            "-X",
            "PUT",
            "/bad?versioning=",
            "--data-binary",
            "<VersioningConfiguration><Status>Enabled</Status>"
                + "<MfaDelete>Enabled</MfaDelete></VersioningConfiguration>"),
        501,
        "NotImplemented");
  }

  @Test
  void invalidTagSets_areInvalidTagAndChangeNothing() throws Exception {
    assertThat(curl("-X", "PUT", "/bad/tagged", "-H", "x-amz-tagging: a=1", "--data-binary", "x"))
        .startsWith("HTTP/1.1 200");
    assertS3Error(
        curl(
            "-X",
            "PUT",
            "/bad/tagged?tagging=",
            "--data-binary",
            "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>"),
        400,
        "InvalidTag");
    assertS3Error(
        curl(
            "-X", "PUT", "/bad/other", "-H", "x-amz-tagging: aws:reserved=1", "--data-binary", "x"),
        400,
        "InvalidTag");
    assertThat(curl("/bad/tagged?tagging=")).contains("<Key>a</Key><Value>1</Value>");
    assertThat(curl("-I", "/bad/other")).startsWith("HTTP/1.1 404");
  }

  @Test
  void partNumberBeyondTheObject_isInvalidPart() throws Exception {
    assertThat(curl("-X", "PUT", "/bad/one", "--data-binary", "x")).startsWith("HTTP/1.1 200");
    assertS3Error(curl("/bad/one?partNumber=2"), 400, "InvalidPart");
    assertS3Error(curl("/bad/one?partNumber=zero"), 400, "InvalidArgument");
  }

  @Test
  void forgedAuthorization_isRefusedWithoutDetail() throws Exception {
    Process p =
        new ProcessBuilder(
                "curl",
                "-s",
                "-i",
                server.endpoint() + "/bad/k",
                "-H",
                "Authorization: AWS4-HMAC-SHA256 Credential=nope, SignedHeaders=host, Signature=zz")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    assertThat(out).doesNotContain("Exception").doesNotContain("at fr.coffre");
    assertThat(out).matches("(?s)HTTP/1.1 (400|403).*<Code>[A-Za-z]+</Code>.*");
  }
}
