package fr.coffre.s3;

import fr.coffre.core.CoffreException;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.RequestIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge of the S3 API: the only class that knows Jetty. For each request it addresses
 * (path or virtual-host style), authenticates, routes to one {@link S3Action}, and writes the
 * response; every failure goes through one catch ladder into an S3 XML error with a request id,
 * and internal details are logged, never sent.
 */
public final class S3Handler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(S3Handler.class);
  private static final Logger ACCESS = LoggerFactory.getLogger("coffre.access");
  // Read before the status line is committed, so that a corrupt first segment becomes a clean
  // 500 instead of a cut-off 200.
  private static final int PREFETCH = 64 * 1024;

  private final Map<S3Operation, S3Action> actions;
  private final RequestAuthenticator authenticator;
  private final Authorizer authorizer;
  private final CorsResponder cors;
  private final RequestObserver observer;
  private final RequestRecorder recorder;
  private final String virtualHostDomain;
  private final Clock clock;

  /**
   * @param virtualHostDomain the domain under which {@code bucket.domain} addresses a bucket, or
   *     null for path-style only
   */
  public S3Handler(
      Map<S3Operation, S3Action> actions,
      RequestAuthenticator authenticator,
      Authorizer authorizer,
      CorsResponder cors,
      RequestObserver observer,
      RequestRecorder recorder,
      String virtualHostDomain,
      Clock clock) {
    super(InvocationType.BLOCKING);
    this.actions = Map.copyOf(actions);
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.cors = cors;
    this.observer = observer;
    this.recorder = recorder;
    this.virtualHostDomain = virtualHostDomain == null ? null : virtualHostDomain.toLowerCase(Locale.ROOT);
    this.clock = clock;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String requestId = RequestIds.next();
    response.getHeaders().put("x-amz-request-id", requestId);
    response.getHeaders().put("x-amz-id-2", requestId);
    response.getHeaders().put(HttpHeader.SERVER, "Coffre");
    S3Request s3 = null;
    S3Operation operation = null;
    CountingStream counted = null;
    String bucketName = null;
    int status;
    Outcome outcome = new Outcome(requestId, Request.getRemoteAddr(request), request.isSecure());
    try {
      RawRequest raw = raw(request);
      outcome.claimedAccessKey = claimedAccessKey(raw);
      Address address = Address.of(raw, virtualHostDomain);
      bucketName = address.bucket();
      outcome.bucket = address.bucket();
      outcome.key = address.key();
      Map<String, String> query = decodeQuery(raw.rawQuery());
      operation =
          Router.route(raw.method(), address.bucket(), address.key(), query,
              raw.header("x-amz-copy-source"), raw.header("content-type"));
      outcome.operation = operation;
      counted = new CountingStream(Content.Source.asInputStream(request));
      outcome.counted = counted;
      InputStream body = counted;
      String accessKey = null;
      if (operation != S3Operation.PREFLIGHT && operation != S3Operation.POST_OBJECT) {
        // A preflight is anonymous by definition; a form upload carries its signature in the
        // form, which its handler checks.
        RequestAuthenticator.Authenticated auth = authenticator.authenticate(raw, body, clock.instant());
        body = auth.body();
        accessKey = auth.accessKey();
      }
      s3 = new S3Request(requestId, raw.method(), address.bucket(), address.key(), query, raw.headers(),
          body, accessKey, raw.secure(), authorizer.principal(accessKey), raw.remoteAddress());
      outcome.principal = s3.principal();
      S3Action action = actions.get(operation);
      if (action == null) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED);
      }
      authorizer.authorize(s3, operation);
      if (operation != S3Operation.PREFLIGHT && !raw.method().equals("GET") && !raw.method().equals("HEAD")) {
        outcome.started(clock, recorder);
      }
      S3Response answer = action.handle(s3);
      if (operation != S3Operation.PREFLIGHT) {
        corsHeaders(s3).forEach(answer::header);
      }
      status = write(answer, request, response, callback, outcome);
    } catch (Throwable t) {
      status = fail(t, s3, request, response, callback, requestId, outcome);
    }
    long nanos = System.nanoTime() - start;
    long bytesOut = request.getMethod().equals("HEAD") ? 0 : Math.max(0, response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH));
    try {
      observer.completed(operation, status, nanos, counted == null ? 0 : counted.count, bytesOut);
    } catch (RuntimeException e) {
      LOG.warn("request observer failed", e);
    }
    if (ACCESS.isInfoEnabled()) {
      ACCESS.atInfo()
          .addKeyValue("requestId", requestId)
          .addKeyValue("method", request.getMethod())
          .addKeyValue("operation", operation == null ? "-" : operation.awsName())
          .addKeyValue("bucket", bucketName == null ? "-" : bucketName)
          .addKeyValue("status", status)
          .addKeyValue("durationMs", nanos / 1_000_000)
          .addKeyValue("bytesIn", counted == null ? 0 : counted.count)
          .addKeyValue("bytesOut", bytesOut)
          .addKeyValue("remote", Request.getRemoteAddr(request))
          .addKeyValue("tls", request.isSecure())
          .log("request");
    }
    return true;
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
    fr.coffre.core.Principal principal;

    Outcome(String requestId, String address, boolean secure) {
      this.requestId = requestId;
      this.address = address;
      this.secure = secure;
    }

    void record(Clock clock, RequestRecorder recorder, int status, String error, long bytesOut, String versionId) {
      recorder.record(event(clock, status, error, bytesOut, versionId), principal,
          principal == null ? claimedAccessKey : null);
    }

    /** The change about to start: status 0, completed by the record of its outcome. */
    void started(Clock clock, RequestRecorder recorder) {
      recorder.started(event(clock, 0, null, 0, null), principal);
    }

    private fr.coffre.core.AuditEvent event(Clock clock, int status, String error, long bytesOut, String versionId) {
      fr.coffre.core.AuditEvent.Actor actor = principal == null
          ? fr.coffre.core.AuditEvent.Actor.unauthenticated(claimedAccessKey)
          : fr.coffre.core.AuditEvent.Actor.of(principal);
      return new fr.coffre.core.AuditEvent(clock.instant(), requestId, "s3", actor, address, secure,
          operation == null ? null : operation.awsName(), bucket, key, versionId, status, error,
          counted == null ? 0 : counted.count, bytesOut, null);
    }
  }

  /** The access key a request says it is signed with (header or presigned query), or null. */
  static String claimedAccessKey(RawRequest raw) {
    String auth = raw.header("authorization");
    String credential = null;
    if (auth != null) {
      int i = auth.indexOf("Credential=");
      if (i >= 0) {
        credential = auth.substring(i + "Credential=".length());
      }
    } else {
      Map<String, String> q = decodeQuery(raw.rawQuery());
      credential = q.get("X-Amz-Credential");
    }
    if (credential == null) {
      return null;
    }
    int slash = credential.indexOf('/');
    String id = slash < 0 ? credential : credential.substring(0, slash);
    return id.isEmpty() || id.length() > 128 ? null : id;
  }

  /** Counts the request body bytes read, for the metrics. */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
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

  private int write(S3Response answer, Request request, Response response, Callback callback, Outcome outcome)
      throws IOException {
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
    boolean head = request.getMethod().equals("HEAD");
    if (answer.xml() != null) {
      byte[] body = fr.coffre.s3.xml.S3Xml.write(answer.xml());
      outcome.record(clock, recorder, answer.status(), null, head ? 0 : body.length, versionId);
      setStatusAndHeaders(answer, response);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      if (!head) {
        Content.Sink.write(response, true, java.nio.ByteBuffer.wrap(body));
      }
      callback.succeeded();
      return answer.status();
    }
    if (answer.content() == null) {
      outcome.record(clock, recorder, answer.status(), null, 0, versionId);
      setStatusAndHeaders(answer, response);
      if (!response.getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      }
      callback.succeeded();
      return answer.status();
    }
    try (InputStream content = answer.content()) {
      PushbackInputStream prefetched = new PushbackInputStream(content, PREFETCH);
      byte[] first = prefetched.readNBytes((int) Math.min(PREFETCH, answer.contentLength()));
      prefetched.unread(first);
      outcome.record(clock, recorder, answer.status(), null, head ? 0 : answer.contentLength(), versionId);
      setStatusAndHeaders(answer, response);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.contentLength());
      if (!head) {
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
          prefetched.transferTo(out);
        } catch (CoffreException | IOException | UncheckedIOException e) {
          // The status line is gone: the only honest signal left is to cut the connection.
          LOG.error("aborting response {} after its headers: {}", request.getHttpURI().getPath(), e.toString());
          callback.failed(e);
          return answer.status();
        }
      }
    }
    callback.succeeded();
    return answer.status();
  }

  private static void setStatusAndHeaders(S3Response answer, Response response) {
    response.setStatus(answer.status());
    for (Map.Entry<String, String> h : answer.headers()) {
      response.getHeaders().add(h.getKey(), h.getValue());
    }
  }

  private int fail(
      Throwable t,
      S3Request s3,
      Request request,
      Response response,
      Callback callback,
      String requestId,
      Outcome outcome) {
    S3Exception error = toS3(t, s3, requestId);
    if (response.isCommitted()) {
      callback.failed(t);
      return error.error().status();
    }
    response.reset();
    if (s3 != null) {
      corsHeaders(s3).forEach((k, v) -> response.getHeaders().put(k, v));
    }
    response.getHeaders().put("x-amz-request-id", requestId);
    response.getHeaders().put("x-amz-id-2", requestId);
    response.getHeaders().put(HttpHeader.SERVER, "Coffre");
    int status = error.error().status();
    try {
      outcome.record(clock, recorder, status, error.error().code(), 0, null);
    } catch (RuntimeException e) {
      // An error answer reports nothing done; it is still sent, and the failure logged.
      LOG.error("request {}: the audit record of a {} could not be written: {}", requestId, status, e.toString());
    }
    response.setStatus(status);
    if (status == 304 && error.details().containsKey("ETag")) {
      // A 304 still names the representation the client holds.
      response.getHeaders().put("ETag", error.details().get("ETag"));
    }
    if (status == 304 || request.getMethod().equals("HEAD")) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      callback.succeeded();
      return status;
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("Code", error.error().code());
    body.put("Message", error.getMessage());
    body.putAll(error.details());
    body.put("Resource", s3 != null ? s3.resource() : request.getHttpURI().getPath());
    body.put("RequestId", requestId);
    body.put("HostId", requestId);
    byte[] bytes = fr.coffre.s3.xml.S3Xml.error(body);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    if (error.error() == S3Error.INVALID_RANGE && error.details().containsKey("ActualObjectSize")) {
      response.getHeaders().put("Content-Range", "bytes */" + error.details().get("ActualObjectSize"));
    }
    response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
    return status;
  }

  /** The one catch ladder: every failure becomes an S3 error; only ours carry their message. */
  private static S3Exception toS3(Throwable t, S3Request s3, String requestId) {
    return switch (t) {
      case S3Exception e -> {
        if (e.error() == S3Error.SIGNATURE_DOES_NOT_MATCH && LOG.isDebugEnabled()) {
          LOG.debug("request {}: signature mismatch, canonical request:\n{}", requestId, e.details().get("CanonicalRequest"));
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

  private static RawRequest raw(Request request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (HttpField f : request.getHeaders()) {
      headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(utf8(f.getValue()));
    }
    return new RawRequest(
        request.getMethod(),
        request.getHttpURI().getPath(),
        request.getHttpURI().getQuery(),
        headers,
        request.isSecure(),
        Request.getRemoteAddr(request));
  }

  /**
   * Jetty reads header bytes as ISO-8859-1; clients send (and sign) non-ASCII values as UTF-8. A
   * value whose bytes are valid UTF-8 is read as UTF-8, so that SigV4 hashes the bytes that were
   * sent and metadata keeps its characters; any other value stays as read.
   */
  static String utf8(String value) {
    if (value == null || value.chars().allMatch(c -> c < 0x80)) {
      return value;
    }
    byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    try {
      return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return value;
    }
  }

  /** Decodes a query string; a name without '=' maps to the empty string. */
  static Map<String, String> decodeQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.putIfAbsent(decode(name), decode(value));
    }
    return query;
  }

  static String decode(String s) {
    return Percent.decode(s, true);
  }
}
