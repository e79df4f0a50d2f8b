package fr.coffre.server;

import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.crypto.SealedRootKey;
import fr.coffre.crypto.SigningKey;
import fr.coffre.admin.AdminApi;
import fr.coffre.admin.AdminHandler;
import fr.coffre.console.ConsoleHandler;
import fr.coffre.console.ConsoleServices;
import fr.coffre.console.StaticAssets;
import fr.coffre.service.Sessions;
import fr.coffre.service.ShareService;
import fr.coffre.admin.SealControl;
import fr.coffre.service.KeyService;
import fr.coffre.service.AccessService;
import fr.coffre.service.AccessReviews;
import fr.coffre.service.IdentityService;
import fr.coffre.service.Lockouts;
import fr.coffre.service.AuditService;
import fr.coffre.audit.AuditLog;
import fr.coffre.s3.RequestAuthenticator;
import fr.coffre.s3.handlers.AccessControl;
import fr.coffre.crypto.RootKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import fr.coffre.s3.S3Handler;
import fr.coffre.s3.xml.Documents;
import fr.coffre.service.BlobJanitor;
import fr.coffre.service.BucketService;
import fr.coffre.service.MultipartService;
import fr.coffre.service.ObjectService;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.FileBlobStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import fr.coffre.s3.handlers.ApiContext;
import fr.coffre.s3.handlers.CorsRules;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place that names concrete implementations, wires the layers
 * together, and runs them behind Jetty on virtual threads.
 */
