package fr.coffre.server;

import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.crypto.Pkcs11RootKey;
import fr.coffre.crypto.SealedRootKey;
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
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
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
  private SealedRootKey sealedKey;
  private volatile Unsealer unsealer;

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
    this.credentials = RootCredentials.resolve(config);
    this.clock = Clock.systemUTC();
    Files.createDirectories(data.resolve("keys"));
    RootKey rootKey;
    if (config.sealed() != null) {
      this.sealedKey = SealedRootKey.at(data.resolve("keys").resolve("sealed-root.key"), SealedRootKey.Cost.DEFAULT);
      rootKey = sealedKey;
      LOG.info("root key is passphrase-sealed ({}); nothing is served until it is unsealed", config.sealed());
    } else if (config.hsm() != null) {
      // No fallback: an HSM that cannot be opened stops the start.
      ServerConfig.Hsm hsm = config.hsm();
      rootKey = Pkcs11RootKey.open(hsm.library(), hsm.slot(), hsm.pin().toCharArray(), hsm.keyLabel());
      LOG.info("root key {} is in the HSM (slot {}), non-extractable", rootKey.id(), hsm.slot());
    } else {
      rootKey = KeyFileRootKey.openOrCreate(data.resolve("keys").resolve("dev-root.key"));
      LOG.warn(
          "DEVELOPMENT KEY MODE: the root key is a file ({}); anyone who can read the data"
              + " directory can decrypt it. Use an HSM or a sealed key in production.",
          data.resolve("keys").resolve("dev-root.key"));
    }
    this.blobs = new FileBlobStore(data.resolve("volume"));
    this.metrics = new Metrics(data.resolve("volume"));
    this.metadata = metrics.timed(SqliteMetadataStore.open(data.resolve("metadata.db")));
    int orphans = new BlobJanitor(metadata, blobs).collect();
    LOG.debug("start-up collection removed {} orphan blobs", orphans);
    ObjectCrypto crypto = new ObjectCrypto(rootKey);
    this.crypto = crypto;
    BucketService buckets = new BucketService(metadata, blobs, clock);
    ObjectService objects = new ObjectService(metadata, blobs, crypto, clock);
    this.multipart = new MultipartService(metadata, blobs, crypto, clock);
    this.uploadExpiry = config.uploadExpiry();
    ApiContext ctx = new ApiContext(buckets, objects, multipart, config.region(),
        new Documents.Owner(ownerId(credentials.accessKey()), "coffre-root"), S3Api.credentials(credentials),
        loopback(config.host()));
    S3Handler handler =
        new S3Handler(
            S3Api.actions(ctx),
            sealedKey == null ? S3Api.authenticator(credentials)
                : S3Api.gated(S3Api.authenticator(credentials), sealedKey::isSealed),
            new CorsRules(ctx),
            metrics,
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
      root = new Handler.Abstract(Handler.AbstractContainer.InvocationType.BLOCKING) {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
          return request.getConnectionMetaData().getConnector() == opsConnector
              ? ops.handle(request, response, callback)
              : handler.handle(request, response, callback);
        }
      };
    } else {
      this.opsConnector = null;
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
    if (server.sealedKey != null) {
      server.unsealer = new Unsealer(server.sealedKey, config.sealed());
      server.unsealer.start();
    }
    if (server.tls != null) {
      Hangup.onSignal(server.tls::reload);
      server.tls.watch(Duration.ofSeconds(2));
    }
    LOG.info("Coffre listening on {}://{}:{}/ (data in {})", config.tls() ? "https" : "http", config.host(),
        server.port(), config.dataDir());
    if (server.opsConnector != null) {
      LOG.info("health and metrics on http://{}:{}/health/ready and /metrics", config.ops().host(), server.opsPort());
    }
    if (server.credentials.file() != null) {
      LOG.info("root credentials are in {} (access key {})", server.credentials.file(), server.credentials.accessKey());
    } else {
      LOG.info("root credentials from the environment (access key {})", server.credentials.accessKey());
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
    checks.put("volume", Files.isWritable(config.dataDir().toAbsolutePath().resolve("volume")));
    boolean keyUp;
    try (var key = crypto.newDataKey(); var again = crypto.unwrap(key.keyRef(), key.wrapped())) {
      keyUp = true; // the root key wraps and unwraps: it is loaded and usable
    } catch (RuntimeException e) {
      keyUp = false;
    }
    checks.put("root-key", keyUp);
    return checks;
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
    try {
      jetty.stop();
    } finally {
      try {
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
