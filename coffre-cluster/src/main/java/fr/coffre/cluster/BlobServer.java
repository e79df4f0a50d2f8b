package fr.coffre.cluster;

import fr.coffre.cluster.PendingUploads.Upload;
import fr.coffre.core.BlobId;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.BlobWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves this node's volumes (and, for cluster audit exports, its audit chains) to its peers: the
 * internal API that {@link RemoteBlobStore} and {@link RemoteAuditTrail} speak.
 *
 * <p><b>Guarantees.</b> Every request, health check included, is authenticated by {@link
 * ClusterAuth} before anything else is looked at; a refused one is answered 401 with no detail and
 * handed to the refusal callback for the audit log. A write is two steps: the PUT streams the body
 * into an uncommitted blob and answers the SHA-256 and size it received; the commit POST, carrying
 * the SHA-256 the sender computed, publishes the blob only if both agree and answers once it is
 * durable. So a body cut short, altered on the way, or never committed is never visible: its writer
 * is closed, which discards it, by the PUT itself, the commit, or the sweeper after {@link
 * #UPLOAD_TIMEOUT}. Bodies are streamed both ways, never held whole in memory. Over mutual TLS the
 * listener checks the peer's certificate before any request reaches this handler; a handshake it
 * fails is handed to the same callback when {@link #handshakes()} is on the listener.
 *
 * <p><b>Why built so.</b> Committing at the end of the PUT would publish a blob whose sender may
 * have died before checking what arrived; the separate commit is also what lets the sender commit
 * every copy of a blob only once all have arrived. The handler blocks (file IO), so it declares
 * itself {@code BLOCKING} and expects a virtual-thread pool, as the server's edges run on.
 */
public final class BlobServer extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(BlobServer.class);

  /** How long a received upload waits for its commit before it is discarded. */
  public static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(5);

  private static final int BUFFER = 64 * 1024;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})?");
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern CHAIN = Pattern.compile("_system|[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

  private final String node;
  private final Map<String, BlobStore> volumes;
  private final ClusterAuth auth;
  private final Consumer<Refusal> refusals;
  private final PendingUploads uploads;
  private final Duration sweepEvery;
  private volatile @Nullable Thread sweeper;
  private volatile @Nullable ChainExports audit;

  /**
   * @param node this node's name, answered by the health check
   * @param volumes the local volumes served, by name
   * @param refusals told of every request refused for want of a valid signature
   */
  public BlobServer(
      String node, Map<String, BlobStore> volumes, ClusterAuth auth, Consumer<Refusal> refusals) {
    this(node, volumes, auth, refusals, Clock.systemUTC(), UPLOAD_TIMEOUT);
  }

  BlobServer(
      String node,
      Map<String, BlobStore> volumes,
      ClusterAuth auth,
      Consumer<Refusal> refusals,
      Clock clock,
      Duration uploadTimeout) {
    super(InvocationType.BLOCKING);
    this.node = node;
    this.volumes = Map.copyOf(volumes);
    this.auth = auth;
    this.refusals = refusals;
    this.uploads = new PendingUploads(clock, uploadTimeout);
    Duration fifth = uploadTimeout.dividedBy(5);
    this.sweepEvery = fifth.compareTo(Duration.ofMinutes(1)) < 0 ? fifth : Duration.ofMinutes(1);
  }

  /**
   * Serves this node's audit chains to its peers ({@code GET /internal/v1/audit/CHAIN}), for the
   * cluster exports they make; without it that route answers 404.
   */
  public BlobServer servingAudit(ChainExports exports) {
    this.audit = exports;
    return this;
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    sweeper =
        Thread.ofVirtual()
            .name("blob-server-sweeper")
            .uncaughtExceptionHandler((t, e) -> LOG.error("{} died", t.getName(), e))
            .start(this::sweepLoop);
  }

  @Override
  protected void doStop() throws Exception {
    Thread t = sweeper;
    if (t != null) {
      t.interrupt();
      t.join(5_000);
    }
    uploads.clear();
    super.doStop();
  }

  private void sweepLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(sweepEvery);
      } catch (InterruptedException e) {
        return;
      }
      uploads.sweep();
    }
  }

  /** Discards the uploads that waited too long for their commit (the sweeper calls it). */
  int sweep() {
    return uploads.sweep();
  }

  /** How many received uploads await their commit. */
  int pendingUploads() {
    return uploads.size();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    String pathQuery = request.getHttpURI().getPathQuery();
    String path = request.getHttpURI().getPath();
    try {
      auth.verify(method, pathQuery, name -> request.getHeaders().get(name));
    } catch (ClusterAuthException e) {
      refuse(new Refusal(Request.getRemoteAddr(request), method, pathQuery, e.reason()));
      return answer(response, callback, 401, "unauthorized\n");
    }
    try {
      return route(request, response, callback, method, path);
    } catch (NoSuchFileException e) {
      response.reset();
      return answer(response, callback, 404, "no such blob\n");
    } catch (IOException | RuntimeException e) {
      LOG.error("internal API: {} {} failed", method, pathQuery, e);
      if (response.isCommitted()) {
        callback.failed(e);
        return true;
      }
      response.reset();
      return answer(response, callback, 500, "internal error\n");
    }
  }

  /**
   * Tells the refusal callback of every TLS handshake that fails on the listener it is added to (a
   * bean of the connector): no client certificate, one from another CA, an expired one. Such a
   * caller never reaches {@link #handle}, so without this it would go unaudited.
   */
  public SslHandshakeListener handshakes() {
    return new SslHandshakeListener() {
      @Override
      public void handshakeFailed(Event event, Throwable failure) {
        SocketAddress remote = event.getEndPoint().getRemoteSocketAddress();
        String address =
            remote instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress()
                : String.valueOf(remote);
        refuse(
            new Refusal(
                address,
                "TLS",
                "",
                "TLS handshake failed: " + String.valueOf(failure.getMessage())));
      }
    };
  }

  private void refuse(Refusal refusal) {
    try {
      refusals.accept(refusal);
    } catch (RuntimeException e) {
      LOG.error("the refusal callback failed on {}", refusal, e);
    }
  }

  private boolean route(
      Request request, Response response, Callback callback, String method, String path)
      throws IOException {
    if (path.equals(Routes.HEALTH)) {
      if (!method.equals("GET")) {
        return answer(response, callback, 405, "method not allowed\n");
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      return answer(response, callback, 200, "{\"node\":" + Routes.quote(node) + "}\n");
    }
    if (path.startsWith(Routes.AUDIT)) {
      return audit(method, path.substring(Routes.AUDIT.length()), response, callback);
    }
    if (!path.startsWith(Routes.VOLUMES)) {
      return answer(response, callback, 404, "not found\n");
    }
    String[] parts = path.substring(Routes.VOLUMES.length()).split("/", -1);
    if (parts.length < 2 || parts.length > 3 || !parts[1].equals("blobs")) {
      return answer(response, callback, 404, "not found\n");
    }
    String volume = Routes.decode(parts[0]);
    BlobStore store = volume == null ? null : volumes.get(volume);
    if (volume == null || store == null) {
      response.getHeaders().put(Routes.ERROR, Routes.NO_SUCH_VOLUME);
      return answer(response, callback, 404, "no such volume\n");
    }
    if (parts.length == 2) {
      if (!method.equals("GET")) {
        return answer(response, callback, 405, "method not allowed\n");
      }
      return list(store, response, callback);
    }
    BlobId id;
    try {
      id = new BlobId(parts[2]);
    } catch (IllegalArgumentException e) {
      return answer(response, callback, 400, "bad blob id\n");
    }
    Fields query = Request.extractQueryParameters(request);
    return switch (method) {
      case "PUT" -> put(volume, store, id, query, request, response, callback);
      case "POST" -> post(volume, id, query, response, callback);
      case "GET" -> get(store, id, request, response, callback);
      case "HEAD" -> head(store, id, response, callback);
      case "DELETE" -> {
        store.delete(id);
        response.setStatus(204);
        callback.succeeded();
        yield true;
      }
      default -> answer(response, callback, 405, "method not allowed\n");
    };
  }

  private boolean put(
      String volume,
      BlobStore store,
      BlobId id,
      Fields query,
      Request request,
      Response response,
      Callback callback)
      throws IOException {
    String token = query.getValue(Routes.UPLOAD);
    if (token == null || !TOKEN.matcher(token).matches()) {
      return answer(response, callback, 400, "missing or malformed upload token\n");
    }
    if (uploads.has(token)) {
      return answer(response, callback, 409, "upload token already in use\n");
    }
    MessageDigest sha = sha256();
    long size = 0;
    boolean held = false;
    BlobWriter writer = store.create(id);
    try (InputStream in = Request.asInputStream(request)) {
      byte[] buf = new byte[BUFFER];
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          LOG.warn("upload of blob {} to volume {} cut short: {}", id, volume, e.toString());
          writer.close();
          return answer(response, callback, 400, "upload body incomplete\n");
        }
        if (n < 0) {
          break;
        }
        sha.update(buf, 0, n);
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
          writer.write(b);
        }
        size += n;
      }
      String hex = HEX.formatHex(sha.digest());
      held = uploads.hold(token, new Upload(volume, id, writer, hex, size, uploads.now()));
      if (!held) {
        writer.close();
        return answer(response, callback, 409, "upload token already in use\n");
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      return answer(response, callback, 200, Routes.receipt(hex, size));
    } finally {
      if (!held) {
        writer.close(); // closing again is harmless: a channel's close is idempotent
      }
    }
  }

  private boolean post(String volume, BlobId id, Fields query, Response response, Callback callback)
      throws IOException {
    String abort = query.getValue(Routes.ABORT);
    if (abort != null) {
      Upload u = uploads.take(abort);
      if (u != null) {
        PendingUploads.discard(u);
      }
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    String token = query.getValue(Routes.COMMIT);
    String expected = query.getValue(Routes.SHA256);
    if (token == null || expected == null || !SHA256_HEX.matcher(expected).matches()) {
      return answer(response, callback, 400, "commit needs an upload token and a sha256\n");
    }
    Upload u = uploads.take(token);
    if (u == null) {
      return answer(response, callback, 404, "no such upload (expired, aborted or committed)\n");
    }
    if (!u.volume().equals(volume) || !u.id().equals(id)) {
      PendingUploads.discard(u);
      return answer(response, callback, 409, "upload token belongs to another blob\n");
    }
    if (!u.sha256().equals(expected.toLowerCase(Locale.ROOT))) {
      LOG.warn(
          "upload of blob {} to volume {} discarded: sender's sha256 {}, received {}",
          id,
          volume,
          expected,
          u.sha256());
      PendingUploads.discard(u);
      return answer(response, callback, 409, "sha256 mismatch; upload discarded\n");
    }
    try {
      u.writer().commit();
    } catch (IOException | RuntimeException e) {
      PendingUploads.discard(u);
      throw e;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    return answer(response, callback, 200, Routes.receipt(u.sha256(), u.size()));
  }

  private boolean get(
      BlobStore store, BlobId id, Request request, Response response, Callback callback)
      throws IOException {
    try (SeekableByteChannel channel = store.open(id)) {
      long size = channel.size();
      long from = 0;
      long to = size - 1;
      String range = request.getHeaders().get(HttpHeader.RANGE);
      response.getHeaders().put(Routes.BLOB_SIZE, size);
      if (range != null) {
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
          return answer(response, callback, 400, "unsupported range\n");
        }
        from = Long.parseLong(m.group(1));
        if (m.group(2) != null) {
          to = Math.min(to, Long.parseLong(m.group(2)));
        }
        if (from >= size || to < from) {
          response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
          return answer(response, callback, 416, "range not satisfiable\n");
        }
        response.setStatus(206);
        response
            .getHeaders()
            .put(HttpHeader.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + size);
      } else {
        response.setStatus(200);
      }
      long length = to - from + 1;
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
      channel.position(from);
      try (OutputStream out = Content.Sink.asOutputStream(response)) {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long left = length;
        while (left > 0) {
          buf.clear().limit((int) Math.min(BUFFER, left));
          int n = channel.read(buf);
          if (n < 0) {
            throw new IOException(
                "blob " + store.describe(id) + " ended " + left + " bytes before its size");
          }
          out.write(buf.array(), 0, n);
          left -= n;
        }
      }
      callback.succeeded();
      return true;
    }
  }

  private boolean audit(String method, String segment, Response response, Callback callback)
      throws IOException {
    if (!method.equals("GET")) {
      return answer(response, callback, 405, "method not allowed\n");
    }
    String chain = Routes.decode(segment);
    if (chain == null || !CHAIN.matcher(chain).matches()) {
      return answer(response, callback, 400, "not an audit chain name\n");
    }
    ChainExports exports = audit;
    if (exports == null) {
      return answer(response, callback, 404, "this node serves no audit trail\n");
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      exports.export(chain, out);
    }
    callback.succeeded();
    return true;
  }

  private boolean head(BlobStore store, BlobId id, Response response, Callback callback)
      throws IOException {
    long size;
    try (SeekableByteChannel channel = store.open(id)) {
      size = channel.size();
    }
    response.setStatus(200);
    response.getHeaders().put(Routes.BLOB_SIZE, size);
    callback.succeeded();
    return true;
  }

  private boolean list(BlobStore store, Response response, Callback callback) throws IOException {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    try (Writer out =
        new BufferedWriter(
            new OutputStreamWriter(Content.Sink.asOutputStream(response), StandardCharsets.UTF_8),
            BUFFER)) {
      store.forEach(
          id -> {
            try {
              out.write(id.value());
              out.write('\n');
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    callback.succeeded();
    return true;
  }

  private static boolean answer(
      Response response, Callback callback, int status, String plainBody) {
    byte[] bytes = plainBody.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    if (!response.getHeaders().contains(HttpHeader.CONTENT_TYPE)) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
