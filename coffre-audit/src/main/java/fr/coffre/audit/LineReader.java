package fr.coffre.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Splits one stream, or a list of files one after the other, into lines of raw bytes. */
final class LineReader implements Closeable {
  /** Longer lines are reported as malformed (and not kept). */
  static final int MAX_LINE = 32 << 20;

  /** One line as read: its bytes without the {@code \n}. */
  record Line(int segment, long number, byte[] bytes, boolean terminated, boolean tooLong) {
    /** Where a line is, as one long: its segment (0 for an export) and its 1-based number in it. */
    static long location(int segment, long number) {
      return ((long) segment << 40) | number;
    }

    long location() {
      return location(segment, number);
    }
  }

  private final @Nullable Iterator<Path> files;
  private @Nullable InputStream in;
  private int segment = -1;
  private long number;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;
  private byte[] acc = new byte[1024];

  LineReader(InputStream in) {
    this.files = null;
    this.in = in;
    this.segment = 0;
  }

  LineReader(List<Path> files) {
    this.files = files.iterator();
  }

  /** The next line, or null after the last one. */
  @Nullable Line next() throws IOException {
    while (true) {
      if (in == null) {
        if (files == null || !files.hasNext()) {
          return null;
        }
        in = Files.newInputStream(files.next());
        segment++;
        number = 0;
        pos = 0;
        lim = 0;
      }
      Line line = read(in);
      if (line != null) {
        return line;
      }
      if (files == null) {
        return null;
      }
      in.close();
      in = null;
    }
  }

  private @Nullable Line read(InputStream from) throws IOException {
    int len = 0;
    boolean tooLong = false;
    boolean any = false;
    while (true) {
      if (pos == lim) {
        int n = from.read(buf);
        if (n < 0) {
          return any ? line(len, false, tooLong) : null;
        }
        pos = 0;
        lim = n;
      }
      any = true;
      int end = pos;
      while (end < lim && buf[end] != '\n') {
        end++;
      }
      int chunk = end - pos;
      if (!tooLong && len + (long) chunk > MAX_LINE) {
        tooLong = true;
      }
      if (!tooLong) {
        if (len + chunk > acc.length) {
          acc = Arrays.copyOf(acc, Math.max(len + chunk, Math.min(MAX_LINE, acc.length * 2)));
        }
        System.arraycopy(buf, pos, acc, len, chunk);
        len += chunk;
      }
      if (end < lim) {
        pos = end + 1;
        return line(len, true, tooLong);
      }
      pos = lim;
    }
  }

  private Line line(int len, boolean terminated, boolean tooLong) {
    number++;
    return new Line(
        segment, number, tooLong ? new byte[0] : Arrays.copyOf(acc, len), terminated, tooLong);
  }

  @Override
  public void close() throws IOException {
    if (in != null && files != null) {
      in.close();
    }
  }
}
