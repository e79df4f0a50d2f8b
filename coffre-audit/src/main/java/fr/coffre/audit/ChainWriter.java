package fr.coffre.audit;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.core.AuditEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain's segments: appends records and checkpoints to the current segment, rolls segments, and
 * after a crash recovers the head (seq, hash) from the last segment. Used only from the audit
 * writer thread: nothing here is thread-safe.
 *
 * <p><b>Guarantees.</b> After {@link AuditLog} syncs, every line up to the head is on disk and
 * valid JSON chained to the previous one. A batch that fails halfway is cut back to the last synced
 * length, so a failed write never leaves half a line for the next record to chain onto. At start, a
 * segment's unfinished tail (a crash between write and sync) is moved aside into a {@code
 * .torn-<ms>} file and reported, never silently dropped or silently kept: the verifier would
 * otherwise flag the chain as broken at that point forever.
 *
 * <p><b>What breaks if you change it.</b> Appending without tracking the synced length makes a
 * failed batch corrupt the chain; truncating the torn tail instead of moving it aside destroys the
 * evidence an auditor needs; reordering roll and checkpoint lets a segment end without the signed
 * head the offline verifier expects (docs/audit-format.md).
 */
final class ChainWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChainWriter.class);
  static final String SUFFIX = ".jsonl";

  private final String chain;
  private final Path dir;

  // channel, segment, hash and durableHash are set by open(), before the writer is handed out.
  @SuppressWarnings("NullAway.Init")
  private FileChannel channel;

  @SuppressWarnings("NullAway.Init")
  private Path segment;

  // What is on disk and fsynced, to roll back to when a batch fails.
  private long durableSize;
  private long durableSeq;

  @SuppressWarnings("NullAway.Init")
  private String durableHash;

  // The head including records written but not yet fsynced.
  private long size;
  private long seq;

  @SuppressWarnings("NullAway.Init")
  private String hash;

  private long checkpointedSeq;
  private boolean dirty;
  private boolean newFile;

  // The latest time written on a line recovered at open (record or checkpoint), or null.
  private @Nullable Instant newestRecovered;

  private ChainWriter(String chain, Path dir) {
    this.chain = chain;
    this.dir = dir;
  }

  /** Opens a chain directory, creating it, and recovers its head from the last segment. */
  static ChainWriter open(String chain, Path dir, Clock clock, List<String> notices)
      throws IOException {
    ChainWriter w = new ChainWriter(chain, dir);
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try (FileChannel parent = FileChannel.open(dir.getParent(), StandardOpenOption.READ)) {
        parent.force(true); // the new chain's directory entry survives a power loss
      }
    }
    List<Path> segments = segments(dir);
    // A crash while a segment was being started leaves it empty or with an unfinished anchor: it
    // holds no record, so it is moved aside and the previous segment continues.
    while (segments.size() > 1 && !startsWithCompleteLine(segments.get(segments.size() - 1))) {
      Path unfinished = segments.remove(segments.size() - 1);
      Path aside = unfinished.resolveSibling(unfinished.getFileName() + ".torn-" + clock.millis());
      Files.move(unfinished, aside);
      notices.add(
          "audit chain "
              + chain
              + ": segment "
              + unfinished.getFileName()
              + " was being started when the"
              + " server stopped; moved to "
              + aside.getFileName());
    }
    if (segments.isEmpty()) {
      w.segment = dir.resolve(name(1));
      w.channel =
          FileChannel.open(w.segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      w.seq = 0;
      w.hash = AuditLines.ZERO_HASH;
      w.newFile = true;
      w.dirty = false;
    } else {
      w.segment = segments.get(segments.size() - 1);
      w.recover(clock, notices);
    }
    w.markDurable();
    return w;
  }

  String chain() {
    return chain;
  }

  long seq() {
    return seq;
  }

  String hash() {
    return hash;
  }

  /** Whether records were appended since the last checkpoint. */
  boolean needsCheckpoint() {
    return seq != checkpointedSeq;
  }

  long segmentSize() {
    return size;
  }

  Path segment() {
    return segment;
  }

  /** Appends a record (not yet durable). */
  void append(AuditEvent event) throws IOException {
    String[] h = new String[1];
    byte[] line = EventLines.record(chain, seq + 1, hash, event, h);
    writeLine(line);
    seq++;
    hash = h[0];
  }

  /** Appends a checkpoint of the current head (not yet durable). */
  void checkpoint(Instant at, Signer signer) throws IOException {
    byte[] line = EventLines.checkpoint(chain, seq, hash, at, false, signer);
    writeLine(line);
    checkpointedSeq = seq;
    lastCheckpoint = line;
  }

  private byte @Nullable [] lastCheckpoint;

  /**
   * Closes the current segment with a checkpoint and starts the next one with a copy of it (the
   * anchor), so that the next segment verifies on its own once this one has expired.
   */
  void roll(Instant at, Signer signer) throws IOException {
    checkpoint(at, signer);
    byte[] anchorLine = Objects.requireNonNull(lastCheckpoint); // just written
    force();
    // The next segment is complete (anchor written and fsynced) before the current one is left:
    // a failure here keeps appending to the current segment.
    Path next = dir.resolve(name(seq + 1));
    FileChannel nextChannel =
        FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteBuffer anchor =
          ByteBuffer.allocate(anchorLine.length + 1).put(anchorLine).put((byte) '\n').flip();
      while (anchor.hasRemaining()) {
        nextChannel.write(anchor);
      }
      nextChannel.force(false);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (IOException | RuntimeException e) {
      nextChannel.close();
      Files.deleteIfExists(next);
      throw e;
    }
    channel.close();
    channel = nextChannel;
    segment = next;
    size = anchorLine.length + 1;
    markDurable();
  }

  /** Whether this chain has bytes written since the last {@link #force()}. */
  boolean dirty() {
    return dirty;
  }

  /** Makes everything written durable: the file, and the directory when the file is new. */
  void force() throws IOException {
    if (dirty) {
      channel.force(false);
      dirty = false;
    }
    if (newFile) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
      newFile = false;
    }
    markDurable();
  }

  /** Forgets what was written since the last {@link #force()} (a failed batch). */
  void rollBack() {
    try {
      channel.truncate(durableSize);
      channel.position(durableSize);
    } catch (IOException e) {
      // Unknown bytes may follow the last durable line: nothing more is appended until a restart
      // recovers the chain (an unfinished tail is moved aside then).
      broken = true;
      LOG.error(
          "audit chain {}: cannot roll back {} to {} bytes, the chain stops until restart: {}",
          chain,
          segment,
          durableSize,
          e.toString());
    }
    size = durableSize;
    seq = durableSeq;
    hash = durableHash;
    checkpointedSeq = durableCheckpointedSeq;
    dirty = false;
  }

  private long durableCheckpointedSeq;

  private void markDurable() {
    durableCheckpointedSeq = checkpointedSeq;
    durableSize = size;
    durableSeq = seq;
    durableHash = hash;
  }

  private boolean broken;

  private void writeLine(byte[] line) throws IOException {
    if (broken) {
      throw new IOException(
          "audit chain " + chain + " could not be rolled back after a failed write");
    }
    ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    size += line.length + 1;
    dirty = true;
  }

  /**
   * Reads the last segment back: every complete line must be a valid record or checkpoint of this
   * chain, linked to the one before. An unfinished tail (a line cut by a crash, or zeros) is moved
   * aside into a {@code .torn} file and reported; an invalid line followed by valid ones means the
   * segment was altered, and the chain is refused.
   */
  private void recover(Clock clock, List<String> notices) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    long good = 0;
    seq = -1; // no head yet: hash is not read until a line sets both
    int start = 0;
    int lineNo = 0;
    String badReason = null;
    long badAt = -1;
    while (start < bytes.length) {
      int nl = indexOf(bytes, (byte) '\n', start);
      lineNo++;
      if (nl < 0) {
        badReason = badReason == null ? "an unfinished line" : badReason;
        badAt = badAt < 0 ? start : badAt;
        break;
      }
      byte[] line = Arrays.copyOfRange(bytes, start, nl);
      String problem = accept(line);
      if (problem != null) {
        if (badReason == null) {
          badReason = "line " + lineNo + ": " + problem;
          badAt = start;
        }
      } else if (badReason != null) {
        throw new IllegalStateException(
            "audit chain "
                + chain
                + " is altered in "
                + segment
                + " ("
                + badReason
                + ") with valid lines after it; run `coffre audit verify "
                + dir
                + "` and keep the directory for"
                + " investigation: the server will not append to a broken chain");
      }
      start = nl + 1;
    }
    if (seq < 0) {
      // No record nor anchor: a first segment that never got its first line.
      seq = 0;
      hash = AuditLines.ZERO_HASH;
      if (!segment.getFileName().toString().equals(name(1))) {
        throw new IllegalStateException(
            "audit chain " + chain + ": segment " + segment + " has no anchor checkpoint");
      }
    }
    good = badAt < 0 ? bytes.length : badAt;
    if (good < bytes.length) {
      Path torn = segment.resolveSibling(segment.getFileName() + ".torn-" + clock.millis());
      Files.write(
          torn, Arrays.copyOfRange(bytes, (int) good, bytes.length), StandardOpenOption.CREATE_NEW);
      String notice =
          "audit chain "
              + chain
              + ": "
              + (bytes.length - good)
              + " bytes of an unfinished write ("
              + badReason
              + ") were moved from "
              + segment.getFileName()
              + " to "
              + torn.getFileName();
      LOG.warn(notice);
      notices.add(notice);
    }
    channel = FileChannel.open(segment, StandardOpenOption.WRITE);
    channel.truncate(good);
    channel.position(good);
    if (good < bytes.length) {
      channel.force(false);
    }
    size = good;
    checkpointedSeq = lastCheckpointSeq;
  }

  private long lastCheckpointSeq = -1;

  /** Checks one line against the head so far; null when it is valid and has been applied. */
  private @Nullable String accept(byte[] line) {
    JsonNode node;
    try {
      node = EventLines.JSON.readTree(line);
    } catch (IOException e) {
      return "not JSON";
    }
    if (node == null || !node.isObject() || !chain.equals(node.path("chain").asText(null))) {
      return "not a line of chain " + chain;
    }
    String type = node.path("type").asText("");
    long n = node.path("seq").asLong(-1);
    if (type.equals("record")) {
      String computed = AuditLines.computedHash(line);
      if (computed == null || !computed.equals(node.path("hash").asText())) {
        return "record does not match its hash";
      }
      if (seq >= 0 && (n != seq + 1 || !node.path("prev").asText().equals(hash))) {
        return "record " + n + " does not follow record " + seq;
      }
      seq = n;
      hash = computed;
      noteTime(node);
      return null;
    }
    if (type.equals("checkpoint")) {
      String h = node.path("hash").asText();
      if (seq >= 0 && (n != seq || !h.equals(hash))) {
        return "checkpoint " + n + " does not match record " + seq;
      }
      seq = n;
      hash = h;
      lastCheckpointSeq = n;
      lastCheckpoint = line;
      noteTime(node);
      return null;
    }
    return "unknown line type '" + type + "'";
  }

  private void noteTime(JsonNode node) {
    String t = node.path("time").asText(null);
    if (t == null) {
      return;
    }
    try {
      Instant time = Instant.parse(t);
      if (newestRecovered == null || time.isAfter(newestRecovered)) {
        newestRecovered = time;
      }
    } catch (DateTimeParseException e) {
      // The line's hash held, so it is as written; judging its fields is the verifier's job.
    }
  }

  /**
   * The latest time on the lines found at open in the chain's last segment (which holds its newest
   * records), or null for a new chain.
   */
  @Nullable Instant newestRecovered() {
    return newestRecovered;
  }

  private static boolean startsWithCompleteLine(Path segment) throws IOException {
    try (var in = Files.newInputStream(segment)) {
      byte[] head = in.readNBytes(4096);
      for (byte b : head) {
        if (b == '\n') {
          return true;
        }
      }
      return false;
    }
  }

  /** The chain's segments, oldest first. */
  static List<Path> segments(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().forEach(out::add);
    }
    return out;
  }

  static String name(long firstSeq) {
    return String.format("%020d", firstSeq) + SUFFIX;
  }

  private static int indexOf(byte[] b, byte x, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  /** The time of a segment's first line (its anchor, for every segment but the first). */
  static @Nullable Instant firstTime(Path segment) throws IOException {
    try (var in = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
      String first = in.readLine();
      if (first == null) {
        return null;
      }
      String t = EventLines.JSON.readTree(first).path("time").asText(null);
      return t == null ? null : Instant.parse(t);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
