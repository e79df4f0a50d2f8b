package fr.coffre.server;

import fr.coffre.metadata.PostgresUrl;
import fr.coffre.service.oidc.OidcSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a Coffre server needs to start, validated when built: a bad value fails here with a message
 * that names the setting and the value.
 *
 * @param dataDir where blobs, metadata and (in development mode) the root key live
 * @param host the address to listen on
 * @param port the TCP port, or 0 to pick a free one (tests)
 * @param region the region the server answers for
 * @param domain the domain for virtual-hosted-style addressing, or null
 * @param rootAccessKey the root access key, or null to use (or generate) the stored one
 * @param rootSecretKey its secret, given together with the access key
 * @param uploadExpiry how long a multipart upload may stay unfinished before it is aborted and its
 *     parts reclaimed
 * @param ops where health and metrics are served, or null for nowhere
 * @param tlsCert PEM certificate chain for HTTPS on the S3 listener, or null for plain HTTP
 * @param tlsKey its PEM (PKCS#8) private key, given together with the certificate
 * @param hsm the PKCS#11 token holding the root key, or null
 * @param sealed where the passphrase of a passphrase-sealed root key comes from, or null; with
 *     neither, the root key is the development key file
 * @param admin where the operator's admin API is served, or null for nowhere
 * @param adminToken the operator's bearer token, or null to use (or generate) the stored one
 * @param console where the tenant console and share links are served, or null for nowhere
 * @param audit how the audit trail is kept
 * @param placement locations, volumes and sensitivity classes as configured (null: the defaults)
 * @param metadata the PostgreSQL database holding the metadata, or null for SQLite in {@code
 *     DATA/metadata.db}
 * @param opsToken the bearer token that {@code /metrics} asks for, or null when it asks none
 * @param insecureDev the developer override: a start that strict mode refuses ({@link
 *     SecurityPosture}) goes on, loudly logged and recorded in the audit trail
 * @param lifecycleInterval how often the lifecycle rules of buckets are applied
 * @param limits what one client may hold of the listeners, and the volumes' free-space reserve
 * @param consolePublicUrl the console's public base URL, or null
 * @param sigV2 whether S3 requests signed with AWS Signature Version 2 (HMAC-SHA1) are accepted,
 *     where the bucket's sensitivity class allows it ({@code auth.sigv2}; docs/security.md)
 * @param oidc the console's sign-in through an OIDC provider ({@code console.oidc}), or null
 * @param webIdentity the issuer STS AssumeRoleWithWebIdentity trusts ({@code auth.web-identity}),
 *     or null
 */
public record ServerConfig(
    Path dataDir,
    String host,
    int port,
    String region,
    String domain,
    String rootAccessKey,
    String rootSecretKey,
    Duration uploadExpiry,
    Address ops,
    Path tlsCert,
    Path tlsKey,
    Hsm hsm,
    Sealed sealed,
    Address admin,
    String adminToken,
    Audit audit,
    ConfigFile.Placement placement,
    Address console,
    Metadata metadata,
    String opsToken,
    boolean insecureDev,
    Duration lifecycleInterval,
    Limits limits,
    URI consolePublicUrl,
    boolean sigV2,
    Cluster cluster,
    Notifications notifications,
    OidcSettings oidc,
    ConfigFile.WebIdentity webIdentity) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final Duration DEFAULT_UPLOAD_EXPIRY = Duration.ofDays(7);
  public static final Duration DEFAULT_LIFECYCLE_INTERVAL = Duration.ofHours(1);

  /** Whether the S3 listener speaks HTTPS. */
  public boolean tls() {
    return tlsCert != null;
  }

  public static final int DEFAULT_PORT = 7070;
  public static final String DEFAULT_REGION = "us-east-1";

  public ServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("address: host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("address: port " + port + " is not between 0 and 65535");
    }
    if (region == null || !region.matches("[a-z0-9-]{1,32}")) {
      throw new IllegalArgumentException("region: '" + region + "' is not a region name");
    }
    if ((rootAccessKey == null) != (rootSecretKey == null)) {
      throw new IllegalArgumentException(
          "COFFRE_ROOT_ACCESS_KEY and COFFRE_ROOT_SECRET_KEY must be set together");
    }
    if (rootAccessKey != null && (rootAccessKey.length() < 3 || rootAccessKey.length() > 128)) {
      throw new IllegalArgumentException("COFFRE_ROOT_ACCESS_KEY: must be 3 to 128 characters");
    }
    if (rootSecretKey != null && rootSecretKey.length() < 8) {
      throw new IllegalArgumentException("COFFRE_ROOT_SECRET_KEY: must be at least 8 characters");
    }
    uploadExpiry = uploadExpiry == null ? DEFAULT_UPLOAD_EXPIRY : uploadExpiry;
    lifecycleInterval = lifecycleInterval == null ? DEFAULT_LIFECYCLE_INTERVAL : lifecycleInterval;
    audit = audit == null ? Audit.DEFAULTS : audit;
    limits = limits == null ? Limits.DEFAULTS : limits;
    notifications = notifications == null ? Notifications.NONE : notifications;
    if (webIdentity != null && (webIdentity.issuer() == null || webIdentity.issuer().isBlank())) {
      throw new IllegalArgumentException("auth.web-identity: the issuer is required");
    }
    if (webIdentity != null
        && (webIdentity.jwksFile() == null || webIdentity.jwksFile().isBlank())
        && (webIdentity.clientIds() == null || webIdentity.clientIds().isEmpty())) {
      throw new IllegalArgumentException(
          "auth.web-identity: without a jwks-file the keys come from the issuer's discovery,"
              + " and client-ids must name the client ids its tokens are issued for");
    }
    placement =
        placement == null
            ? new ConfigFile.Placement(null, null, null, null, null, null, null)
            : placement;
    if (cluster != null && metadata == null) {
      throw new IllegalArgumentException(
          "cluster: the nodes of a cluster share their metadata in PostgreSQL (--metadata,"
              + " COFFRE_METADATA_URL or metadata.url); SQLite is one server's");
    }
    Placements.of(
        placement,
        dataDir,
        cluster == null
            ? null
            : cluster.node()); // refuses a bad placement section before anything starts
    if (hsm != null && sealed != null) {
      throw new IllegalArgumentException(
          "root-key: choose either pkcs11 or a passphrase, not both");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("tls-cert and tls-key must be given together");
    }
    if (tlsCert != null && !Files.isReadable(tlsCert)) {
      throw new IllegalArgumentException("tls-cert: cannot read " + tlsCert);
    }
    if (tlsKey != null && !Files.isReadable(tlsKey)) {
      throw new IllegalArgumentException("tls-key: cannot read " + tlsKey);
    }
    if (adminToken != null && adminToken.length() < 16) {
      throw new IllegalArgumentException("COFFRE_ADMIN_TOKEN: must be at least 16 characters");
    }
    if (opsToken != null && opsToken.length() < 16) {
      throw new IllegalArgumentException("ops token: must be at least 16 characters");
    }
    if (uploadExpiry.isNegative() || uploadExpiry.isZero()) {
      throw new IllegalArgumentException("upload-expiry: must be positive, not " + uploadExpiry);
    }
    if (lifecycleInterval.isNegative() || lifecycleInterval.isZero()) {
      throw new IllegalArgumentException(
          "lifecycle-interval: must be positive, not " + lifecycleInterval);
    }
  }

  /** Whether this server is a node of a cluster. */
  public boolean clustered() {
    return cluster != null;
  }

  /**
   * The {@code cluster} settings of a node.
   *
   * @param node this node's name, unique in the cluster
   * @param address where peers reach this node's internal API
   * @param secretFile the file holding the secret every node shares (read at start)
   * @param tlsCert this node's certificate chain (PEM) on the internal API, or null without mutual
   *     TLS; it must chain to {@code caFile} and name the address peers use
   * @param tlsKey its private key (PKCS#8 PEM), given together with the certificate
   * @param caFile the cluster CA (PEM bundle): with it the internal API speaks HTTPS and requires a
   *     client certificate that chains to it; null for plain HTTP (loopback only in strict mode)
   * @param sourceAddress the address of this machine that calls to peers leave from, or null for
   *     the system's choice: peers and firewalls then see this node's calls come from it
   */
  public record Cluster(
      String node,
      Address address,
      Path secretFile,
      Path tlsCert,
      Path tlsKey,
      Path caFile,
      InetAddress sourceAddress) {
    public Cluster {
      if (node == null || !node.matches("[a-z0-9][a-z0-9-]{0,31}")) {
        throw new IllegalArgumentException(
            "node-name: '" + node + "' must be 1 to 32 lower-case letters, digits or '-'");
      }
      Objects.requireNonNull(address, "cluster-address");
      Objects.requireNonNull(secretFile, "cluster-secret-file");
      if (caFile == null && (tlsCert != null || tlsKey != null)) {
        throw new IllegalArgumentException(
            "cluster: a node certificate (cluster.tls-cert) needs the cluster CA that checks its"
                + " peers' (cluster.ca-file, --cluster-ca-file, COFFRE_CLUSTER_CA_FILE)");
      }
      if (caFile != null && (tlsCert == null || tlsKey == null)) {
        throw new IllegalArgumentException(
            "cluster.ca-file: mutual TLS needs this node's certificate and key (cluster.tls-cert"
                + " and cluster.tls-key, or the S3 listener's tls.cert and tls.key)");
      }
      for (Path p : new Path[] {tlsCert, tlsKey, caFile}) {
        if (p != null && !Files.isReadable(p)) {
          throw new IllegalArgumentException("cluster: cannot read " + p);
        }
      }
    }

    /** A node without mutual TLS on its internal API. */
    public Cluster(String node, Address address, Path secretFile) {
      this(node, address, secretFile, null, null, null, null);
    }

    /**
     * Parses {@code cluster.source-address}: an IP address (never a name, which would be looked up
     * at every start), without brackets or port.
     */
    public static InetAddress parseSourceAddress(String text) {
      String t = text.strip();
      if (!t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is not an IP address (the address of this machine that calls to peers leave from)");
      }
      try {
        return InetAddress.getByName(t); // a literal: no lookup
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
      }
    }

    /** Whether the internal API speaks mutual TLS. */
    public boolean tls() {
      return caFile != null;
    }
  }

  public ServerConfig(
      Path dataDir,
      String host,
      int port,
      String region,
      String domain,
      String rootAccessKey,
      String rootSecretKey) {
    this(
        dataDir,
        host,
        port,
        region,
        domain,
        rootAccessKey,
        rootSecretKey,
        DEFAULT_UPLOAD_EXPIRY,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        DEFAULT_LIFECYCLE_INTERVAL,
        Limits.DEFAULTS,
        null,
        true,
        null,
        null,
        null,
        null);
  }

  /**
   * The console's public base URL ({@code console.public-url}): absolute http(s), no query or
   * fragment; a trailing slash is dropped so that links read {@code BASE/s/TOKEN}.
   */
  static URI parsePublicUrl(String text) {
    URI u;
    try {
      u = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL");
    }
    if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
        || u.getHost() == null
        || u.getRawQuery() != null
        || u.getRawFragment() != null
        || u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not an http(s) base URL such as https://coffre.example.fr (no query, fragment"
              + " or user)");
    }
    String s = u.toString();
    return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /** Every listener this configuration opens: S3, then ops, admin and console when on. */
  public List<Listener> listeners() {
    List<Listener> all = new ArrayList<>();
    all.add(new Listener("S3", new Address(host, port)));
    if (ops != null) {
      all.add(new Listener("ops", ops));
    }
    if (admin != null) {
      all.add(new Listener("admin", admin));
    }
    if (console != null) {
      all.add(new Listener("console", console));
    }
    if (cluster != null) {
      all.add(new Listener("cluster", cluster.address()));
    }
    return all;
  }

  /** A listener by its name ({@code S3}, {@code ops}, {@code admin}, {@code console}). */
  public record Listener(String name, Address address) {}

  /**
   * The webhook targets bucket notifications may name (docs/notifications.md).
   *
   * @param maxBackoff the longest wait between two attempts at a failing target
   */
  public record Notifications(List<WebhookTarget> targets, Duration maxBackoff) {
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    public static final Notifications NONE = new Notifications(List.of(), DEFAULT_MAX_BACKOFF);

    public Notifications {
      targets = List.copyOf(targets);
      maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
      if (maxBackoff.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "notifications.max-backoff: must be at least 1s, not " + maxBackoff);
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      for (WebhookTarget t : targets) {
        if (!names.add(t.name())) {
          throw new IllegalArgumentException(
              "notifications.targets: the name '" + t.name() + "' is declared twice");
        }
      }
    }
  }

  @Override
  public String toString() {
    // Secrets (root secret, admin and ops tokens) are never printed.
    return "ServerConfig[data="
        + dataDir
        + ", address="
        + host
        + ":"
        + port
        + ", ops="
        + ops
        + ", admin="
        + admin
        + ", console="
        + console
        + ", tls="
        + tls()
        + ", insecureDev="
        + insecureDev
        + ", sigV2="
        + sigV2
        + "]";
  }

  /**
   * The audit trail's settings.
   *
   * @param enabled false only for development and benchmarks: nothing is recorded (warned at start)
   * @param retention how long records are kept (at least one day; 180 days by default)
   * @param failClosed refuse what cannot be recorded (the default) rather than act unrecorded
   * @param checkpointInterval how often chains with new records get a signed checkpoint
   */
  public record Audit(
      boolean enabled, Duration retention, boolean failClosed, Duration checkpointInterval) {
    public static final Audit DEFAULTS =
        new Audit(true, Duration.ofDays(180), true, Duration.ofSeconds(10));

    public Audit {
      if (retention.compareTo(Duration.ofDays(1)) < 0) {
        throw new IllegalArgumentException(
            "audit-retention: must be at least 1d, not " + retention);
      }
      if (checkpointInterval.compareTo(Duration.ofMillis(100)) < 0
          || checkpointInterval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "audit-checkpoint-interval: must be between 100 ms and 1h, not " + checkpointInterval);
      }
    }
  }

  /**
   * What one client may hold of the listeners, and the volumes' free-space reserve
   * (docs/security.md, "Connections and requests"). Each count may be 0 for no limit.
   *
   * @param headerTimeout the time a request's line and headers may take to arrive, whole, from the
   *     connection's opening or the request's first byte (not an idle timeout: a byte does not
   *     restart it); past it the connection is closed
   * @param idleTimeout how long a connection may stay silent (between requests, or in a body)
   * @param maxConnections connections open at once over every listener; beyond, new ones wait in
   *     the kernel's accept queue until one closes
   * @param maxConnectionsPerAddress connections one client address may hold on one listener;
   *     beyond, a new one is closed at once
   * @param maxRequestsPerAddress requests of one client address in progress at once on one
   *     listener; beyond, {@code 503 SlowDown} with {@code Retry-After}
   * @param maxHeaderSize bytes of a request line and its headers ({@code 414} when the line alone
   *     overflows it, else {@code 431})
   * @param maxHeaderCount header fields of a request ({@code 431} beyond)
   * @param maxUrlLength bytes of a request's target, path and query ({@code 414} beyond)
   * @param volumeReserve free space that writes leave on each volume and on the data directory
   */
  public record Limits(
      Duration headerTimeout,
      Duration idleTimeout,
      int maxConnections,
      int maxConnectionsPerAddress,
      int maxRequestsPerAddress,
      int maxHeaderSize,
      int maxHeaderCount,
      int maxUrlLength,
      VolumeSpace.Reserve volumeReserve) {
    public static final Limits DEFAULTS =
        new Limits(
            Duration.ofSeconds(15),
            Duration.ofSeconds(120),
            10_000,
            256,
            128,
            64 * 1024,
            100,
            16 * 1024,
            VolumeSpace.Reserve.DEFAULT);

    public Limits {
      Objects.requireNonNull(volumeReserve, "volumeReserve");
      if (headerTimeout.compareTo(Duration.ofSeconds(1)) < 0
          || headerTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "limits.header-timeout: must be between 1s and 10m, not " + headerTimeout);
      }
      if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0
          || idleTimeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "limits.idle-timeout: must be between 1s and 1h, not " + idleTimeout);
      }
      atLeast("limits.max-connections", maxConnections, 0);
      atLeast("limits.max-connections-per-address", maxConnectionsPerAddress, 0);
      atLeast("limits.max-requests-per-address", maxRequestsPerAddress, 0);
      atLeast("limits.max-header-size", maxHeaderSize, 8 * 1024);
      atLeast("limits.max-header-count", maxHeaderCount, 0);
      atLeast("limits.max-url-length", maxUrlLength, 0);
      if (maxHeaderSize > 1024 * 1024) {
        throw new IllegalArgumentException(
            "limits.max-header-size: must be at most 1MiB, not " + maxHeaderSize);
      }
    }

    private static void atLeast(String key, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(key + ": must be at least " + min + ", not " + value);
      }
    }
  }

  /** Parses an operations address: {@code HOST:PORT}, or {@code off} for none. */
  public static Address parseOpsAddress(String value) {
    return value == null || value.isBlank() || value.strip().equalsIgnoreCase("off")
        ? null
        : parseAddress(value.strip());
  }

  /** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}). */
  public static ServerConfig.Address parseAddress(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("'" + value + "' is not HOST:PORT");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new Address(host, Integer.parseInt(value.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' has no numeric port");
    }
  }

  /**
   * The HSM that holds the root key.
   *
   * @param library the PKCS#11 module
   * @param slot the token's slot id
   * @param pin the user PIN (never printed)
   * @param keyLabel the root key's label in the token
   */
  public record Hsm(String library, long slot, String pin, String keyLabel) {
    public Hsm {
      if (library == null || !Files.isReadable(Path.of(library))) {
        throw new IllegalArgumentException("pkcs11-library: cannot read " + library);
      }
      if (pin == null || pin.isEmpty()) {
        throw new IllegalArgumentException(
            "pkcs11-pin: the HSM user PIN is needed (COFFRE_PKCS11_PIN or pin-file)");
      }
      if (keyLabel == null || keyLabel.isBlank()) {
        throw new IllegalArgumentException("pkcs11-key-label: must not be empty");
      }
    }

    @Override
    public String toString() {
      return "Hsm[" + library + ", slot " + slot + ", key " + keyLabel + "]";
    }
  }

  /**
   * A passphrase-sealed root key: the passphrase is given directly (environment) or read from a
   * file, which the server waits for while it stays sealed.
   */
  public record Sealed(String passphrase, Path passphraseFile) {
    public Sealed {
      if ((passphrase == null || passphrase.isEmpty()) && passphraseFile == null) {
        throw new IllegalArgumentException(
            "root-passphrase: give COFFRE_ROOT_PASSPHRASE or a passphrase file");
      }
    }

    @Override
    public String toString() {
      return "Sealed["
          + (passphraseFile != null ? passphraseFile : "passphrase from the environment")
          + "]";
    }
  }

  /**
   * A PostgreSQL database for the metadata.
   *
   * @param url where it is (never with a password)
   * @param password the role's password, or null when the server asks none (never printed)
   */
  public record Metadata(PostgresUrl url, String password) {
    public Metadata {
      Objects.requireNonNull(url, "url");
    }

    @Override
    public String toString() {
      return "Metadata[" + url + (password == null ? "" : ", password given") + "]";
    }
  }

  /** A host and port. */
  public record Address(String host, int port) {
    public Address {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("address: port " + port + " is not between 0 and 65535");
      }
    }
  }
}
