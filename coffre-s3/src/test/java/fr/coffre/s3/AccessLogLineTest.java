package fr.coffre.s3;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.AuditEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Access log lines in S3's format: field order, quoting, dashes, and nothing that splits a line.
 */
class AccessLogLineTest {
  private static AuditEvent event(String key, int status, String error, long bytesOut) {
    return new AuditEvent(
        Instant.parse("2019-02-06T00:00:38Z"),
        "3E57427F3EXAMPLE",
        "s3",
        new AuditEvent.Actor("user", "town", "acct", "alice", "AKALICE", null),
        "192.0.2.3",
        false,
        "GetObject",
        "src",
        key,
        null,
        status,
        error,
        0,
        bytesOut,
        null);
  }

  @Test
  void getObject_line_hasS3FieldsInOrder() {
    String line =
        AccessLogLine.of(
                event("photos/a b.jpg", 200, null, 1234),
                "79a59df900b949e55d96a1e698fbaced",
                "GET",
                S3Operation.GET_OBJECT,
                "GET /src/photos/a%20b.jpg HTTP/1.1",
                17,
                null,
                "aws-cli/2.15 Python/3.11",
                4,
                "127.0.0.1:9000")
            .format();
    assertThat(line)
        .isEqualTo(
            "79a59df900b949e55d96a1e698fbaced src [06/Feb/2019:00:00:38 +0000] 192.0.2.3"
                + " AKALICE 3E57427F3EXAMPLE REST.GET.OBJECT photos/a%20b.jpg"
                + " \"GET /src/photos/a%20b.jpg HTTP/1.1\" 200 - 1234 - 17 - -"
                + " \"aws-cli/2.15 Python/3.11\" - 3E57427F3EXAMPLE SigV4 - AuthHeader"
                + " 127.0.0.1:9000 - - -");
  }

  @Test
  void error_anonymous_andControlCharacters_stayOneLine() {
    AuditEvent e =
        new AuditEvent(
            Instant.parse("2026-12-06T07:00:00Z"),
            "R1",
            "s3",
            AuditEvent.Actor.of(null),
            null,
            true,
            "GetObject",
            "src",
            "missing",
            null,
            404,
            "NoSuchKey",
            0,
            0,
            null);
    String line =
        AccessLogLine.of(
                e,
                "owner",
                "GET",
                S3Operation.GET_OBJECT,
                "GET /src/missing HTTP/1.1",
                3,
                "http://x/\"q\"",
                "evil\nagent",
                0,
                null)
            .format();
    assertThat(line).doesNotContain("\n");
    String[] f = line.split(" ");
    assertThat(f[4]).as("requester").isEqualTo("-");
    assertThat(line).contains(" 404 NoSuchKey - - 3 - \"http://x/\\\"q\\\"\" \"evil_agent\" ");
    assertThat(line).endsWith(" - - - - -");
  }

  @Test
  void operation_namesTheResource() {
    assertThat(AccessLogLine.operation("PUT", S3Operation.PUT_OBJECT, "k"))
        .isEqualTo("REST.PUT.OBJECT");
    assertThat(AccessLogLine.operation("GET", S3Operation.LIST_OBJECTS_V2, null))
        .isEqualTo("REST.GET.BUCKET");
    assertThat(AccessLogLine.operation("PUT", S3Operation.PUT_BUCKET_LOGGING, null))
        .isEqualTo("REST.PUT.LOGGING_STATUS");
    assertThat(AccessLogLine.operation("POST", S3Operation.DELETE_OBJECTS, null))
        .isEqualTo("REST.POST.MULTI_OBJECT_DELETE");
    assertThat(AccessLogLine.operation("HEAD", null, null)).isEqualTo("REST.HEAD.BUCKET");
  }
}
