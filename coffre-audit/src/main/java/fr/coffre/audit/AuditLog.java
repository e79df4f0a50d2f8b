package fr.coffre.audit;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.AuditUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail on disk (docs/audit-format.md): one hash chain per tenant, appended by a single
 * writer thread that batches every record waiting into one write and one fsync per chain (group
 * commit) before any of the callers returns. A caller returns only once its record is durable, so
 * an answer is never sent for an action whose record could be lost.
 *
 * <p><b>Why one writer thread.</b> A chain is a sequence: each record carries the hash of the one
 * before, so appends to a chain cannot run in parallel. Rather than a lock per chain held across an
 * fsync (every request waiting its turn for its own 0.1–0.5 ms sync), callers enqueue and block;
 * the writer drains whatever has arrived, writes it in one go and syncs once, then wakes them all.
 * The cost of durability is shared by everyone who arrived during the previous sync, which is what
 * makes a fail-closed trail affordable under load.
 *
 * <p><b>Failure.</b> When a batch cannot be written (disk full, I/O error), the chain is rolled
 * back to its last synced length ({@link ChainWriter#rollBack}), every caller of the batch gets
 * {@link fr.coffre.core.AuditUnavailableException} (the request is refused, 503) and {@link
 * #healthy} turns false until a write succeeds again. Nothing unrecorded is ever answered as done.
 *
 * <p><b>What breaks if you change it.</b> Returning before the sync (an async trail) loses
 * acknowledged records on a crash (AuditDurabilityIT kills the process under load to check).
 * Writing from the callers' threads breaks the chain's order. Checkpoints (signed chain heads) are
 * written by the same thread for the same reason; their signature goes through {@link Signer}, so
 * the key never enters this module.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final Pattern CHAIN = Pattern.compile("_system|[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
  private static final int MAX_BATCH = 1024;
  private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

  /**
   * @param checkpointInterval how often chains that received records are checkpointed
   * @param segmentBytes the size at which a segment is closed and the next one begun
   * @param retention how long records are kept; whole segments older than this are deleted
   */
  public record Options(Duration checkpointInterval, long segmentBytes, Duration retention) {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(180);

    public static Options defaults() {
      return new Options(Duration.ofSeconds(10), 64L << 20, DEFAULT_RETENTION);
    }
  }

  private sealed interface Task permits Append, Call {}

  private record Append(List<String> chains, AuditEvent event, CompletableFuture<Void> done)
      implements Task {}

  private record Call(Action action, CompletableFuture<Object> done) implements Task {}

  @FunctionalInterface
  private interface Action {
    @Nullable Object run() throws IOException;
  }

  private static final Call STOP = new Call(() -> null, new CompletableFuture<>());

  private final Path dir;
  private final Options options;
  private final Supplier<Signer> signer;
  private final Clock clock;
  private final Map<String, ChainWriter> chains = new HashMap<>(); // writer thread only
  private @Nullable Instant newestAtOpen; // set in open(), before the writer thread starts
  private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final List<String> notices = new ArrayList<>();
  private volatile boolean healthy = true;
  private volatile @Nullable String failure;
  private volatile boolean closed;
  private volatile @Nullable Instant lastCheckpoint;
  private Instant nextCheckpoint;
  private Instant nextPurge;

  private AuditLog(Path dir, Options options, Supplier<Signer> signer, Clock clock) {
    this.dir = dir;
    this.options = options;
    this.signer = signer;
    this.clock = clock;
    this.nextCheckpoint = clock.instant().plus(options.checkpointInterval());
    this.nextPurge = clock.instant().plus(Duration.ofMinutes(1));
    this.thread = new Thread(this::run, "coffre-audit-writer");
    thread.setDaemon(true);
  }

  /**
   * Opens (creating) the audit directory and recovers every chain's head; a chain altered in the
   * middle stops the start.
   *
   * @param signer the checkpoint signer; may throw while the root key is sealed (checkpoints wait)
   */
  public static AuditLog open(Path dir, Options options, Supplier<Signer> signer, Clock clock)
      throws IOException {
    Files.createDirectories(dir);
    BundleExport.removeLeftovers(dir);
    AuditLog log = new AuditLog(dir, options, signer, clock);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isDirectory).sorted().toList()) {
        String chain = p.getFileName().toString();
        if (CHAIN.matcher(chain).matches()) {
          ChainWriter w = ChainWriter.open(chain, p, clock, log.notices);
          log.chains.put(chain, w);
          Instant t = w.newestRecovered();
          if (t != null && (log.newestAtOpen == null || t.isAfter(log.newestAtOpen))) {
            log.newestAtOpen = t;
          }
        }
      }
    }
    log.thread.start();
    return log;
  }

  /**
   * The latest time written in the trail before this open, over every chain, or null for a new
   * trail. A clock now earlier than it has been set back since.
   */
  public @Nullable Instant newestTimeAtOpen() {
    return newestAtOpen;
  }

  /** What recovery found at open (unfinished writes moved aside), to be recorded by the caller. */
  public List<String> recoveryNotices() {
    return List.copyOf(notices);
  }

  /** Records made durable, and the fsyncs that made them so (group commit's batch size). */
  private final AtomicLong committedRecords = new AtomicLong();

  private final AtomicLong syncs = new AtomicLong();

  /** False after a batch failed to reach the disk, until one succeeds again. */
  public boolean healthy() {
    return healthy && !closed;
  }

  /**
   * When a checkpoint was last signed and written, or null when none was since the trail opened.
   */
  public @Nullable Instant lastCheckpoint() {
    return lastCheckpoint;
  }

  /** Why the last batch failed, or null. */
  public @Nullable String failure() {
    return failure;
  }

  /**
   * Appends {@code event} to each chain and returns once it is durable in all of them.
   *
   * @throws AuditUnavailableException when it could not be written
   */
  public void append(List<String> chainNames, AuditEvent event) {
    for (String c : chainNames) {
      checkChain(c);
    }
    if (closed) {
      throw new AuditUnavailableException("the audit trail is closed");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Append(List.copyOf(new LinkedHashSet<>(chainNames)), event, done));
    try {
      done.get(APPEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // The cause (a path, a device) is logged by the writer; the client only learns that it
      // failed.
      throw new AuditUnavailableException("the audit trail cannot be written", e.getCause());
    } catch (TimeoutException e) {
      throw new AuditUnavailableException(
          "the audit trail did not confirm the record within " + APPEND_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditUnavailableException("interrupted while recording");
    }
  }

  /** Checkpoints every chain with records not yet covered by one, now. */
  public void checkpoint() throws IOException {
    call(
        () -> {
          checkpointDirty();
          return null;
        });
  }

  /** The chains that exist, sorted. */
  @SuppressWarnings("unchecked")
  public List<String> chains() throws IOException {
    return (List<String>)
        Objects.requireNonNull(call(() -> chains.keySet().stream().sorted().toList()));
  }

  /** The head of a chain: records so far and the last one's hash. */
  public record Head(long seq, String hash) {}

  public Head head(String chain) throws IOException {
    checkChain(chain);
    return (Head)
        Objects.requireNonNull(
            call(
                () -> {
                  ChainWriter w = chains.get(chain);
                  return w == null
                      ? new Head(0, AuditLines.ZERO_HASH)
                      : new Head(w.seq(), w.hash());
                }));
  }

  /**
   * Writes an export of one chain: the header, every retained line, and a final checkpoint signed
   * now over the last record. Records appended while the export is written are not in it.
   */
  public void export(String chain, OutputStream out) throws IOException {
    checkChain(chain);
    record Snapshot(byte[] header, List<FileChannel> files, List<Long> sizes, byte[] last) {}
    Snapshot snap =
        (Snapshot)
            Objects.requireNonNull(
                call(
                    () -> {
                      Signer s = signer.get();
                      ChainWriter w = writer(chain);
                      w.force();
                      List<FileChannel> files = new ArrayList<>();
                      List<Long> sizes = new ArrayList<>();
                      for (Path p : ChainWriter.segments(dir.resolve(chain))) {
                        FileChannel f = FileChannel.open(p, StandardOpenOption.READ);
                        files.add(f);
                        sizes.add(p.equals(w.segment()) ? w.segmentSize() : f.size());
                      }
                      Instant now = clock.instant();
                      return new Snapshot(
                          EventLines.exportHeader(chain, now, s.publicKeyBase64()),
                          files,
                          sizes,
                          EventLines.checkpoint(chain, w.seq(), w.hash(), now, true, s));
                    }));
    try {
      out.write(snap.header());
      out.write('\n');
      var sink = Channels.newChannel(out);
      for (int i = 0; i < snap.files().size(); i++) {
        FileChannel f = snap.files().get(i);
        long size = snap.sizes().get(i);
        long pos = 0;
        while (pos < size) {
          pos += f.transferTo(pos, size - pos, sink);
        }
      }
      out.write(snap.last());
      out.write('\n');
      out.flush();
    } finally {
      for (FileChannel f : snap.files()) {
        f.close();
      }
    }
  }

  /**
   * Writes a cluster export of one chain (docs/audit-format.md, "Cluster exports"): this node's
   * export and each peer's, in the order given, then a closing line signed with this node's key
   * that lists every part, a peer that could not give its part listed as missing with the reason.
   *
   * @param localNode this node's name
   * @param peers every other registered node of the cluster
   */
  public void exportBundle(String chain, String localNode, List<AuditPeer> peers, OutputStream out)
      throws IOException {
    checkChain(chain);
    BundleExport.write(
        chain, localNode, this::export, peers, signer.get(), clock.instant(), dir, out);
  }

  /** Deletes whole segments whose records are all older than the retention; returns how many. */
  public int purgeExpired() throws IOException {
    return (Integer) Objects.requireNonNull(call(this::purge));
  }

  /** The directory of a chain's segments. */
  public Path chainDirectory(String chain) {
    checkChain(chain);
    return dir.resolve(chain);
  }

  /** Records made durable since the trail was opened. */
  public long committedRecords() {
    return committedRecords.get();
  }

  /**
   * Fsyncs of chains that made records durable since the trail was opened (checkpoints apart):
   * {@link #committedRecords()} divided by this is the mean size of a group commit.
   */
  public long recordSyncs() {
    return syncs.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long n = syncs.get();
    if (n > 0) {
      LOG.info(
          "audit: {} records made durable by {} fsyncs (group commits of {} on average)",
          committedRecords.get(),
          n,
          String.format(Locale.ROOT, "%.1f", committedRecords.get() / (double) n));
    }
  }

  private @Nullable Object call(Action action) throws IOException {
    if (closed) {
      throw new AuditUnavailableException("the audit trail is closed");
    }
    CompletableFuture<Object> done = new CompletableFuture<>();
    queue.add(new Call(action, done));
    try {
      return done.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private static void checkChain(String chain) {
    if (chain == null || !CHAIN.matcher(chain).matches()) {
      throw new IllegalArgumentException("not an audit chain name: " + chain);
    }
  }

  private ChainWriter writer(String chain) throws IOException {
    ChainWriter w = chains.get(chain);
    if (w == null) {
      w = ChainWriter.open(chain, dir.resolve(chain), clock, notices);
      chains.put(chain, w);
    }
    return w;
  }

  // ---- the writer thread ----

  private void run() {
    List<Task> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        long wait = Math.max(1, Duration.between(clock.instant(), nextCheckpoint).toMillis());
        Task first = queue.poll(wait, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
        }
        List<Append> appends = new ArrayList<>();
        for (Task t : batch) {
          switch (t) {
            case Append a -> appends.add(a);
            case Call c -> {
              commit(appends);
              appends.clear();
              if (c == STOP) {
                stopping = true;
              } else {
                try {
                  c.done().complete(c.action().run());
                } catch (IOException | RuntimeException e) {
                  c.done().completeExceptionally(e);
                }
              }
            }
          }
        }
        commit(appends);
        batch.clear();
        Instant now = clock.instant();
        if (!now.isBefore(nextCheckpoint)) {
          nextCheckpoint = now.plus(options.checkpointInterval());
          checkpointDirty();
        }
        if (!now.isBefore(nextPurge)) {
          nextPurge = now.plus(PURGE_INTERVAL);
          purge();
        }
      } catch (InterruptedException e) {
        stopping = true;
      } catch (IOException | RuntimeException e) {
        LOG.error("audit writer: {}", e.toString(), e);
      }
    }
    // Whatever is still queued after the stop: refused, the callers see a failure.
    for (Task t : queue) {
      switch (t) {
        case Append a ->
            a.done().completeExceptionally(new IOException("the audit trail is closed"));
        case Call c -> c.done().completeExceptionally(new IOException("the audit trail is closed"));
      }
    }
    try {
      checkpointDirty();
    } catch (IOException | RuntimeException e) {
      LOG.warn("audit: no final checkpoint at stop: {}", e.toString());
    }
    for (ChainWriter w : chains.values()) {
      try {
        w.close();
      } catch (IOException e) {
        LOG.warn("audit: closing chain {}: {}", w.chain(), e.toString());
      }
    }
  }

  /**
   * Writes a batch of records, fsyncs each chain they touched once, then releases their callers.
   */
  private void commit(List<Append> appends) {
    if (appends.isEmpty()) {
      return;
    }
    Set<ChainWriter> touched = new LinkedHashSet<>();
    try {
      for (Append a : appends) {
        for (String c : a.chains()) {
          ChainWriter w = writer(c);
          touched.add(w); // before the write: a write that fails half-way is rolled back too
          w.append(a.event());
        }
      }
      for (ChainWriter w : touched) {
        w.force();
        syncs.incrementAndGet();
      }
    } catch (IOException | RuntimeException e) {
      for (ChainWriter w : touched) {
        w.rollBack();
      }
      healthy = false;
      failure = e.toString();
      LOG.error(
          "audit trail write failed; {} request(s) refused: {}", appends.size(), e.toString());
      for (Append a : appends) {
        a.done().completeExceptionally(e);
      }
      return;
    }
    if (!healthy) {
      LOG.warn("audit trail writable again");
    }
    healthy = true;
    failure = null;
    committedRecords.addAndGet(appends.size());
    for (Append a : appends) {
      a.done().complete(null);
    }
    for (ChainWriter w : touched) {
      if (w.segmentSize() >= options.segmentBytes()) {
        try {
          Signer s = signer.get();
          w.roll(clock.instant(), s);
          logCheckpoint(w);
        } catch (IOException | RuntimeException e) {
          w.rollBack(); // a checkpoint line cut by the failure must not stay in front of the
          // next records
          LOG.warn("audit chain {}: segment not rolled yet: {}", w.chain(), e.toString());
        }
      }
    }
  }

  private void checkpointDirty() throws IOException {
    List<ChainWriter> due = chains.values().stream().filter(ChainWriter::needsCheckpoint).toList();
    if (due.isEmpty()) {
      return;
    }
    Signer s;
    try {
      s = signer.get();
    } catch (RuntimeException e) {
      LOG.debug("audit: checkpoints wait for the signing key: {}", e.toString());
      return;
    }
    Instant now = clock.instant();
    for (ChainWriter w : due) {
      try {
        w.checkpoint(now, s);
        w.force();
        lastCheckpoint = now;
        logCheckpoint(w);
      } catch (IOException | RuntimeException e) {
        w.rollBack();
        healthy = false;
        failure = e.toString();
        LOG.error("audit chain {}: checkpoint failed: {}", w.chain(), e.toString());
      }
    }
  }

  private static void logCheckpoint(ChainWriter w) {
    LOG.info("audit checkpoint chain={} seq={} hash={}", w.chain(), w.seq(), w.hash());
  }

  private int purge() throws IOException {
    Instant limit = clock.instant().minus(options.retention());
    int deleted = 0;
    for (String chain : chains.keySet()) {
      List<Path> segments = ChainWriter.segments(dir.resolve(chain));
      for (int i = 0; i + 1 < segments.size(); i++) {
        Instant closedAt = ChainWriter.firstTime(segments.get(i + 1));
        if (closedAt == null || !closedAt.isBefore(limit)) {
          break;
        }
        Files.delete(segments.get(i));
        deleted++;
        LOG.info(
            "audit chain {}: segment {} expired (closed {}, retention {} days)",
            chain,
            segments.get(i).getFileName(),
            closedAt,
            options.retention().toDays());
      }
    }
    return deleted;
  }
}
