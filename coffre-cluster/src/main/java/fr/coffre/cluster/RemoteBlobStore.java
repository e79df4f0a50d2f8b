package fr.coffre.cluster;

import fr.coffre.core.BlobId;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.BlobWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One volume of a peer node, seen through that node's {@link BlobServer}: a {@link BlobStore} like
 * a local one, so placement can name it beside local volumes.
 *
 * <p><b>Guarantees.</b> A write is streamed to the peer as it is written (never held whole) and
 * hashed on the way; {@link BlobWriter#commit()} returns only once the peer has confirmed that it
 * received exactly the bytes sent (same SHA-256 and size) and has committed them durably, so the
 * durability contract of {@link BlobStore} holds across the network. A writer closed without
 * commit, or a sender that dies, leaves nothing visible on the peer. Every request waits at most
 * the read timeout for progress (headers, body data, demand for more body), so a dead or stalled
 * peer becomes an {@link IOException} naming the volume and the peer, never a hang.
 *
 * <p>The peer's address is asked for at each request (nodes move and restart); a null address means
 * the node is unknown or down. The HTTP client is shared, so closing this store closes nothing.
 * Temporaries are the peer's to clean: {@link #removeTemporaries()} does nothing.
 */
public final class RemoteBlobStore implements BlobStore {
  /** How long any request may wait without progress. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final String volume;
  private final Supplier<@Nullable URI> peer;
  private final String localNode;
  private final ClusterAuth auth;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param volume the name of the volume on the peer
   * @param peer the peer's current base address ({@code http://host:port}), or null when the node
   *     is unknown or down
   * @param localNode this node's name, which the peer authenticates
   * @param http the node's shared client ({@link ClusterHttp#client()})
   */
  public RemoteBlobStore(
      String volume,
      Supplier<@Nullable URI> peer,
      String localNode,
      ClusterAuth auth,
      HttpClient http) {
    this(volume, peer, localNode, auth, http, READ_TIMEOUT);
  }

  RemoteBlobStore(
      String volume,
      Supplier<@Nullable URI> peer,
      String localNode,
      ClusterAuth auth,
      HttpClient http,
      Duration timeout) {
    this.volume = volume;
    this.peer = peer;
    this.localNode = localNode;
    this.auth = auth;
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public BlobWriter create(BlobId id) throws IOException {
    return new RemoteWriter(this, id);
  }

  @Override
  public SeekableByteChannel open(BlobId id) throws IOException {
    return new RemoteChannel(this, id, size(id));
  }

  @Override
  public boolean exists(BlobId id) throws IOException {
    HttpResponse<String> r = call("HEAD", Routes.blob(volume, id), id);
    if (r.statusCode() == 200) {
      return true;
    }
    if (r.statusCode() == 404 && !missingVolume(r)) {
      return false;
    }
    throw failure("HEAD " + describe(id), r, r.body());
  }

  private long size(BlobId id) throws IOException {
    HttpResponse<String> r = call("HEAD", Routes.blob(volume, id), id);
    if (r.statusCode() == 404 && !missingVolume(r)) {
      throw new NoSuchFileException(describe(id));
    }
    if (r.statusCode() != 200) {
      throw failure("HEAD " + describe(id), r, r.body());
    }
    return blobSize(r, "HEAD " + describe(id));
  }

  @Override
  public void delete(BlobId id) throws IOException {
    HttpResponse<String> r = call("DELETE", Routes.blob(volume, id), id);
    if (r.statusCode() != 204 && r.statusCode() != 200) {
      throw failure("DELETE " + describe(id), r, r.body());
    }
  }

  @Override
  public void forEach(Consumer<BlobId> visitor) throws IOException {
    String what = "listing volume " + volume + " at " + where();
    HttpResponse<ResponseStream> r =
        await(send(request("GET", Routes.blobs(volume)).GET(), info -> stream(what)), what);
    try (ResponseStream body = r.body()) {
      if (r.statusCode() != 200) {
        throw failure(what, r, body.prefix(200));
      }
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(body.asInputStream(), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        BlobId id;
        try {
          id = new BlobId(line);
        } catch (IllegalArgumentException e) {
          throw new IOException(what + ": not a blob id in the listing", e);
        }
        visitor.accept(id);
      }
    }
  }

  /** Does nothing: the peer removes its own temporaries when it starts. */
  @Override
  public void removeTemporaries() {}

  @Override
  public String describe(BlobId id) {
    return where() + "/" + volume + "/" + id.value();
  }

  @Override
  public List<String> volumes() {
    return List.of(volume);
  }

  /** Closes nothing: the HTTP client is shared by the node. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "RemoteBlobStore[" + where() + "/" + volume + "]";
  }

  // The plumbing that RemoteWriter and RemoteChannel share.

  String volume() {
    return volume;
  }

  Duration timeout() {
    return timeout;
  }

  /** The peer's address for messages, or a note that it is unknown. */
  String where() {
    URI base = peer.get();
    return base == null ? "(unknown node)" : base.getAuthority();
  }

  ResponseStream stream(String what) {
    return new ResponseStream(timeout, what);
  }

  /** A signed request to the peer without a body. */
  HttpRequest.Builder request(String method, String pathAndQuery) throws IOException {
    return request(method, pathAndQuery, BodyPublishers.noBody());
  }

  /**
   * A signed request without a body whose answer is small: the client itself gives up after the
   * timeout, so one sent without waiting for it (an abort) cannot stay pending on a stalled peer.
   * Not for streamed answers, whose body would outlive the timeout.
   */
  HttpRequest.Builder small(String method, String pathAndQuery) throws IOException {
    return request(method, pathAndQuery).timeout(timeout);
  }

  HttpRequest.Builder request(String method, String pathAndQuery, BodyPublisher body)
      throws IOException {
    URI base = peer.get();
    if (base == null) {
      throw new ConnectException(
          "volume " + volume + ": its node is unreachable (no known address)");
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).method(method, body);
    auth.sign(method, pathAndQuery, localNode).forEach(b::header);
    return b;
  }

  <T> CompletableFuture<HttpResponse<T>> send(HttpRequest.Builder request, BodyHandler<T> handler) {
    return http.sendAsync(request.build(), handler);
  }

  /** A small request whose whole answer is read within the timeout. */
  private HttpResponse<String> call(String method, String path, BlobId id) throws IOException {
    return await(send(small(method, path), BodyHandlers.ofString()), method + " " + describe(id));
  }

  /** Waits for an answer (its headers, or all of it for a small body) at most the timeout. */
  <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> answer, String what)
      throws IOException {
    try {
      return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new HttpTimeoutException(what + ": no answer within " + timeout);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + ": interrupted");
    } catch (ExecutionException e) {
      throw unreachable(what, e.getCause());
    }
  }

  /** A failed exchange as an IOException that names the volume and the peer. */
  IOException unreachable(String what, @Nullable Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return new ConnectException(
          "volume "
              + volume
              + ": node at "
              + where()
              + " unreachable ("
              + cause.getMessage()
              + ")");
    }
    if (cause instanceof HttpTimeoutException t) {
      return new HttpTimeoutException(what + ": " + t.getMessage());
    }
    return new IOException(what + " failed: " + cause, cause);
  }

  /** An answer other than the expected one, as an IOException. */
  IOException failure(String what, HttpResponse<?> r, String body) {
    String detail = body.isEmpty() ? "" : ": " + body.lines().findFirst().orElse("");
    if (r.statusCode() == 401) {
      return new IOException(
          what
              + ": refused by the peer (401); check that both nodes share the cluster secret and"
              + " that their clocks agree");
    }
    if (missingVolume(r)) {
      return new IOException(what + ": node at " + where() + " serves no volume " + volume);
    }
    return new IOException(what + ": the peer answered " + r.statusCode() + detail);
  }

  /** Whether a 404 means the peer serves no such volume (rather than no such blob). */
  static boolean missingVolume(HttpResponse<?> r) {
    return r.headers().firstValue(Routes.ERROR).orElse("").equals(Routes.NO_SUCH_VOLUME);
  }

  static long blobSize(HttpResponse<?> r, String what) throws IOException {
    try {
      return Long.parseLong(r.headers().firstValue(Routes.BLOB_SIZE).orElse(""));
    } catch (NumberFormatException e) {
      throw new IOException(what + ": answer without a valid " + Routes.BLOB_SIZE + " header");
    }
  }
}
