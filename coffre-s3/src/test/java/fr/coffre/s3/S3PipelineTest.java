package fr.coffre.s3;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.Principal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The S3 pipeline without a socket: routing, the catch ladder, the audit record before the answer.
 */
class S3PipelineTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
  private static final Principal ALICE =
      new Principal("default", "000000000000", "alice", "AKIDALICE");

  private final Map<S3Operation, S3Action> actions = new EnumMap<>(S3Operation.class);
  private final List<AuditEvent> recorded = new ArrayList<>();
  private RuntimeException auditFailure;
  private final RequestRecorder recorder =
      new RequestRecorder() {
        @Override
        public void started(AuditEvent event, Principal principal) {}

        @Override
        public void record(AuditEvent event, Principal principal, String claimedAccessKey) {
          if (auditFailure != null) {
            throw auditFailure;
          }
          recorded.add(event);
        }
      };
  private final Authorizer authorizer =
      new Authorizer() {
        @Override
        public Principal principal(String accessKey) {
          return accessKey == null ? Principal.anonymous() : ALICE;
        }

        @Override
        public void authorize(S3Request request, S3Operation operation) {
          if (request.principal().user() == null) {
            throw new S3Exception(S3Error.ACCESS_DENIED);
          }
        }
      };
  private final RequestAuthenticator signedByAlice =
      (request, body, now) -> new RequestAuthenticator.Authenticated("AKIDALICE", body);

  private S3Pipeline pipeline(RequestAuthenticator authenticator) {
    return new S3Pipeline(
        actions, authenticator, authorizer, CorsResponder.NONE, recorder, null, CLOCK);
  }

  private static RawRequest request(String method, String path, String query) {
    return new RawRequest(
        method, path, query, new TreeMap<>(String.CASE_INSENSITIVE_ORDER), false, "192.0.2.1");
  }

  private static String body(S3Reply reply) throws IOException {
    if (reply.body() != null) {
      return new String(reply.body(), StandardCharsets.UTF_8);
    }
    try (InputStream in = reply.stream()) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void serve_routedRequest_reachesItsAction_andIsRecordedBeforeTheAnswer() throws Exception {
    actions.put(
        S3Operation.GET_OBJECT,
        r ->
            S3Response.ok()
                .content(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), 5));
    S3Reply reply =
        pipeline(signedByAlice)
            .serve(request("GET", "/b/k", null), InputStream.nullInputStream(), "RID1");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.operation()).isEqualTo(S3Operation.GET_OBJECT);
    assertThat(reply.header("Content-Length")).isEqualTo("5");
    assertThat(reply.header("x-amz-request-id")).isEqualTo("RID1");
    assertThat(recorded)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(200);
              assertThat(e.bucket()).isEqualTo("b");
              assertThat(e.key()).isEqualTo("k");
              assertThat(e.bytesOut()).isEqualTo(5);
            });
    assertThat(body(reply)).isEqualTo("hello");
  }

  @Test
  void serve_domainError_becomesItsS3Error_withTheRequestId() throws Exception {
    actions.put(
        S3Operation.LIST_OBJECTS_V2,
        r -> {
          throw new NoSuchBucketException("b");
        });
    S3Reply reply =
        pipeline(signedByAlice)
            .serve(request("GET", "/b", "list-type=2"), InputStream.nullInputStream(), "RID2");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.header("Content-Type")).isEqualTo("application/xml");
    assertThat(body(reply)).contains("<Code>NoSuchBucket</Code>", "<RequestId>RID2</RequestId>");
    assertThat(recorded)
        .singleElement()
        .satisfies(e -> assertThat(e.error()).isEqualTo("NoSuchBucket"));
  }

  @Test
  void serve_unexpectedFailure_isAnInternalError_thatLeaksNothing() throws Exception {
    actions.put(
        S3Operation.HEAD_BUCKET,
        r -> {
          throw new IllegalStateException("secret internal detail /var/lib/coffre");
        });
    S3Reply reply =
        pipeline(signedByAlice)
            .serve(request("GET", "/b", "location"), InputStream.nullInputStream(), "RID3");
    // GET /b?location routes to GetBucketLocation, which has no action here: NotImplemented.
    assertThat(reply.status()).isEqualTo(501);
    S3Reply head =
        pipeline(signedByAlice)
            .serve(request("HEAD", "/b", null), InputStream.nullInputStream(), "RID4");
    assertThat(head.status()).isEqualTo(500);
    assertThat(head.body()).isNull(); // a HEAD answer has no body
    actions.put(
        S3Operation.LIST_BUCKETS,
        r -> {
          throw new IllegalStateException("secret internal detail /var/lib/coffre");
        });
    S3Reply list =
        pipeline(signedByAlice)
            .serve(request("GET", "/", null), InputStream.nullInputStream(), "RID5");
    assertThat(list.status()).isEqualTo(500);
    assertThat(body(list))
        .contains("<Code>InternalError</Code>")
        .doesNotContain("secret", "IllegalState");
  }

  @Test
  void serve_anonymousRefused_beforeTheActionRuns() throws Exception {
    boolean[] ran = {false};
    actions.put(
        S3Operation.LIST_BUCKETS,
        r -> {
          ran[0] = true;
          return S3Response.ok();
        });
    RequestAuthenticator anonymous =
        (request, body, now) -> new RequestAuthenticator.Authenticated(null, body);
    S3Reply reply =
        pipeline(anonymous).serve(request("GET", "/", null), InputStream.nullInputStream(), "RID6");
    assertThat(reply.status()).isEqualTo(403);
    assertThat(ran[0]).isFalse();
  }

  @Test
  void serve_answerThatCannotBeRecorded_isNotSent() throws Exception {
    actions.put(S3Operation.LIST_BUCKETS, r -> S3Response.ok());
    auditFailure = new fr.coffre.core.AuditUnavailableException("the trail cannot append");
    S3Reply reply =
        pipeline(signedByAlice)
            .serve(request("GET", "/", null), InputStream.nullInputStream(), "RID7");
    assertThat(reply.status()).isEqualTo(503);
  }

  @Test
  void serve_corruptFirstSegment_isACleanError_notACutOff200() throws Exception {
    InputStream corrupt =
        new InputStream() {
          @Override
          public int read() {
            throw new CorruptDataException("segment 0 failed its tag", null);
          }

          @Override
          public int read(byte[] b, int off, int len) {
            throw new CorruptDataException("segment 0 failed its tag", null);
          }
        };
    actions.put(S3Operation.GET_OBJECT, r -> S3Response.ok().content(corrupt, 1000));
    S3Reply reply =
        pipeline(signedByAlice)
            .serve(request("GET", "/b/k", null), InputStream.nullInputStream(), "RID8");
    assertThat(reply.status()).isEqualTo(500);
    assertThat(body(reply)).contains("<Code>InternalError</Code>").doesNotContain("segment 0");
  }

  @Test
  void serve_smallBody_isReadWhole_largerOneStreams_andHeadReadsNothing() throws Exception {
    byte[] small = new byte[S3Pipeline.PREFETCH];
    byte[] large = new byte[S3Pipeline.PREFETCH + 1];
    Arrays.fill(small, (byte) 's');
    Arrays.fill(large, (byte) 'l');
    actions.put(
        S3Operation.GET_OBJECT,
        r ->
            r.key().equals("small")
                ? S3Response.ok().content(new ByteArrayInputStream(small), small.length)
                : S3Response.ok().content(new ByteArrayInputStream(large), large.length));
    S3Reply whole =
        pipeline(signedByAlice)
            .serve(request("GET", "/b/small", null), InputStream.nullInputStream(), "RID9");
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(small);
    assertThat(whole.stream()).isNull();
    assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(small.length));

    S3Reply streamed =
        pipeline(signedByAlice)
            .serve(request("GET", "/b/large", null), InputStream.nullInputStream(), "RID10");
    assertThat(streamed.body()).isNull();
    assertThat(streamed.stream().readAllBytes()).isEqualTo(large);

    // A content that would fail if read: a HEAD answers from the metadata alone.
    InputStream unreadable =
        new InputStream() {
          @Override
          public int read() {
            throw new CorruptDataException("must not be read for a HEAD", null);
          }
        };
    actions.put(S3Operation.HEAD_OBJECT, r -> S3Response.ok().content(unreadable, 1000));
    S3Reply head =
        pipeline(signedByAlice)
            .serve(request("HEAD", "/b/k", null), InputStream.nullInputStream(), "RID11");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo("1000");
    assertThat(head.body()).isNull();
    assertThat(head.stream()).isNull();

    // A body shorter than its declared length is an error, never a short 200.
    actions.put(
        S3Operation.GET_OBJECT,
        r -> S3Response.ok().content(new ByteArrayInputStream(new byte[10]), 20));
    assertThat(
            pipeline(signedByAlice)
                .serve(request("GET", "/b/short", null), InputStream.nullInputStream(), "RID12")
                .status())
        .isEqualTo(500);
  }
}
