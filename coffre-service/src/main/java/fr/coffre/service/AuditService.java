package fr.coffre.service;

import fr.coffre.audit.AuditLines;
import fr.coffre.audit.AuditLog;
import fr.coffre.audit.AuditPeer;
import fr.coffre.core.AuditEvent;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.Principal;
import fr.coffre.core.StorageFailureException;
import fr.coffre.metadata.MetadataStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "record" step of every use case: decides which tenants' chains an action belongs to and
 * appends it before the answer is sent; a change is also recorded before it starts (status 0). When
 * the trail cannot be written and the server fails closed (the default), the append throws: the
 * change does not start, or its answer becomes a 503.
 *
 * <p>An action goes to the chain of the bucket's owner (what was done to its data, including
 * refused attempts by strangers) and to the chain of the caller's tenant (what its users did
 * elsewhere); an unsigned or failed request naming no known bucket or key goes to {@code _system}.
 * When the metadata store cannot say whose a bucket or an access key is (its database is down), the
 * action goes to {@code _system} as well: an outage of the database loses no record.
 */
public final class AuditService {
  private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);
  public static final String SYSTEM_CHAIN = AuditLines.SYSTEM_CHAIN;

  private final AuditLog log;
  private final MetadataStore metadata;
  private final IdentityService identities;
  private final boolean failClosed;

  /**
   * @param log the trail, or null when auditing is off (development and benchmarks only)
   */
  public AuditService(
      AuditLog log, MetadataStore metadata, IdentityService identities, boolean failClosed) {
    this.log = log;
    this.metadata = metadata;
    this.identities = identities;
    this.failClosed = failClosed;
  }

  private volatile ServiceObserver observer = ServiceObserver.NONE;
  private volatile @Nullable String localNode;
  private volatile Supplier<List<AuditPeer>> peers = List::of;

  /**
   * Makes every export a cluster export (docs/audit-format.md, "Cluster exports"): this node's part
   * and each registered peer's, a peer that cannot give its part listed as missing.
   *
   * @param node this node's name
   * @param others every other registered node, asked at each export
   */
  public AuditService inCluster(String node, Supplier<List<AuditPeer>> others) {
    this.localNode = node;
    this.peers = others;
    return this;
  }

  /** Tells {@code observer} of every record written or lost. */
  public AuditService observedBy(ServiceObserver observer) {
    this.observer = observer;
    return this;
  }

  /** When the trail last signed a checkpoint, if it has since it opened. */
  public Optional<Instant> lastCheckpoint() {
    return log == null ? Optional.empty() : Optional.ofNullable(log.lastCheckpoint());
  }

  public boolean enabled() {
    return log != null;
  }

  /** Records made durable (0 with the trail off). */
  public long committedRecords() {
    return log == null ? 0 : log.committedRecords();
  }

  /** The fsyncs that made them durable: see {@link AuditLog#recordSyncs}. */
  public long recordSyncs() {
    return log == null ? 0 : log.recordSyncs();
  }

  /** False while a fail-closed trail cannot be written (readiness reports it). */
  public boolean healthy() {
    return log == null || !failClosed || log.healthy();
  }

  /**
   * Records an action, returning once it is durable.
   *
   * @param principal who acted (null when unknown)
   * @param claimedAccessKey the access key a refused request claimed, or null
   * @throws AuditUnavailableException when it could not be recorded and the server fails closed
   */
  public void record(AuditEvent event, Principal principal, String claimedAccessKey) {
    if (log == null) {
      return;
    }
    List<String> chains = chains(event.bucket(), principal, claimedAccessKey);
    append(chains, event);
  }

  /** Records an action of the server or an operator that concerns {@code tenant} (null: none). */
  public void recordFor(@Nullable String tenant, AuditEvent event) {
    if (log == null) {
      return;
    }
    append(List.of(tenant == null ? SYSTEM_CHAIN : tenant), event);
  }

  private void append(List<String> chains, AuditEvent event) {
    try {
      log.append(chains, event);
      observer.auditRecorded();
    } catch (AuditUnavailableException e) {
      observer.auditFailed();
      if (failClosed) {
        throw e;
      }
      LOG.error(
          "audit record lost (fail-closed is off): {} {}: {}",
          event.operation(),
          event.requestId(),
          e.getMessage());
    }
  }

  /** The chains an action belongs to. */
  List<String> chains(String bucket, Principal principal, String claimedAccessKey) {
    List<String> chains = new ArrayList<>(2);
    boolean unknown = false;
    try {
      if (bucket != null && BucketName.problem(bucket) == null) {
        metadata.bucket(new BucketName(bucket)).map(BucketRecord::tenant).ifPresent(chains::add);
      }
    } catch (StorageFailureException e) {
      unknown = true;
    }
    Optional<String> caller;
    try {
      caller =
          principal != null && !principal.isAnonymous()
              ? Optional.of(principal.tenant())
              : identities.tenantOfAccessKey(claimedAccessKey);
    } catch (StorageFailureException e) {
      unknown = true;
      caller = Optional.empty();
    }
    caller.filter(t -> !chains.contains(t)).ifPresent(chains::add);
    if (chains.isEmpty() || unknown) {
      chains.add(SYSTEM_CHAIN);
    }
    return chains;
  }

  /** Whether a chain of that name exists (a tenant, present or deleted, with records kept). */
  public boolean hasChain(String name) {
    return log != null && Files.isDirectory(log.chainDirectory(name));
  }

  /**
   * Writes the export of a tenant's chain ({@code _system} for the operator's own): on a cluster
   * node, a bundle of every registered node's part; on a single server, its own export.
   */
  public void export(String chain, OutputStream out) {
    requireOn();
    String node = localNode;
    List<AuditPeer> others = List.of();
    if (node != null) {
      try {
        others = peers.get();
      } catch (RuntimeException e) {
        // Without the list of nodes, the export could leave one out without a word: refused.
        LOG.error(
            "audit export of chain {}: the cluster's nodes cannot be listed: {}",
            chain,
            e.toString());
        throw new AuditUnavailableException(
            "the cluster's nodes cannot be listed now, so the export could miss some of its"
                + " records; try again",
            e);
      }
    }
    try {
      if (node == null) {
        log.export(chain, out);
      } else {
        log.exportBundle(chain, node, others, out);
      }
    } catch (IOException e) {
      // The server's failure, not the client's: logged in full, answered as unavailable.
      LOG.error("audit export of chain {} failed: {}", chain, e.toString());
      throw new AuditUnavailableException("the audit trail could not be exported", e);
    }
  }

  /**
   * Writes this node's own export of a chain, whatever the cluster: what a peer gathering a cluster
   * export asks of this node through the internal API.
   */
  public void exportLocal(String chain, OutputStream out) throws IOException {
    requireOn();
    try {
      log.export(chain, out);
    } catch (IOException e) {
      LOG.error("audit export of chain {} for a peer failed: {}", chain, e.toString());
      throw e;
    }
  }

  /** Checkpoints every chain now (before an export, at stop). */
  public void checkpoint() {
    if (log != null) {
      try {
        log.checkpoint();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A chain and its head: how many records, and the last one's hash. */
  public record ChainHead(String chain, long records, String hash) {}

  /** Every chain with its head. */
  public List<ChainHead> heads() {
    requireOn();
    try {
      List<ChainHead> heads = new ArrayList<>();
      for (String c : log.chains()) {
        AuditLog.Head h = log.head(c);
        heads.add(new ChainHead(c, h.seq(), h.hash()));
      }
      return heads;
    } catch (IOException e) {
      LOG.error("audit chains could not be listed: {}", e.toString());
      throw new AuditUnavailableException("the audit trail could not be read", e);
    }
  }

  private void requireOn() {
    if (log == null) {
      throw new AuditUnavailableException("auditing is off on this server");
    }
  }
}
