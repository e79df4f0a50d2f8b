package fr.coffre.audit;

import fr.coffre.audit.LineReader.Line;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One node's part of a bundle, read as a stream of its own: the lines of the bundle up to (not
 * including) the next line that frames a part or closes the bundle. The verifier of a single export
 * reads it as if it were a file of its own; the line that ended it is kept for the bundle's reader.
 * The first and last lines are kept too (the export header and the final checkpoint), to compare
 * with what the bundle's closing line lists.
 */
final class PartStream extends InputStream {
  private static final byte[] PART = bytes("{\"type\":\"part\"");
  private static final byte[] END = bytes("{\"type\":\"bundle-end\"");

  private final LineReader bundle;
  private byte[] current = new byte[0];
  private int pos;
  private boolean loaded;
  private boolean ended;
  private @Nullable Line stopper;
  private @Nullable Line first;
  private @Nullable Line last;

  PartStream(LineReader bundle) {
    this.bundle = bundle;
  }

  /** Whether {@code l} frames a part or closes the bundle. */
  static boolean framing(Line l) {
    return startsWith(l.bytes(), PART) || startsWith(l.bytes(), END);
  }

  static boolean closing(Line l) {
    return startsWith(l.bytes(), END);
  }

  /** The part's first line (its export header), read ahead if needed; null for an empty part. */
  @Nullable Line first() throws IOException {
    if (first == null && !ended) {
      load();
    }
    return first;
  }

  /** The part's last line read so far (after {@link #drain()}: its last line). */
  @Nullable Line last() {
    return last;
  }

  /** The bundle's line that ended this part, or null at the end of the file. */
  @Nullable Line stopper() {
    return stopper;
  }

  /** Reads what is left of the part (a verification stops at its first problem). */
  void drain() throws IOException {
    while (!ended) {
      pos = current.length;
      loaded = false;
      load();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos >= current.length) {
      if (ended) {
        return -1;
      }
      loaded = false;
      load();
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Loads the next line of the part into {@code current}, unless one is loaded and unread. */
  private void load() throws IOException {
    if (loaded || ended) {
      return;
    }
    Line l = bundle.next();
    if (l == null || framing(l)) {
      stopper = l;
      ended = true;
      current = new byte[0];
      pos = 0;
      return;
    }
    if (first == null) {
      first = l;
    }
    last = l;
    // A line too long to keep is passed on empty: the part's verifier reports it as malformed.
    byte[] b = l.bytes();
    current = l.terminated() ? Arrays.copyOf(b, b.length + 1) : b;
    if (l.terminated()) {
      current[b.length] = '\n';
    }
    pos = 0;
    loaded = true;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length
        && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
