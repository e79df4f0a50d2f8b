package fr.coffre.cluster;

import fr.coffre.core.BlobId;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import org.jspecify.annotations.Nullable;

/**
 * A committed blob on a peer, read with ranged GETs: one response is streamed while reads follow
 * each other, and a seek elsewhere drops it and asks from the new position at the next read. The
 * size is the one the peer gave when the channel opened (blobs never change after commit).
 */
final class RemoteChannel implements SeekableByteChannel {
  private final RemoteBlobStore store;
  private final BlobId id;
  private final long size;
  private long position;
  private @Nullable ResponseStream body;
  private long bodyPosition;
  private boolean open = true;

  RemoteChannel(RemoteBlobStore store, BlobId id, long size) {
    this.store = store;
    this.id = id;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (position >= size) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    ResponseStream b = body;
    if (b == null || bodyPosition != position) {
      dropBody();
      b = openFrom(position);
      body = b;
      bodyPosition = position;
    }
    int n = b.read(dst);
    if (n < 0) {
      dropBody();
      throw new IOException(
          "reading blob "
              + store.describe(id)
              + ": the peer's answer ended at "
              + position
              + " of "
              + size
              + " bytes");
    }
    position += n;
    bodyPosition += n;
    return n;
  }

  private ResponseStream openFrom(long from) throws IOException {
    String what = "reading blob " + store.describe(id);
    HttpResponse<ResponseStream> r =
        store.await(
            store.send(
                store
                    .request("GET", Routes.blob(store.volume(), id))
                    .header("Range", "bytes=" + from + "-"),
                info -> store.stream(what)),
            what);
    ResponseStream stream = r.body();
    if (r.statusCode() == 206
        && r.headers().firstValue("Content-Range").orElse("").startsWith("bytes " + from + "-")) {
      return stream;
    }
    if (r.statusCode() == 404 && !RemoteBlobStore.missingVolume(r)) {
      stream.close();
      throw new NoSuchFileException(store.describe(id));
    }
    throw store.failure(what + " from " + from, r, stream.prefix(200));
  }

  private void dropBody() {
    ResponseStream b = body;
    if (b != null) {
      b.close();
      body = null;
    }
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    dropBody();
  }

  private void ensureOpen() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
