package fr.coffre.cluster;

import fr.coffre.core.BlobId;
import fr.coffre.storage.BlobWriter;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blob written to a peer: the PUT starts when the writer is made and its body is what is written,
 * hashed on the way; {@link #commit()} ends the body, checks that the peer received the same
 * SHA-256 and size, then asks the peer to commit and returns on its 200 (the blob is durable
 * there). Sequential: a file format that seeks back to patch a header cannot use it.
 *
 * <p>Closing without a commit fails the body, so the client aborts the request mid-stream and the
 * peer discards what it got; an abort request follows, best effort, for the case where the body had
 * already arrived. Either way the peer's sweeper discards an upload never committed.
 */
final class RemoteWriter implements BlobWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriter.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern SHA256 = Pattern.compile("\"sha256\":\"([0-9a-f]{64})\"");
  private static final Pattern SIZE = Pattern.compile("\"size\":(\\d{1,19})");

  private final RemoteBlobStore store;
  private final BlobId id;
  private final String token;
  private final String what;
  private final BodyPipe body;
  private final CompletableFuture<HttpResponse<String>> put;
  private final MessageDigest sha = BlobServer.sha256();
  private long size;
  private boolean done;

  RemoteWriter(RemoteBlobStore store, BlobId id) throws IOException {
    this.store = store;
    this.id = id;
    byte[] t = new byte[16];
    RANDOM.nextBytes(t);
    this.token = HEX.formatHex(t);
    this.what = "writing blob " + store.describe(id);
    this.body = new BodyPipe(store.timeout(), what);
    String path = Routes.blob(store.volume(), id) + "?" + Routes.UPLOAD + "=" + token;
    this.put =
        store.send(
            store.request("PUT", path, BodyPublishers.fromPublisher(body)),
            BodyHandlers.ofString());
    // The body stops as soon as the PUT ends (the peer answered early, or the exchange failed).
    CompletableFuture<?> unused =
        put.whenComplete(
            (r, e) -> {
              if (e != null) {
                body.fail(store.unreachable(what, unwrap(e)));
              } else {
                body.fail(store.failure(what, r, r.body()));
              }
            });
  }

  private static @Nullable Throwable unwrap(Throwable e) {
    return e instanceof CompletionException c ? c.getCause() : e;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ensureOpen();
    int n = src.remaining();
    ByteBuffer copy = ByteBuffer.allocate(n).put(src).flip();
    sha.update(copy.duplicate());
    try {
      body.send(copy);
    } catch (IOException e) {
      close();
      throw e;
    }
    size += n;
    return n;
  }

  @Override
  public void commit() throws IOException {
    ensureOpen();
    String localSha = HEX.formatHex(sha.digest());
    try {
      body.complete();
      HttpResponse<String> received = store.await(put, what);
      if (received.statusCode() != 200) {
        throw store.failure(what, received, received.body());
      }
      Matcher s = SHA256.matcher(received.body());
      Matcher z = SIZE.matcher(received.body());
      if (!s.find() || !z.find()) {
        throw new IOException(what + ": the peer's receipt is malformed");
      }
      if (!s.group(1).equals(localSha) || Long.parseLong(z.group(1)) != size) {
        throw new IOException(
            what
                + ": the peer received "
                + z.group(1)
                + " bytes with SHA-256 "
                + s.group(1)
                + ", sent "
                + size
                + " bytes with SHA-256 "
                + localSha);
      }
      String path =
          Routes.blob(store.volume(), id)
              + "?"
              + Routes.COMMIT
              + "="
              + token
              + "&"
              + Routes.SHA256
              + "="
              + localSha;
      HttpResponse<String> committed =
          store.await(store.send(store.small("POST", path), BodyHandlers.ofString()), what);
      if (committed.statusCode() != 200) {
        throw store.failure(what + " (commit)", committed, committed.body());
      }
      done = true;
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    body.fail(new IOException(what + ": aborted by the writer"));
    put.cancel(true);
    try {
      String path = Routes.blob(store.volume(), id) + "?" + Routes.ABORT + "=" + token;
      CompletableFuture<?> unused =
          store
              .send(store.small("POST", path), BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    if (e != null) {
                      LOG.debug("{}: abort not delivered ({}); the peer's sweeper will", what, e);
                    }
                  });
    } catch (IOException | RuntimeException e) {
      LOG.debug("{}: abort not sent ({}); the peer's sweeper will discard it", what, e.toString());
    }
  }

  private void ensureOpen() throws IOException {
    if (done) {
      throw new IOException(what + ": writer already committed or closed");
    }
  }

  @Override
  public int read(ByteBuffer dst) {
    throw new NonReadableChannelException();
  }

  @Override
  public long position() {
    return size;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    if (newPosition != size) {
      throw new UnsupportedOperationException(
          what
              + ": a remote blob is written sequentially (at "
              + size
              + ", not "
              + newPosition
              + ")");
    }
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new UnsupportedOperationException(what + ": a remote blob cannot be truncated");
  }

  @Override
  public boolean isOpen() {
    return !done;
  }
}
