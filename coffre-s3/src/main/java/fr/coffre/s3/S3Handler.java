package fr.coffre.s3;

import fr.coffre.core.CoffreException;
import fr.coffre.core.LogText;
import fr.coffre.core.RequestIds;
import fr.coffre.s3.query.QueryApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty adapter of the S3 API: turns a Jetty request into a {@link RawRequest}, lets the {@link
 * S3Pipeline} answer it, and copies the {@link S3Reply} out; then counts it (metrics) and logs it
 * (access log). Everything S3 happens in the pipeline, which knows no Jetty type.
 */
public final class S3Handler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(S3Handler.class);
  private static final Logger ACCESS = LoggerFactory.getLogger("coffre.access");

  private final S3Pipeline pipeline;
  private final RequestObserver observer;
  private volatile @Nullable QueryApi queryApi;

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
    this.pipeline =
        new S3Pipeline(
            actions, authenticator, authorizer, cors, recorder, virtualHostDomain, clock);
    this.observer = observer;
  }

  /** Serves the AWS query APIs (STS, IAM) on this endpoint too: form POSTs to the root path. */
  public S3Handler queryApi(QueryApi api) {
    this.queryApi = api;
    return this;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String requestId = RequestIds.next();
    RawRequest raw = raw(request);
    QueryApi query = queryApi;
    if (query != null && QueryApi.handles(raw)) {
      QueryApi.Answer answer = query.serve(raw, Content.Source.asInputStream(request), requestId);
      response.setStatus(answer.status());
      response.getHeaders().put("Content-Type", "text/xml");
      response.getHeaders().put("x-amzn-RequestId", requestId);
      response.getHeaders().put("x-amz-request-id", requestId);
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
      if (ACCESS.isInfoEnabled()) {
        ACCESS
            .atInfo()
            .addKeyValue("requestId", requestId)
            .addKeyValue("method", "POST")
            .addKeyValue("operation", "query")
            .addKeyValue("status", answer.status())
            .addKeyValue("durationMs", (System.nanoTime() - start) / 1_000_000)
            .addKeyValue("remote", Request.getRemoteAddr(request))
            .log("request");
      }
      return true;
    }
    S3Reply reply = pipeline.serve(raw, Content.Source.asInputStream(request), requestId);
    boolean head = request.getMethod().equals("HEAD");
    long bytesOut = head || (reply.body() == null && reply.stream() == null) ? 0 : reply.length();
    if (reply.status() >= 400 && bodyLeftUnread(request, reply)) {
      // The rest of the body will not be read: say so, so the client does not reuse the connection.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    send(reply, request, response, callback);
    long nanos = System.nanoTime() - start;
    try {
      observer.completed(reply.operation(), reply.status(), nanos, reply.bytesIn(), bytesOut);
    } catch (RuntimeException e) {
      LOG.warn("request observer failed", e);
    }
    if (ACCESS.isInfoEnabled()) {
      ACCESS
          .atInfo()
          .addKeyValue("requestId", requestId)
          .addKeyValue("method", request.getMethod())
          .addKeyValue("operation", reply.operation() == null ? "-" : reply.operation().awsName())
          .addKeyValue("bucket", reply.bucket() == null ? "-" : LogText.printable(reply.bucket()))
          .addKeyValue("status", reply.status())
          .addKeyValue("durationMs", nanos / 1_000_000)
          .addKeyValue("bytesIn", reply.bytesIn())
          .addKeyValue("bytesOut", bytesOut)
          .addKeyValue("remote", Request.getRemoteAddr(request))
          .addKeyValue("tls", request.isSecure())
          .log("request");
    }
    return true;
  }

  private static void send(S3Reply reply, Request request, Response response, Callback callback) {
    response.setStatus(reply.status());
    for (Map.Entry<String, String> h : reply.headers()) {
      response.getHeaders().add(h.getKey(), h.getValue());
    }
    if (reply.body() != null) {
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
      return;
    }
    if (reply.stream() == null) {
      callback.succeeded();
      return;
    }
    try (InputStream content = reply.stream();
        OutputStream out = Content.Sink.asOutputStream(response)) {
      copy(content, out, reply.length());
    } catch (CoffreException e) {
      // The status line is gone: the only honest signal left is to cut the connection.
      LOG.error(
          "request {}: aborting the response after its headers: {}",
          reply.requestId(),
          e.toString());
      callback.failed(e);
      return;
    } catch (IOException | UncheckedIOException e) {
      // Most often the client went away mid-download: not the server's failure.
      LOG.info("request {}: response cut after its headers ({})", reply.requestId(), e.toString());
      callback.failed(e);
      return;
    }
    callback.succeeded();
  }

  /** The largest piece of a body written to the connection at once. */
  private static final int SEND_BUFFER = 128 * 1024;

  /**
   * Copies a body in pieces of up to 128 KiB ({@code InputStream.transferTo} writes 16 KiB at a
   * time: a 1 MiB answer was 64 blocking socket writes, a fifth of the CPU of a 1 MiB GET).
   */
  private static void copy(InputStream content, OutputStream out, long length) throws IOException {
    int size = (int) Math.max(8192, Math.min(SEND_BUFFER, length < 0 ? SEND_BUFFER : length));
    byte[] buffer = new byte[size];
    int n;
    while ((n = content.readNBytes(buffer, 0, buffer.length)) > 0) {
      out.write(buffer, 0, n);
    }
  }

  /** Whether the request declared a body that the answer leaves (partly) unread. */
  private static boolean bodyLeftUnread(Request request, S3Reply reply) {
    long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    return chunked || declared > reply.bytesIn();
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
    byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return value;
    }
  }
}
