package fr.coffre.server;

import fr.coffre.service.IdentityService;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place that names concrete implementations. A start is a short
 * story, each step in its own class: lock the data directory, open the root key (refused when it is
 * not the directory's own: {@link RootKeys}), open the stores ({@link Stores}), wire the services
 * ({@link Services}), check the placement against the data, build the listeners ({@link Edges}),
 * listen, then start the periodic work ({@link Background}). Nothing listens before every check has
 * passed.
 */
public final class CoffreServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoffreServer.class);

  private final ServerConfig config;
  private final Clock clock = Clock.systemUTC();
  private final DataDirectory data;
  private final Stores stores;
  private final Services services;
  private final Edges edges;
  private final Background background;
  private final RootKeys rootKeys;
  private final OnlineRotation rotation;
  private final SecurityPosture posture;

  private CoffreServer(ServerConfig config) throws Exception {
    this.config = config;
    this.posture = judge(config);
    this.data = DataDirectory.lock(config.dataDir());
    Stores opened = null;
    try {
      this.rootKeys = RootKeys.open(config, data.path());
      opened = Stores.open(config, data, clock);
      this.stores = opened;
      this.services = Services.wire(config, data, rootKeys, stores, clock);
      ServerAudit.clearSpool(data.spool());
      PlacementChanges.check(
          data.path(),
          stores.placements(),
          services.scrubber(),
          Boolean.TRUE.equals(config.placement().acceptOutOfPolicy()));
      this.rotation =
          new OnlineRotation(
              rootKeys,
              config.hsm(),
              stores.cluster() != null,
              stores.metadata(),
              services.auditLog(),
              clock);
      this.edges =
          new Edges(
              config,
              data,
              services,
              stores,
              rotation,
              rootKeys.sealControl(),
              rootKeys.sealed() == null ? null : rootKeys.sealed()::isSealed,
              new Readiness(services, stores),
              clock);
      this.background = new Background(config, rootKeys, services, stores, clock);
    } catch (Exception | Error e) {
      if (opened != null) {
        opened.close();
      }
      data.close();
      throw e;
    }
  }

  /**
   * Strict mode, before anything is opened: a refused configuration stops here, with every problem
   * and its fix; the developer override turns the refusals into warnings.
   */
  private static SecurityPosture judge(ServerConfig config) {
    SecurityPosture posture;
    try {
      posture = SecurityPosture.of(config);
    } catch (IllegalArgumentException e) { // an unreadable certificate: named by TlsFiles
      throw new IllegalStateException(e.getMessage(), e);
    }
    if (posture.refused()) {
      throw new IllegalStateException(posture.refusalMessage());
    }
    posture.overrideWarnings().forEach(LOG::warn);
    if (config.insecureDev() && !config.audit().enabled()) {
      LOG.warn("this insecure-dev start is not recorded: the audit trail is off");
    }
    return posture;
  }

  /** Opens the stores, collects orphans and starts listening. */
  public static CoffreServer start(ServerConfig config) throws Exception {
    CoffreServer server = new CoffreServer(config);
    try {
      server.edges.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    if (server.stores.cluster() != null) {
      server
          .stores
          .cluster()
          .watch(IdentityService.GENERATION, server.services.identities()::invalidateCaches);
      server.stores.cluster().start(server.edges.clusterPort());
    }
    server.background.start();
    // One SIGHUP handler (a second registration would replace the first) for every identity.
    List<Tls> identities = server.edges.identities();
    if (!identities.isEmpty()) {
      Hangup.onSignal(() -> identities.forEach(Tls::reload));
      identities.forEach(t -> t.watch(Duration.ofSeconds(2)));
    }
    ServerAudit.recordStart(
        server.services.auditLog(),
        server.services.audit(),
        config,
        server.posture,
        server.port(),
        server.clock);
    try {
      RestoreMarker.recordStart(
          server.data.path(),
          server.services.auditLog() == null ? null : server.services.audit(),
          server.clock);
    } catch (IOException | RuntimeException e) {
      // The server runs; the marker stays, so that the next start records the restore.
      LOG.warn("the restore could not be recorded in the audit trail yet: {}", e.toString());
    }
    server.announce();
    return server;
  }

  /** Where `coffre admin --data` finds this server: a wildcard address is reached on loopback. */
  private AdminEndpoint adminEndpoint(String scheme) {
    String host = config.admin().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return new AdminEndpoint(
        URI.create(scheme + "://" + host + ":" + adminPort()), config.tlsCert());
  }

  private void announce() {
    String scheme = config.tls() ? "https" : "http";
    LOG.info(
        "Coffre listening on {}://{}:{}/ (data in {})",
        scheme,
        config.host(),
        port(),
        config.dataDir());
    if (config.admin() != null) {
      LOG.info(
          "admin API on {}://{}:{}/admin/v1/ (bearer token: COFFRE_ADMIN_TOKEN or {})",
          scheme,
          config.admin().host(),
          adminPort(),
          config.dataDir().resolve(AdminToken.FILE_NAME));
      adminEndpoint(scheme).write(config.dataDir());
    }
    if (config.console() != null) {
      LOG.info(
          "web console on {}://{}:{}/ (operator console: the admin address)",
          scheme,
          config.console().host(),
          consolePort());
    }
    if (config.ops() != null) {
      LOG.info(
          "health and metrics on {}://{}:{}/health/ready and /metrics{}",
          config.tls() && !SecurityPosture.loopback(config.ops().host()) ? "https" : "http",
          config.ops().host(),
          opsPort(),
          config.opsToken() == null ? "" : " (/metrics: bearer token)");
    }
    RootCredentials credentials = services.credentials();
    if (rootKeys.sealed() == null) {
      credentials.secretKey(); // seals the hand-off secret under the root key now
    }
    if (config.rootAccessKey() != null) {
      LOG.info("root credentials from the environment (access key {})", credentials.accessKey());
    } else if (credentials.file() != null) {
      LOG.info(
          "root credentials are in {} (access key {}); the server keeps them sealed under the root key,"
              + " so you may delete that file once copied",
          credentials.file(),
          credentials.accessKey());
    } else {
      LOG.info(
          "root credentials: access key {}, secret sealed under the root key",
          credentials.accessKey());
    }
  }

  /**
   * Loads the TLS files of a configuration (the S3 listener's, the internal API's and its cluster
   * CA), to report a bad certificate, key or bundle before starting.
   */
  public static void checkTls(ServerConfig config) {
    if (config.tls()) {
      TlsFiles.keyStore(config.tlsCert(), config.tlsKey());
    }
    if (config.clustered() && config.cluster().tls()) {
      TlsFiles.keyStore(config.cluster().tlsCert(), config.cluster().tlsKey());
      TlsFiles.trustStore(config.cluster().caFile());
    }
  }

  /** The tenant console's port, or -1 when it is off. */
  public int consolePort() {
    return edges.consolePort();
  }

  /** The admin port actually bound, or -1 when the admin API is off. */
  public int adminPort() {
    return edges.adminPort();
  }

  /** The operations port actually bound, or -1 when health and metrics are off. */
  public int opsPort() {
    return edges.opsPort();
  }

  /** The port actually bound (useful when the configuration asked for 0). */
  public int port() {
    return edges.s3Port();
  }

  public RootCredentials credentials() {
    return services.credentials();
  }

  public ServerConfig config() {
    return config;
  }

  /** What this server's configuration guarantees and weakens, judged at start. */
  public SecurityPosture posture() {
    return posture;
  }

  public void join() throws InterruptedException {
    edges.join();
  }

  /**
   * Stops accepting, lets requests in flight finish (up to the stop timeout), closes the stores.
   */
  @Override
  public void close() throws Exception {
    edges.identities().forEach(Tls::stopWatching);
    background.stop();
    rotation.close();
    try {
      edges.stop();
    } finally {
      try {
        if (services.auditLog() != null) {
          try {
            services.audit().recordFor(null, ServerAudit.serverEvent(clock, "ServerStop", null));
          } catch (RuntimeException e) {
            LOG.warn("the server's stop could not be recorded: {}", e.toString());
          }
          services.auditLog().close();
        }
        stores.close();
      } finally {
        data.close();
      }
    }
  }
}
