package fr.coffre.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The durable queue of webhook deliveries: one file per delivery (one event for one target) in
 * {@code DATA/notifications/outbox}, written to a temporary name, fsynced, renamed into place and
 * the directory fsynced, so that an entry either exists whole or not at all after a crash. An entry
 * is deleted once its target acknowledged it; a crash between the acknowledgement and the delete
 * delivers it again (at least once). Names sort in the order entries were added.
 *
 * <p>File format: line 1 the target's name, line 2 the entry id, the rest the JSON body to post.
 */
final class EventOutbox {
  private static final String SUFFIX = ".event";

  /** One pending delivery. */
  record Entry(Path file, String id, String target, byte[] body) {}

  private final Path dir;
  private final AtomicLong sequence;

  EventOutbox(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().endsWith(".tmp")) {
          Files.delete(p); // never renamed into place: its enqueue did not complete
        }
      }
    }
    // Ids continue after the newest entry and after the clock, so they sort after what is there.
    long last = 0;
    for (Path p : names()) {
      last = Math.max(last, Long.parseLong(p.getFileName().toString().replace(SUFFIX, ""), 16));
    }
    this.sequence = new AtomicLong(Math.max(last, System.currentTimeMillis() * 1_000_000L));
  }

  /** A new entry id (16 hex digits, increasing), for {@link #add}. */
  String newId() {
    return String.format("%016x", sequence.incrementAndGet());
  }

  /** Adds a delivery under an id from {@link #newId}, durable when this returns. */
  void add(String id, String target, byte[] body) {
    Path tmp = dir.resolve(id + ".tmp");
    Path file = dir.resolve(id + SUFFIX);
    byte[] head = (target + "\n" + id + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the outbox's file system cannot rename atomically", e);
      }
      syncDirectory();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // removed at the next start
      }
      throw new UncheckedIOException("the notification outbox could not be written", e);
    }
  }

  /** The pending deliveries, oldest first. */
  List<Entry> pending() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (Path p : names()) {
      byte[] all;
      try {
        all = Files.readAllBytes(p);
      } catch (NoSuchFileException e) {
        continue;
      }
      int first = indexOf(all, 0);
      int second = indexOf(all, first + 1);
      if (first < 0 || second < 0) {
        throw new IOException("outbox entry " + p + " is damaged (no header lines)");
      }
      String target = new String(all, 0, first, StandardCharsets.UTF_8);
      String id = new String(all, first + 1, second - first - 1, StandardCharsets.UTF_8);
      byte[] body = Arrays.copyOfRange(all, second + 1, all.length);
      entries.add(new Entry(p, id, target, body));
    }
    return entries;
  }

  /** Removes a delivered entry. */
  void remove(Entry e) throws IOException {
    Files.deleteIfExists(e.file());
  }

  /** How many deliveries wait. */
  int size() throws IOException {
    return names().size();
  }

  private List<Path> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  private static int indexOf(byte[] a, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void syncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
