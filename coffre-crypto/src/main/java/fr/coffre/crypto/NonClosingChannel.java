package fr.coffre.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** Lets the encrypting channel be closed (to write its last segment) without closing the blob. */
final class NonClosingChannel implements WritableByteChannel {
  private final WritableByteChannel out;
  private boolean open = true;

  NonClosingChannel(WritableByteChannel out) {
    this.out = out;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return out.write(src);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
