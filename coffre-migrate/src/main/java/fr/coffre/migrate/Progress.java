package fr.coffre.migrate;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * One line of progress on a terminal, rewritten in place: objects, bytes, rate and time left.
 * Silent when disabled (not a terminal, or --quiet).
 */
public final class Progress {
  private final PrintStream out;
  private final boolean enabled;
  private final String verb;
  private final long startNanos = System.nanoTime();
  private long totalObjects;
  private long totalBytes;
  private long objects;
  private long bytes;
  private long lastPrint;
  private boolean printed;

  public Progress(PrintStream out, boolean enabled, String verb) {
    this.out = out;
    this.enabled = enabled;
    this.verb = verb;
  }

  /** A progress that prints nothing. */
  public static Progress silent() {
    return new Progress(System.err, false, "");
  }

  void plan(long objectCount, long byteCount) {
    totalObjects = objectCount;
    totalBytes = byteCount;
  }

  synchronized void bytes(long n) {
    bytes += n;
    print(false);
  }

  synchronized void objectDone() {
    objects++;
    print(false);
  }

  synchronized void finish() {
    if (printed) {
      print(true);
      out.println();
    }
  }

  private void print(boolean force) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastPrint < 250_000_000L) {
      return;
    }
    lastPrint = now;
    printed = true;
    double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
    double rate = bytes / seconds;
    String left =
        rate > 0 && totalBytes > bytes
            ? format(Duration.ofSeconds((long) ((totalBytes - bytes) / rate)))
            : "-";
    out.print(
        String.format(
            Locale.ROOT,
            "\r%s: %d/%d objects, %s/%s, %s/s, %s left   ",
            verb,
            objects,
            totalObjects,
            size(bytes),
            size(totalBytes),
            size((long) rate),
            left));
    out.flush();
  }

  static String size(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String format(Duration d) {
    return String.format(
        Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }
}
