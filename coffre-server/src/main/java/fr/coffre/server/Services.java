package fr.coffre.server;

import fr.coffre.audit.AuditLog;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.crypto.RootKey;
import fr.coffre.s3.handlers.LifecycleConfigurations;
import fr.coffre.service.AccessReviews;
import fr.coffre.service.AccessService;
import fr.coffre.service.AclService;
import fr.coffre.service.AuditService;
import fr.coffre.service.BucketService;
import fr.coffre.service.IdentityService;
import fr.coffre.service.KeyService;
import fr.coffre.service.LifecycleJob;
import fr.coffre.service.LifecycleVersions;
import fr.coffre.service.Lockouts;
import fr.coffre.service.MultipartService;
import fr.coffre.service.ObjectService;
import fr.coffre.service.Operators;
import fr.coffre.service.PasswordHashes;
import fr.coffre.service.PlacementService;
import fr.coffre.service.Proposals;
import fr.coffre.service.Reclassification;
import fr.coffre.service.ResidencyReports;
import fr.coffre.service.RoleService;
import fr.coffre.service.Scrubber;
import fr.coffre.service.ShareService;
import fr.coffre.service.StsService;
import fr.coffre.service.TenantConsent;
import fr.coffre.service.WebIdentityVerifier;
import fr.coffre.service.oidc.OidcHttp;
import fr.coffre.service.oidc.OidcVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The third step of a start: the use cases, wired over the root key and the stores. Every service
 * is made here once; the edges (S3, admin, console) only receive them.
 *
 * <p>Two lock-out tables on purpose: {@link #authLockouts} counts failed S3 signatures and console
 * sign-ins (one view for the operator); the share service keeps its own for link passwords, whose
 * subjects are links, not access keys. Both are rows of the metadata database, shared by the nodes
 * of a cluster.
 */
record Services(
    RootCredentials credentials,
    LiveSigningKey signing,
    KeyService keys,
    ObjectCrypto crypto,
    PlacementService placement,
    BucketService buckets,
    ObjectService objects,
    MultipartService multipart,
    IdentityService identities,
    AuditLog auditLog,
    AuditService audit,
    AccessService access,
    AccessReviews reviews,
    Lockouts authLockouts,
    Scrubber scrubber,
    ResidencyReports residency,
    Reclassification reclassification,
    ShareService shares,
    LifecycleJob lifecycle,
    TenantConsent consent,
    Operators operators,
    Proposals proposals,
    Webhooks notifications,
    RoleService roles,
    StsService sts) {

  /** Failed authentications of one subject within the window that lock it out. */
  static final int LOCKOUT_THRESHOLD = 10;

  static final Duration LOCKOUT_WINDOW = Duration.ofMinutes(5);
  static final Duration LOCKOUT_DURATION = Duration.ofMinutes(5);

  /** The realms of the two tables in the shared metadata (every node counts in the same rows). */
  static final String AUTH_LOCKOUTS = "access-keys";

  static final String SHARE_LOCKOUTS = "share-links";

  /** The verifier of web identity tokens the configuration names, or null when it names none. */
  static @Nullable WebIdentityVerifier webIdentity(ServerConfig config) {
    ConfigFile.WebIdentity w = config.webIdentity();
    if (w == null) {
      return null;
    }
    if (w.jwksFile() == null || w.jwksFile().isBlank()) {
      return new DiscoveredWebIdentityVerifier(
          new OidcVerifier(w.issuer(), OidcHttp.jdk(), Clock.systemUTC()),
          w.clientIds() == null ? List.of() : w.clientIds());
    }
    return new StaticJwksVerifier(w.issuer(), Path.of(w.jwksFile()), w.clientIds());
  }

  static Services wire(
      ServerConfig config, DataDirectory data, RootKeys rootKeys, Stores stores, Clock clock)
      throws IOException {
    RootKey rootKey = rootKeys.key();
    RootCredentials credentials = RootCredentials.resolve(config, rootKey, data.keys());
    LiveSigningKey signing = new LiveSigningKey(data.keys(), rootKey, clock);
    var metadata = stores.metadata();
    // ETags and checksums are sealed in the rows from now on (docs/security.md).
    metadata.sealValuesWith(new fr.coffre.service.MetadataSealer(rootKey, metadata, clock));
    var blobs = stores.blobs();
    var placements = stores.placements();
    KeyService keys =
        new KeyService(metadata, rootKey, signing, clock, config.region())
            .observedBy(stores.metrics());
    ObjectCrypto crypto = keys.crypto();
    PlacementService placement =
        new PlacementService(
                metadata,
                placements.topology(),
                placements.classes(),
                placements.defaultClass(),
                rootKeys.mode().id(),
                stores.freeBytes())
            .observedBy(stores.metrics());
    BucketService buckets = new BucketService(metadata, blobs, clock).placedBy(placement);
    ObjectService objects = new ObjectService(metadata, blobs, crypto, keys, clock, placement);
    MultipartService multipart =
        new MultipartService(metadata, blobs, crypto, keys, clock, placement);
    IdentityService identities =
        new IdentityService(
            metadata, rootKey, clock, credentials.accessKey(), credentials::secretKey);
    AuditLog auditLog = ServerAudit.open(config.audit(), data.path(), signing, clock);
    AuditService audit =
        new AuditService(auditLog, metadata, identities, config.audit().failClosed())
            .observedBy(stores.metrics());
    if (stores.cluster() != null && stores.auth() != null && stores.clusterHttp() != null) {
      // A tenant's export made on any node holds every node's records (docs/audit-format.md).
      audit.inCluster(
          stores.cluster().name(),
          new ClusterAuditPeers(stores.cluster(), stores.auth(), stores.clusterHttp()));
    }
    // A deleted tenant's name is not reused while its audit chain is kept.
    identities.reserving(
        name ->
            identities.tenants().stream().noneMatch(t -> t.name().equals(name))
                && audit.hasChain(name));
    AccessService access =
        new AccessService(
            metadata, identities, new AclService(metadata, identities, buckets), clock);
    RoleService roles = new RoleService(metadata, identities, clock);
    Scrubber scrubber = new Scrubber(metadata, blobs, placement, audit, clock, crypto);
    if (stores.cluster() != null) {
      scrubber.awaiting(stores.cluster()::downNodes);
    }
    stores
        .metrics()
        .watch(
            rootKeys.sealed() == null ? () -> false : rootKeys.sealed()::isSealed,
            audit,
            scrubber,
            clock);
    ShareService shares =
        new ShareService(
            metadata,
            objects,
            access,
            identities,
            new Lockouts(
                metadata.lockouts(),
                SHARE_LOCKOUTS,
                clock,
                LOCKOUT_THRESHOLD,
                LOCKOUT_WINDOW,
                LOCKOUT_DURATION),
            clock);
    return new Services(
        credentials,
        signing,
        keys,
        crypto,
        placement,
        buckets,
        objects,
        multipart,
        identities,
        auditLog,
        audit,
        access,
        new AccessReviews(metadata, identities, access, clock),
        new Lockouts(
            metadata.lockouts(),
            AUTH_LOCKOUTS,
            clock,
            LOCKOUT_THRESHOLD,
            LOCKOUT_WINDOW,
            LOCKOUT_DURATION),
        scrubber,
        new ResidencyReports(metadata, blobs, placement, signing, clock),
        new Reclassification(metadata, blobs, placement, crypto, scrubber.lock()),
        shares,
        new LifecycleJob(
            buckets,
            multipart,
            audit,
            new LifecycleVersions(metadata, objects),
            LifecycleConfigurations::rules,
            clock),
        new TenantConsent(metadata.governance(), identities, clock),
        new Operators(
            metadata.governance(),
            rootKey,
            clock,
            new PasswordHashes(PasswordHashes.DEFAULT_ITERATIONS),
            Operators.DEFAULT_INCOMPATIBLE),
        new Proposals(metadata.governance(), clock),
        new Webhooks(config.notifications(), data.path(), config.region()),
        roles,
        new StsService(metadata, identities, roles, rootKey, clock, webIdentity(config)));
  }
}
