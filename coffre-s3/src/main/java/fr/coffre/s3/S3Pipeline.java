package fr.coffre.s3;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.CoffreException;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.Principal;
import fr.coffre.s3.xml.S3Xml;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 request pipeline, free of any HTTP server type so that it is tested without sockets: a
 * request as it arrived ({@link RawRequest} and its body) becomes an {@link S3Reply} ready to send.
 * Addressing (path or virtual-host style) → routing → authentication → authorization → the one
 * {@link S3Action} → the audit record → the reply. Every failure goes through one catch ladder into
 * an S3 XML error with the request id; internal details are logged, never sent.
 *
 * <p>The audit record of an answer is written before the reply exists, so an answer that cannot be
 * recorded is never sent (the trail is fail-closed: the client gets the error instead). Content is
 * read ahead ({@value #PREFETCH} bytes) before that, so a corrupt first segment becomes a clean
 * error instead of a cut-off 200; a body no longer than that is read whole, and sent with the
 * headers in one write. A HEAD reads no content.
 */
public final class S3Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(S3Pipeline.class);
  static final int PREFETCH = 64 * 1024;

  private final Map<S3Operation, S3Action> actions;
  private final RequestAuthenticator authenticator;
  private final Authorizer authorizer;
  private final CorsResponder cors;
  private final RequestRecorder recorder;
  private final String virtualHostDomain;
  private final Clock clock;

  /**
   * @param virtualHostDomain the domain under which {@code bucket.domain} addresses a bucket, or
   *     null for path-style only
   */
  public S3Pipeline(
      Map<S3Operation, S3Action> actions,
      RequestAuthenticator authenticator,
      Authorizer authorizer,
      CorsResponder cors,
      RequestRecorder recorder,
      String virtualHostDomain,
      Clock clock) {
    this.actions = Map.copyOf(actions);
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.cors = cors;
    this.recorder = recorder;
    this.virtualHostDomain =
        virtualHostDomain == null ? null : virtualHostDomain.toLowerCase(Locale.ROOT);
    this.clock = clock;
  }

  /** Serves one request; never throws: every failure is an error reply. */
  public S3Reply serve(RawRequest raw, InputStream rawBody, String requestId) {
    Outcome outcome = new Outcome(requestId, raw.remoteAddress(), raw.secure());
    outcome.raw = raw;
    outcome.startNanos = System.nanoTime();
    CountingStream counted = new CountingStream(rawBody);
    outcome.counted = counted;
    S3Request s3 = null;
    try {
      outcome.claimedAccessKey = claimedAccessKey(raw);
      Address address = Address.of(raw, virtualHostDomain);
      Map<String, String> query = Queries.decode(raw.rawQuery());
      S3Operation operation =
          Router.accountControl(
              raw.method(), address.bucket(), address.key(), raw.header("x-amz-account-id"));
      if (operation != null) {
        address = new Address(null, null); // the account's, not a bucket's
      } else {
        operation =
            Router.route(
                raw.method(),
                address.bucket(),
                address.key(),
                query,
                raw.header("x-amz-copy-source"),
                raw.header("content-type"));
      }
      outcome.bucket = address.bucket();
      outcome.key = address.key();
      outcome.operation = operation;
      InputStream body = counted;
      String accessKey = null;
      if (operation != S3Operation.PREFLIGHT && operation != S3Operation.POST_OBJECT) {
        // A preflight is anonymous by definition; a form upload carries its signature in the
        // form, which its handler checks.
        RequestAuthenticator.Authenticated auth =
            authenticator.authenticate(raw, body, clock.instant());
        body = auth.body();
        accessKey = auth.accessKey();
        outcome.signatureVersion = auth.signatureVersion();
      }
      s3 =
          new S3Request(
              requestId,
              raw.method(),
              address.bucket(),
              address.key(),
              query,
              raw.headers(),
              body,
              accessKey,
              raw.secure(),
              authorizer.principal(accessKey),
              raw.remoteAddress());
      outcome.principal = s3.principal();
      S3Action action = actions.get(operation);
      if (action == null) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED);
      }
      authorizer.authorize(s3, operation);
      if (operation != S3Operation.PREFLIGHT
          && !raw.method().equals("GET")
          && !raw.method().equals("HEAD")) {
        outcome.started(clock, recorder);
      }
      S3Response answer = action.handle(s3);
      if (operation != S3Operation.PREFLIGHT) {
        corsHeaders(s3).forEach(answer::header);
      }
      return reply(answer, raw, outcome);
    } catch (Throwable t) {
      return fail(t, s3, raw, outcome);
    }
  }

  private S3Reply reply(S3Response answer, RawRequest raw, Outcome outcome) throws IOException {
    String versionId = null;
    for (Map.Entry<String, String> h : answer.headers()) {
      if (h.getKey().equalsIgnoreCase("x-amz-version-id")) {
        versionId = h.getValue();
      }
    }
    if (answer.auditPrincipal() != null) {
      outcome.principal = answer.auditPrincipal();
    }
    if (answer.auditKey() != null) {
      outcome.key = answer.auditKey();
    }
    boolean head = raw.method().equals("HEAD");
    S3Reply.Builder reply =
        S3Reply.builder(
            outcome.requestId, answer.status(), outcome.operation, outcome.bucket, outcome.counted);
    answer.headers().forEach(h -> reply.add(h.getKey(), h.getValue()));
    if (answer.xml() != null) {
      byte[] body = S3Xml.write(answer.xml());
      outcome.record(clock, recorder, answer.status(), null, head ? 0 : body.length, versionId);
      return reply.put("Content-Type", "application/xml").bytes(body, head);
    }
    if (answer.content() == null) {
      outcome.record(clock, recorder, answer.status(), null, 0, versionId);
      if (!reply.has("Content-Length")) {
        reply.put("Content-Length", "0");
      }
      return reply.empty();
    }
    InputStream content = answer.content();
    long length = answer.contentLength();
    try {
      if (head) {
        // Nothing of the content is sent: none of it is read (nor decrypted).
        outcome.record(clock, recorder, answer.status(), null, 0, versionId);
        return reply.stream(content, length, true);
      }
      if (length >= 0 && length <= PREFETCH) {
        // A small body is read whole before the status line, so it is sent with the headers in
        // one write, and any failure to read it is still a clean error.
        byte[] whole;
        try (content) {
          whole = content.readNBytes((int) length);
        }
        if (whole.length != length) {
          throw new IOException("the content ended after " + whole.length + " of " + length);
        }
        outcome.record(clock, recorder, answer.status(), null, length, versionId);
        return reply.bytes(whole, false);
      }
      PushbackInputStream prefetched = new PushbackInputStream(content, PREFETCH);
      byte[] first = prefetched.readNBytes(PREFETCH);
      prefetched.unread(first);
      outcome.record(clock, recorder, answer.status(), null, length, versionId);
      return reply.stream(prefetched, length, false);
    } catch (IOException | RuntimeException e) {
      content.close();
      throw e;
    }
  }

  private S3Reply fail(Throwable t, S3Request s3, RawRequest raw, Outcome outcome) {
    String requestId = outcome.requestId;
    S3Exception error = toS3(t, s3, requestId);
    int status = error.error().status();
    S3Reply.Builder reply =
        S3Reply.builder(requestId, status, outcome.operation, outcome.bucket, outcome.counted);
    if (s3 != null) {
      corsHeaders(s3).forEach(reply::put);
    }
    try {
      outcome.record(clock, recorder, status, error.error().code(), 0, null);
    } catch (RuntimeException e) {
      // An error answer reports nothing done; it is still sent, and the failure logged.
      LOG.error(
          "request {}: the audit record of a {} could not be written: {}",
          requestId,
          status,
          e.toString());
    }
    error.headers().forEach(reply::put);
    if (status == 304 && error.details().containsKey("ETag")) {
      // A 304 still names the representation the client holds.
      reply.put("ETag", error.details().get("ETag"));
    }
    if (status == 304 || raw.method().equals("HEAD")) {
      return reply.put("Content-Length", "0").empty();
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("Code", error.error().code());
    body.put("Message", error.getMessage());
    body.putAll(error.details());
    body.put("Resource", s3 != null ? s3.resource() : raw.rawPath());
    body.put("RequestId", requestId);
    body.put("HostId", requestId);
    reply.put("Content-Type", "application/xml");
    if (error.error() == S3Error.INVALID_RANGE && error.details().containsKey("ActualObjectSize")) {
      reply.put("Content-Range", "bytes */" + error.details().get("ActualObjectSize"));
    }
    return reply.bytes(
        outcome.operation != null && outcome.operation.isAccountControl()
            ? S3Xml.controlError(body)
            : S3Xml.error(body),
        false);
  }

  /** The one catch ladder: every failure becomes an S3 error; only ours carry their message. */
  private static S3Exception toS3(Throwable t, S3Request s3, String requestId) {
    return switch (t) {
      case S3Exception e -> {
        if (e.error() == S3Error.SIGNATURE_DOES_NOT_MATCH && LOG.isDebugEnabled()) {
          LOG.debug(
              "request {}: signature mismatch, canonical request:\n{}",
              requestId,
              e.details().get("CanonicalRequest"));
        }
        yield e;
      }
      case CorruptDataException e -> {
        LOG.error("request {}: integrity check failed: {}", requestId, e.getMessage(), e);
        yield ErrorMapper.toS3(e, s3);
      }
      case CoffreException e when !e.messageIsPublic() -> {
        LOG.error("request {}: {}", requestId, e.getMessage(), e);
        yield ErrorMapper.toS3(e, s3);
      }
      case CoffreException e -> ErrorMapper.toS3(e, s3);
      case UncheckedIOException e -> {
        LOG.debug("request {}: reading the request failed: {}", requestId, e.getCause().toString());
        yield new S3Exception(S3Error.INCOMPLETE_BODY);
      }
      default -> {
        LOG.error("request {}: unexpected failure", requestId, t);
        yield new S3Exception(S3Error.INTERNAL_ERROR);
      }
    };
  }

  /** The CORS response headers for a cross-origin request a bucket's rules allow; else none. */
  private Map<String, String> corsHeaders(S3Request s3) {
    if (s3.bucket() == null || s3.header("origin") == null) {
      return Map.of();
    }
    try {
      return cors.responseHeaders(s3);
    } catch (RuntimeException e) {
      LOG.debug("request {}: no CORS headers: {}", s3.requestId(), e.toString());
      return Map.of();
    }
  }

  /**
   * The access key a request says it is signed with (V4 or V2, header or presigned query), or null.
   */
  static String claimedAccessKey(RawRequest raw) {
    String auth = raw.header("authorization");
    String credential = null;
    if (auth != null) {
      int i = auth.indexOf("Credential=");
      if (i >= 0) {
        credential = auth.substring(i + "Credential=".length());
      } else if (auth.startsWith("AWS ") && auth.lastIndexOf(':') > 4) {
        credential = auth.substring(4, auth.lastIndexOf(':')).strip();
      }
    } else {
      Map<String, String> query = Queries.decode(raw.rawQuery());
      credential = query.getOrDefault("X-Amz-Credential", query.get("AWSAccessKeyId"));
    }
    if (credential == null) {
      return null;
    }
    int slash = credential.indexOf('/');
    String id = slash < 0 ? credential : credential.substring(0, slash);
    return id.isEmpty() || id.length() > 128 ? null : id;
  }

  /** What the audit record of a request says, gathered as the request is understood. */
  private static final class Outcome {
    final String requestId;
    final String address;
    final boolean secure;
    String claimedAccessKey;
    String bucket;
    String key;
    S3Operation operation;
    CountingStream counted;
    Principal principal;
    int signatureVersion;
    RawRequest raw;
    long startNanos;

    Outcome(String requestId, String address, boolean secure) {
      this.requestId = requestId;
      this.address = address;
      this.secure = secure;
    }

    void record(
        Clock clock,
        RequestRecorder recorder,
        int status,
        String error,
        long bytesOut,
        String versionId) {
      AuditEvent event = event(clock, status, error, bytesOut, versionId);
      recorder.record(event, principal, principal == null ? claimedAccessKey : null);
      if (bucket != null && raw != null) {
        String query = raw.rawQuery();
        recorder.served(
            event,
            new RequestRecorder.Served(
                raw.method(),
                operation,
                raw.method()
                    + " "
                    + raw.rawPath()
                    + (query == null || query.isEmpty() ? "" : "?" + query)
                    + " HTTP/1.1",
                (System.nanoTime() - startNanos) / 1_000_000,
                raw.header("referer"),
                raw.header("user-agent"),
                signatureVersion,
                raw.header("host")));
      }
    }

    /** The change about to start: status 0, completed by the record of its outcome. */
    void started(Clock clock, RequestRecorder recorder) {
      recorder.started(event(clock, 0, null, 0, null), principal);
    }

    private AuditEvent event(
        Clock clock, int status, String error, long bytesOut, String versionId) {
      AuditEvent.Actor actor =
          principal == null
              ? AuditEvent.Actor.unauthenticated(claimedAccessKey)
              : AuditEvent.Actor.of(principal);
      return new AuditEvent(
          clock.instant(),
          requestId,
          "s3",
          actor,
          address,
          secure,
          operation == null ? null : operation.awsName(),
          bucket,
          key,
          versionId,
          status,
          error,
          counted == null ? 0 : counted.count,
          bytesOut,
          // V2 (HMAC-SHA1) is the exception worth finding in a trail; V4 is the rule, unsaid.
          signatureVersion == 2 ? "{\"signature\":\"V2\"}" : null);
    }
  }

  /** Counts the request body bytes read, for the metrics and the audit record. */
  static final class CountingStream extends FilterInputStream {
    private long count;

    CountingStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
