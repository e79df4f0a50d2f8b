package fr.coffre.server;

import fr.coffre.admin.AdminApi;
import fr.coffre.admin.AdminHandler;
import fr.coffre.admin.RootKeyRotationControl;
import fr.coffre.admin.SealControl;
import fr.coffre.cluster.BlobServer;
import fr.coffre.console.ConsoleHandler;
import fr.coffre.console.ConsoleServices;
import fr.coffre.console.StaticAssets;
import fr.coffre.metadata.SessionStore;
import fr.coffre.s3.S3Api;
import fr.coffre.s3.S3Handler;
import fr.coffre.service.AccessLogs;
import fr.coffre.service.Lockouts;
import fr.coffre.service.Sessions;
import fr.coffre.service.oidc.OidcHttp;
import fr.coffre.service.oidc.OidcSettings;
import fr.coffre.service.oidc.OidcSignIn;
import fr.coffre.service.oidc.OidcVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The last step of a start: Jetty on virtual threads and its listeners — S3, operations (health,
 * metrics), admin API with the operator console, tenant console — each routed to its handler.
 * Nothing listens until {@link #start}.
 */
final class Edges {
  /** Console sessions end after this long without a request, and this long after sign-in. */
  static final Duration CONSOLE_IDLE = Duration.ofMinutes(30);

  /** A named operator's admin session ends after this long without a call, or its lifetime. */
  static final Duration OPERATOR_IDLE = Duration.ofMinutes(15);

  static final Duration OPERATOR_LIFETIME = Duration.ofHours(8);

  static final Duration CONSOLE_LIFETIME = Duration.ofHours(12);

  private final Server jetty;
  private final AccessLogs accessLogs;
  private final Periodic accessLogFlush;
  private final ServerConnector s3;
  private final ServerConnector ops;
  private final ServerConnector admin;
  private final ServerConnector console;
  private final @Nullable ServerConnector cluster;
  private final Tls tls;
  private final @Nullable Tls clusterTls;

  /**
   * @param seal the admin API's view of the root key's seal
   * @param sealed whether the root key is sealed now (every S3 request refused), or null when it
   *     never is
   * @param readiness the checks of {@code /health/ready}
   */
  Edges(
      ServerConfig config,
      DataDirectory data,
      Services s,
      Stores stores,
      RootKeyRotationControl rotation,
      SealControl seal,
      BooleanSupplier sealed,
      Supplier<Map<String, Boolean>> readiness,
      Clock clock)
      throws Exception {
    this.jetty = new Server(new VirtualThreadPool());
    this.tls = config.tls() ? new Tls(config.tlsCert(), config.tlsKey()) : null;
    this.clusterTls = stores.clusterTls();
    this.accessLogs = new AccessLogs(s.objects(), s.audit(), clock);
    this.accessLogFlush =
        new Periodic(
            "access-log-flush", accessLogFlushInterval(System.getenv()), accessLogs::flush);
    // Sessions are rows of the shared metadata, one realm per population: a session opened on
    // one node of a cluster works on every other, and signing out anywhere ends it everywhere.
    SessionStore sessions = stores.metadata().sessions();
    S3Handler handler =
        S3Api.handler(
            new S3Api.Services(
                s.buckets(),
                s.objects(),
                s.multipart(),
                s.keys(),
                s.identities(),
                s.access(),
                s.audit(),
                s.authLockouts(),
                s.notifications(),
                accessLogs),
            new S3Api.Settings(
                config.region(),
                config.domain(),
                loopback(config.host()),
                s.credentials().accessKey(),
                data.spool(),
                config.sigV2()),
            sealed,
            stores.metrics(),
            clock);
    handler.queryApi(
        S3Api.queryApi(
            new S3Api.Services(
                s.buckets(),
                s.objects(),
                s.multipart(),
                s.keys(),
                s.identities(),
                s.access(),
                s.audit(),
                s.authLockouts(),
                s.notifications(),
                accessLogs),
            s.roles(),
            s.sts(),
            sealed,
            clock));
    ServerConfig.Limits limits = config.limits();
    ClientLimits s3Clients = new ClientLimits("S3", true, limits);
    this.s3 = s3Listener(config, s3Clients);
    stores.metrics().connections("s3", () -> s3.getConnectedEndPoints().size());
    Handler root = Listeners.dispatch(s3, s3Clients.wrap(handler), handler);
    if (config.ops() != null) {
      // Plain HTTP on loopback (local probes and scrapers, as always); HTTPS with the server's
      // certificate beyond it, where strict mode requires TLS (SecurityPosture).
      ClientLimits clients = new ClientLimits("ops", false, limits);
      this.ops =
          Listeners.listener(
              jetty,
              SecurityPosture.loopback(config.ops().host()) ? null : tls,
              config.ops(),
              clients);
      OpsHandler opsHandler = new OpsHandler(stores.metrics(), readiness, config.opsToken());
      root = Listeners.dispatch(ops, clients.wrap(Listeners.handler(opsHandler::handle)), root);
    } else {
      this.ops = null;
    }
    if (config.admin() != null) {
      ClientLimits clients = new ClientLimits("admin", false, limits);
      this.admin = Listeners.listener(jetty, tls, config.admin(), clients);
      Placements placements = stores.placements();
      AdminHandler adminHandler =
          new AdminHandler(
                  new AdminApi(
                          s.keys(),
                          seal,
                          s.identities(),
                          s.access(),
                          s.buckets(),
                          s.reviews(),
                          s.authLockouts())
                      .withResidency(s.residency())
                      .withScrub(s.scrubber()::scrub)
                      .withLifecycle(() -> LifecycleReport.of(s.lifecycle().run()))
                      .withStatus(
                          () -> placements.status(s.placement().classInfos()),
                          () -> ScrubStatus.of(s.scrubber(), placements))
                      .withReclassification(s.reclassification())
                      .withRootKeyRotation(rotation)
                      .withSigningKeyRotation(by -> s.signing().rotate(s.auditLog(), by))
                      .withCluster(stores.cluster() == null ? null : stores.cluster().admin())
                      .withGovernance(
                          s.consent(),
                          s.operators(),
                          s.proposals(),
                          new Sessions(
                              sessions, "operators", clock, OPERATOR_IDLE, OPERATOR_LIFETIME)),
                  AdminToken.resolve(config),
                  s.audit(),
                  new Lockouts(
                      stores.metadata().lockouts(),
                      "admin-token",
                      clock,
                      10,
                      Duration.ofMinutes(5),
                      Duration.ofMinutes(15)),
                  clock)
              .withSessions(
                  new Sessions(
                      sessions, "operator-console", clock, CONSOLE_IDLE, CONSOLE_LIFETIME));
      // The operator console's pages share the admin listener; its calls are the admin API's.
      StaticAssets operatorPages = new StaticAssets("operator.html");
      root =
          Listeners.dispatch(
              admin,
              clients.wrap(
                  Listeners.handler(
                      (request, response, callback) ->
                          request.getHttpURI().getPath().startsWith(AdminApi.PATH + "/")
                              ? adminHandler.handle(request, response, callback)
                              : operatorPages.handle(request, response, callback))),
              root);
    } else {
      this.admin = null;
    }
    if (config.console() != null) {
      ClientLimits clients = new ClientLimits("console", false, limits);
      this.console = Listeners.listener(jetty, tls, config.console(), clients);
      // Tenant sessions: another population than the operator's, so another table.
      ConsoleHandler consoleHandler =
          new ConsoleHandler(
              new ConsoleServices(
                  s.identities(),
                  s.access(),
                  s.buckets(),
                  s.objects(),
                  s.multipart(),
                  s.keys(),
                  s.shares(),
                  s.residency(),
                  s.placement(),
                  s.audit(),
                  s.authLockouts(),
                  new Sessions(sessions, "console", clock, CONSOLE_IDLE, CONSOLE_LIFETIME),
                  clock,
                  config.region(),
                  data.spool(),
                  config.consolePublicUrl(),
                  s.consent(),
                  oidcSignIn(config, s, clock),
                  s.roles()));
      root =
          Listeners.dispatch(
              console, clients.wrap(Listeners.handler(consoleHandler::handle)), root);
    } else {
      this.console = null;
    }
    if (stores.cluster() != null && stores.auth() != null) {
      // Peers share addresses and send many requests each: no per-address caps here; every
      // request must carry the cluster secret's signature, and a refusal is audited.
      ServerConfig.Limits peers =
          new ServerConfig.Limits(
              limits.headerTimeout(),
              limits.idleTimeout(),
              limits.maxConnections(),
              0,
              0,
              limits.maxHeaderSize(),
              limits.maxHeaderCount(),
              limits.maxUrlLength(),
              limits.volumeReserve());
      ClientLimits clients = new ClientLimits("cluster", false, peers);
      // With the cluster CA, mutual TLS before the signature: a caller without a node certificate
      // never reaches the handler, and its failed handshake is audited like a bad signature.
      this.cluster = Listeners.listener(jetty, clusterTls, config.cluster().address(), clients);
      BlobServer blobServer =
          new BlobServer(
              stores.cluster().name(),
              stores.local(),
              stores.auth(),
              refusal -> ServerAudit.recordClusterRefusal(s.audit(), refusal, clock));
      blobServer.servingAudit(s.audit()::exportLocal);
      if (clusterTls != null) {
        cluster.addBean(blobServer.handshakes());
      }
      blobServer.setServer(jetty);
      jetty.addBean(blobServer);
      root = Listeners.dispatch(cluster, blobServer, root);
    } else {
      this.cluster = null;
    }
    // On stop: close the listeners, let requests in flight finish (up to the stop timeout), then
    // the stores are closed by the caller.
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(root);
    jetty.setHandler(graceful);
    jetty.setStopTimeout(30_000);
    if (limits.maxConnections() > 0) {
      // Over every listener: at the cap Jetty stops accepting (new connections wait in the
      // kernel's queue) and shortens the idle timeout of those it holds until one closes.
      NetworkConnectionLimit cap = new NetworkConnectionLimit(limits.maxConnections(), jetty);
      cap.setEndPointIdleTimeout(Math.min(limits.idleTimeout().toMillis(), 10_000));
      jetty.addBean(cap);
    }
  }

  private ServerConnector s3Listener(ServerConfig config, ClientLimits clients) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    // S3 keys may hold '//', '..', encoded slashes and more: the path is the client's, untouched.
    http.setUriCompliance(UriCompliance.UNSAFE);
    // Header values are signed byte for byte: Jetty's header cache would hand back a cached field
    // whose case differs ("charset=UTF-8" read as "charset=utf-8") and break SigV4.
    http.setHeaderCacheCaseSensitive(true);
    http.setHeaderCacheSize(0);
    return Listeners.listener(
        jetty, tls, new ServerConfig.Address(config.host(), config.port()), http, clients);
  }

  void start() throws Exception {
    jetty.start();
    accessLogFlush.start();
  }

  /** Stops listening, then writes the access log lines still buffered. */
  void stop() throws Exception {
    try {
      jetty.stop();
    } finally {
      accessLogFlush.stop();
      accessLogs.flush();
    }
  }

  /** Access logs are written every minute, or every COFFRE_ACCESS_LOG_FLUSH seconds (1 to 3600). */
  static Duration accessLogFlushInterval(Map<String, String> env) {
    String v = env.get("COFFRE_ACCESS_LOG_FLUSH");
    if (v == null || v.isBlank()) {
      return Duration.ofMinutes(1);
    }
    long seconds;
    try {
      seconds = Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException(
          "COFFRE_ACCESS_LOG_FLUSH: a number of seconds from 1 to 3600, not '" + v + "'");
    }
    return Duration.ofSeconds(seconds);
  }

  void join() throws InterruptedException {
    jetty.join();
  }

  /** The TLS material, or null over plain HTTP. */
  Tls tls() {
    return tls;
  }

  /** The TLS identities that reload: the listeners' and, on a node, the internal API's. */
  List<Tls> identities() {
    List<Tls> all = new ArrayList<>();
    if (tls != null) {
      all.add(tls);
    }
    if (clusterTls != null) {
      all.add(clusterTls);
    }
    return all;
  }

  /** The internal API's mutual TLS, or null when it speaks plain HTTP (or on a single server). */
  @Nullable Tls clusterTls() {
    return clusterTls;
  }

  int s3Port() {
    return s3.getLocalPort();
  }

  int opsPort() {
    return ops == null ? -1 : ops.getLocalPort();
  }

  int adminPort() {
    return admin == null ? -1 : admin.getLocalPort();
  }

  int consolePort() {
    return console == null ? -1 : console.getLocalPort();
  }

  /** The internal API's port, or -1 on a single server. */
  int clusterPort() {
    return cluster == null ? -1 : cluster.getLocalPort();
  }

  /** Whether a listener is only reachable from this machine (SSE-C keys may then use HTTP). */
  static boolean loopback(String host) {
    return SecurityPosture.loopback(host);
  }

  /** The console's OIDC sign-in, when a provider is configured (discovered at first use). */
  private static @Nullable OidcSignIn oidcSignIn(ServerConfig config, Services s, Clock clock) {
    OidcSettings o = config.oidc();
    if (o == null) {
      return null;
    }
    OidcHttp http = OidcHttp.jdk();
    return new OidcSignIn(
        o, new OidcVerifier(o.issuer(), http, clock), http, s.identities(), clock);
  }
}