public final class CoffreServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoffreServer.class);

  private final ServerConfig config;
  private final RootCredentials credentials;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final BlobStore blobs;
  private final MetadataStore metadata;
  private final Server jetty;
  private final ServerConnector connector;
  private final MultipartService multipart;
  private final Duration uploadExpiry;
  private final Clock clock;
  private volatile UploadSweeper uploadSweeper;
  private final Metrics metrics;
  private final ServerConnector opsConnector;
  private final Tls tls;
  private final ObjectCrypto crypto;
  private final RootKeys rootKeys;
  private final SealedRootKey sealedKey;
  private volatile Unsealer unsealer;
  private final ServerConnector adminConnector;
  private final KeyService keys;
  private final Periodic keyDeletions;
  private final IdentityService identities;
  private final AccessService access;
  private final Lockouts lockouts;
  private final Placements placements;
  private final fr.coffre.service.Scrubber scrubber;
  private final Periodic scrubs;
  private final AuditLog auditLog;
  private final AuditService audit;
  private final Path spool;
  private final ServerConnector consoleConnector;
  private final Periodic sharePurge;
  /** Console sessions end after this long without a request, and this long after sign-in. */
  static final Duration CONSOLE_IDLE = Duration.ofMinutes(30);
  static final Duration CONSOLE_LIFETIME = Duration.ofHours(12);
  /** Ended share links are kept this long (they show as ended, not unknown), then deleted. */
  static final Duration ENDED_SHARES_KEPT = Duration.ofDays(30);

  /** Failed authentications of one access key within the window that lock it out. */
  static final int LOCKOUT_THRESHOLD = 10;
  static final Duration LOCKOUT_WINDOW = Duration.ofMinutes(5);
  static final Duration LOCKOUT_DURATION = Duration.ofMinutes(5);

  private CoffreServer(ServerConfig config) throws Exception {
    this.config = config;
    Path data = config.dataDir().toAbsolutePath();
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    this.lockChannel =
        FileChannel.open(data.resolve("coffre.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    this.lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException("data directory " + data + " is in use by another Coffre process");
    }
    this.clock = Clock.systemUTC();
    this.rootKeys = RootKeys.open(config, data);
    RootKey rootKey = rootKeys.key();
    String rootKeyMode = rootKeys.mode().id();
    this.sealedKey = rootKeys.sealed();
    this.credentials = RootCredentials.resolve(config, rootKey, data.resolve("keys"));
    this.placements = Placements.of(config.placement(), data);
    this.blobs = placements.blobStore(data);
    this.metrics = new Metrics(placements.volumes().values().iterator().next());
    this.metadata = metrics.timed(SqliteMetadataStore.open(data.resolve("metadata.db")));
    int orphans = new BlobJanitor(metadata, blobs).collect();
    LOG.debug("start-up collection removed {} orphan blobs", orphans);
    RootKey signingRoot = rootKey;
    Path keyDir = data.resolve("keys");
    java.util.function.Supplier<SigningKey> signing = memoize(() -> {
      try {
        return SigningKey.openOrCreate(keyDir, signingRoot);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    this.keys = new KeyService(metadata, rootKey, signing, clock, "arn:aws:kms:" + config.region() + ":" + ACCOUNT + ":");
    ObjectCrypto crypto = new ObjectCrypto(rootKey, keys);
    keys.attach(crypto);
    this.crypto = crypto;
    fr.coffre.service.PlacementService placement = new fr.coffre.service.PlacementService(metadata,
        placements.topology(), placements.classes(), placements.defaultClass(), rootKeyMode,
        placements::freeBytes);
    BucketService buckets = new BucketService(metadata, blobs, clock).placedBy(placement);
    ObjectService objects = new ObjectService(metadata, blobs, crypto, keys, clock, placement);
    this.multipart = new MultipartService(metadata, blobs, crypto, keys, clock, placement);
    this.uploadExpiry = config.uploadExpiry();
    this.keyDeletions = new Periodic("key-deletions", Duration.ofMinutes(1), () -> keys.destroyDue());
    this.identities = new IdentityService(metadata, rootKey, clock, credentials.accessKey(), credentials::secretKey);
    this.auditLog = ServerAudit.open(config.audit(), data, signing, clock);
    this.audit = new AuditService(auditLog, metadata, identities, config.audit().failClosed());
    identities.reserving(name -> identities.tenants().stream().noneMatch(t -> t.name().equals(name)) && audit.hasChain(name));
    this.spool = data.resolve("tmp");
    ServerAudit.clearSpool(spool);
    this.access = new AccessService(metadata, identities, clock);
    this.lockouts = new Lockouts(clock, LOCKOUT_THRESHOLD, LOCKOUT_WINDOW, LOCKOUT_DURATION);
    this.scrubber = new fr.coffre.service.Scrubber(metadata, blobs, placement, audit, clock, crypto);
    this.scrubs = new Periodic("scrub", placements.scrubInterval(), scrubber::scrub);
    PlacementChanges.check(data, placements, scrubber, Boolean.TRUE.equals(config.placement().acceptOutOfPolicy()));
    AccessControl accessControl = new AccessControl(identities, access);
    ApiContext ctx = new ApiContext(buckets, objects, multipart, keys, config.region(),
        new Documents.Owner(ownerId(credentials.accessKey()), "coffre-root"), identities::secretKey,
        loopback(config.host()), accessControl, access);
    RequestAuthenticator authenticator = S3Api.lockingOut(S3Api.authenticator(identities), lockouts);
    var actions = S3Api.actions(ctx);
    actions.put(fr.coffre.s3.S3Operation.EXPORT_AUDIT_TRAIL, S3Api.auditExport(audit, spool));
    AuditService recorded = audit;
    S3Handler handler =
        new S3Handler(
            actions,
            sealedKey == null ? authenticator : S3Api.gated(authenticator, sealedKey::isSealed),
            accessControl,
            new CorsRules(ctx),
            metrics,
            new fr.coffre.s3.RequestRecorder() {
              @Override
              public void started(fr.coffre.core.AuditEvent event, fr.coffre.core.Principal principal) {
                recorded.record(event, principal, null);
              }

              @Override
              public void record(fr.coffre.core.AuditEvent event, fr.coffre.core.Principal principal, String claimed) {
                recorded.record(event, principal, claimed);
              }
            },
            config.domain(),
            clock);
    this.jetty = new Server(new VirtualThreadPool());
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    // S3 keys may hold '//', '..', encoded slashes and more: the path is the client's, untouched.
    http.setUriCompliance(UriCompliance.UNSAFE);
    http.setRequestHeaderSize(64 * 1024);
    // Header values are signed byte for byte: Jetty's header cache would hand back a cached field
    // whose case differs ("charset=UTF-8" read as "charset=utf-8") and break SigV4.
    http.setHeaderCacheCaseSensitive(true);
    http.setHeaderCacheSize(0);
    if (config.tls()) {
      this.tls = new Tls(config.tlsCert(), config.tlsKey());
      http.addCustomizer(new SecureRequestCustomizer(false));
      this.connector = new ServerConnector(jetty,
          new SslConnectionFactory(tls.factory(), HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
    } else {
      this.tls = null;
      this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    }
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(120_000);
    metrics.connections("s3", () -> connector.getConnectedEndPoints().size());
    jetty.addConnector(connector);
    Handler root = handler;
    if (config.ops() != null) {
      this.opsConnector = new ServerConnector(jetty, new HttpConnectionFactory(new HttpConfiguration()));
      opsConnector.setHost(config.ops().host());
      opsConnector.setPort(config.ops().port());
      jetty.addConnector(opsConnector);
      OpsHandler ops = new OpsHandler(metrics, this::readiness);
      root = Listeners.dispatch(opsConnector, ops::handle, handler);
    } else {
      this.opsConnector = null;
    }
    fr.coffre.service.ResidencyReports residency =
        new fr.coffre.service.ResidencyReports(metadata, blobs, placement, signing, clock);
    if (config.admin() != null) {
      this.adminConnector = Listeners.listener(jetty, tls, config.admin());
      SealControl seal = sealedKey == null ? SealControl.never(rootKeyMode + " " + rootKey.id()) : sealControl(rootKeys);
      AdminHandler admin = new AdminHandler(new AdminApi(keys, seal, identities, access, buckets,
          new AccessReviews(metadata, identities, access, clock), lockouts)
          .withResidency(residency)
          .withScrub(scrubber::scrub)
          .withStatus(() -> placements.status(placement.classInfos()), () -> ScrubStatus.of(scrubber, placements))
          .withReclassification(new fr.coffre.service.Reclassification(metadata, blobs, placement, crypto,
              scrubber.lock())),
          AdminToken.resolve(config), audit, clock)
          .withSessions(new Sessions(clock, CONSOLE_IDLE, CONSOLE_LIFETIME));
      // The operator console's pages share the admin listener; its calls are the admin API's.
      StaticAssets operatorPages = new StaticAssets("operator.html");
      root = Listeners.dispatch(adminConnector, (request, response, callback) ->
          request.getHttpURI().getPath().startsWith(AdminApi.PATH + "/")
              ? admin.handle(request, response, callback)
              : operatorPages.handle(request, response, callback), root);
    } else {
      this.adminConnector = null;
    }
    ShareService shares = new ShareService(metadata, objects, access, identities,
        new Lockouts(clock, LOCKOUT_THRESHOLD, LOCKOUT_WINDOW, LOCKOUT_DURATION), clock);
    this.sharePurge = new Periodic("share-links", Duration.ofHours(1), () -> shares.purge(ENDED_SHARES_KEPT));
    if (config.console() != null) {
      this.consoleConnector = Listeners.listener(jetty, tls, config.console());
      ConsoleHandler console = new ConsoleHandler(new ConsoleServices(identities, access, buckets, objects, multipart,
          keys, shares, residency, placement, audit, lockouts, new Sessions(clock, CONSOLE_IDLE, CONSOLE_LIFETIME),
          clock, config.region(), spool));
      root = Listeners.dispatch(consoleConnector, console::handle, root);
    } else {
      this.consoleConnector = null;
    }
    // On stop: close the listeners, let requests in flight finish (up to the stop timeout), then
    // close the stores.
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(root);
    jetty.setHandler(graceful);
    jetty.setStopTimeout(30_000);
  }

  /** Opens the stores, collects orphans and starts listening. */
  public static CoffreServer start(ServerConfig config) throws Exception {
    CoffreServer server = new CoffreServer(config);
    try {
      server.jetty.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    server.uploadSweeper = new UploadSweeper(server.multipart, server.clock, server.uploadExpiry);
    server.uploadSweeper.start();
    server.keyDeletions.start();
    server.scrubs.start();
    server.sharePurge.start();
    if (server.sealedKey != null) {
      server.unsealer = new Unsealer(server.rootKeys, config.sealed());
      server.unsealer.start();
    }
    if (server.tls != null) {
      Hangup.onSignal(server.tls::reload);
      server.tls.watch(Duration.ofSeconds(2));
    }
    ServerAudit.recordStart(server.auditLog, server.audit, server.config, server.port(), server.clock);
    LOG.info("Coffre listening on {}://{}:{}/ (data in {})", config.tls() ? "https" : "http", config.host(),
        server.port(), config.dataDir());
    if (server.adminConnector != null) {
      LOG.info("admin API on {}://{}:{}/admin/v1/ (bearer token: COFFRE_ADMIN_TOKEN or {})", config.tls() ? "https" : "http",
          config.admin().host(), server.adminPort(), config.dataDir().resolve(AdminToken.FILE_NAME));
    }
    if (server.consoleConnector != null) {
      LOG.info("web console on {}://{}:{}/ (operator console: the admin address)", config.tls() ? "https" : "http",
          config.console().host(), server.consolePort());
    }
    if (server.opsConnector != null) {
      LOG.info("health and metrics on http://{}:{}/health/ready and /metrics", config.ops().host(), server.opsPort());
    }
    if (server.sealedKey == null) {
      server.credentials.secretKey(); // seals the hand-off secret under the root key now
    }
    if (config.rootAccessKey() != null) {
      LOG.info("root credentials from the environment (access key {})", server.credentials.accessKey());
    } else if (server.credentials.file() != null) {
      LOG.info("root credentials are in {} (access key {}); the server keeps them sealed under the root key,"
          + " so you may delete that file once copied", server.credentials.file(), server.credentials.accessKey());
    } else {
      LOG.info("root credentials: access key {}, secret sealed under the root key", server.credentials.accessKey());
    }
    return server;
  }

  /** Loads the TLS files of a configuration, to report a bad certificate or key before starting. */
  public static void checkTls(ServerConfig config) {
    TlsFiles.keyStore(config.tlsCert(), config.tlsKey());
  }

  /** Readiness: the metadata store answers and the volume is writable. */
  private Map<String, Boolean> readiness() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    boolean metadataUp;
    try {
      metadata.buckets();
      metadataUp = true;
    } catch (RuntimeException e) {
      metadataUp = false;
    }
    checks.put("metadata", metadataUp);
    checks.put("volume", placements.volumes().values().stream().anyMatch(Files::isWritable));
    boolean keyUp;
    try (var key = crypto.newDataKey(); var again = crypto.unwrap(key.keyRef(), key.wrapped())) {
      keyUp = true; // the root key wraps and unwraps: it is loaded and usable
    } catch (RuntimeException e) {
      keyUp = false;
    }
    checks.put("root-key", keyUp);
    checks.put("audit", audit.healthy());
    return checks;
  }

  /** The tenant console's port, or -1 when it is off. */
  public int consolePort() {
    return consoleConnector == null ? -1 : consoleConnector.getLocalPort();
  }

  /** The admin port actually bound, or -1 when the admin API is off. */
  public int adminPort() {
    return adminConnector == null ? -1 : adminConnector.getLocalPort();
  }

  /** The operations port actually bound, or -1 when health and metrics are off. */
  public int opsPort() {
    return opsConnector == null ? -1 : opsConnector.getLocalPort();
  }

  /** The port actually bound (useful when the configuration asked for 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public RootCredentials credentials() {
    return credentials;
  }

  public ServerConfig config() {
    return config;
  }

  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops accepting, lets requests in flight finish (up to the stop timeout), closes the stores. */
  @Override
  public void close() throws Exception {
    if (tls != null) {
      tls.stopWatching();
    }
    Unsealer u = unsealer;
    if (u != null) {
      u.stop();
    }
    UploadSweeper sweeper = uploadSweeper;
    if (sweeper != null) {
      sweeper.stop();
    }
    keyDeletions.stop();
    scrubs.stop();
    sharePurge.stop();
    try {
      jetty.stop();
    } finally {
      try {
        if (auditLog != null) {
          try {
            audit.recordFor(null, ServerAudit.serverEvent(clock, "ServerStop", null));
          } catch (RuntimeException e) {
            LOG.warn("the server's stop could not be recorded: {}", e.toString());
          }
          auditLog.close();
        }
        metadata.close();
        blobs.close();
        metrics.close();
      } finally {
        closeLock();
      }
    }
  }

  private void closeLock() throws IOException {
    lock.release();
    lockChannel.close();
  }

  /** Until tenants exist, every KMS key ARN names this one account. */
  static final String ACCOUNT = "000000000000";

  private static <T> java.util.function.Supplier<T> memoize(java.util.function.Supplier<T> s) {
    return new java.util.function.Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = s.get();
        }
        return value;
      }
    };
  }

  private static SealControl sealControl(RootKeys keys) {
    SealedRootKey key = keys.sealed();
    return new SealControl() {
      @Override
      public boolean sealed() {
        return key.isSealed();
      }

      @Override
      public Outcome unseal(char[] passphrase) {
        if (!keys.created()) {
          return Outcome.NOT_CREATED;
        }
        try {
          boolean was = key.isSealed();
          keys.unseal(passphrase);
          if (was) {
            LOG.info("root key {} unsealed through the admin API; serving", key.id());
          }
          return Outcome.UNSEALED;
        } catch (java.security.GeneralSecurityException e) {
          LOG.warn("unseal through the admin API refused: {}", e.getMessage());
          return Outcome.WRONG_PASSPHRASE;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } finally {
          java.util.Arrays.fill(passphrase, '\0');
        }
      }

      @Override
      public void create(char[] passphrase) {
        try {
          keys.create(passphrase);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
          throw new IllegalStateException("the sealed root key could not be created: " + e.getMessage(), e);
        }
      }

      @Override
      public String rootKey() {
        return key.isSealed() ? "sealed" : "sealed " + key.id();
      }
    };
  }

  /** Whether the S3 listener is only reachable from this machine (SSE-C keys may then use HTTP). */
  private static boolean loopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** A stable canonical-user-like id derived from the access key, shown as the owner. */
  private static String ownerId(String accessKey) {
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(("coffre owner " + accessKey).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
