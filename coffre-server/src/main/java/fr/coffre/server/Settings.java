package fr.coffre.server;

import fr.coffre.metadata.PostgresUrl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link ServerConfig} from its three sources, highest first: command-line flags,
 * environment variables ({@code COFFRE_*}), the configuration file; then defaults. A bad value
 * fails with a message naming its source, its key and the value.
 *
 * @param flags the values given as flags, by key (e.g. {@code address}); absent keys are not given
 */
public record Settings(
    Map<String, String> flags, Map<String, String> env, ConfigFile file, String fileName) {
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7070";
  public static final String DEFAULT_OPS_ADDRESS = "127.0.0.1:7071";
  public static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1:7072";
  public static final String DEFAULT_CONSOLE_ADDRESS = "127.0.0.1:7073";

  /** The environment variable of a key: {@code ops-address} → {@code COFFRE_OPS_ADDRESS}. */
  static String envName(String key) {
    return "COFFRE_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  private record Value(String source, String text) {}

  private Value value(String key, String fromFile, String dflt) {
    return value(key, envName(key), key, fromFile, dflt);
  }

  /**
   * The value of the flag {@code --flag}, else the environment variable, else the file's {@code
   * fileKey}, else the default.
   */
  private Value value(String flag, String envName, String fileKey, String fromFile, String dflt) {
    if (flags.get(flag) != null) {
      return new Value("--" + flag, flags.get(flag));
    }
    String e = env.get(envName);
    if (e != null && !e.isEmpty()) {
      return new Value(envName, e);
    }
    if (fromFile != null) {
      return new Value("config " + fileName + ": " + fileKey, fromFile);
    }
    return dflt == null ? null : new Value("default " + fileKey, dflt);
  }

  private static <T> T parse(Value v, Function<String, T> parser) {
    if (v == null) {
      return null;
    }
    try {
      return parser.apply(v.text());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(v.source() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The server configuration these sources describe; IllegalArgumentException names what is wrong.
   */
  public ServerConfig resolve() {
    ConfigFile f = file == null ? ConfigFile.EMPTY : file;
    ConfigFile.Tls tls = f.tls() == null ? new ConfigFile.Tls(null, null) : f.tls();
    Path data =
        parse(
            value("data", f.data(), System.getProperty("user.home") + "/.local/share/coffre"),
            Path::of);
    ServerConfig.Address address =
        parse(value("address", f.address(), DEFAULT_ADDRESS), ServerConfig::parseAddress);
    String region = parse(value("region", f.region(), ServerConfig.DEFAULT_REGION), s -> s);
    String domain = parse(value("domain", f.domain(), null), s -> s);
    ServerConfig.Address ops =
        parse(
            value("ops-address", f.opsAddress(), DEFAULT_OPS_ADDRESS),
            ServerConfig::parseOpsAddress);
    ServerConfig.Address admin =
        parse(
            value("admin-address", f.adminAddress(), DEFAULT_ADMIN_ADDRESS),
            ServerConfig::parseOpsAddress);
    ServerConfig.Address console =
        parse(
            value("console-address", f.consoleAddress(), DEFAULT_CONSOLE_ADDRESS),
            ServerConfig::parseOpsAddress);
    Duration expiry =
        parse(value("upload-expiry", f.uploadExpiry(), "7d"), Settings::parseDuration);
    Duration lifecycleInterval =
        parse(value("lifecycle-interval", f.lifecycleInterval(), "1h"), Settings::parseDuration);
    Value s3Cert = value("tls-cert", tls.cert(), null);
    Value s3Key = value("tls-key", tls.key(), null);
    Path cert = parse(s3Cert, Path::of);
    Path key = parse(s3Key, Path::of);
    ServerConfig.Hsm hsm = hsm(f);
    ServerConfig.Sealed sealed = sealed(f);
    ServerConfig.Audit audit = audit(f);
    ServerConfig.Metadata metadata = metadata(f);
    String opsToken = opsToken(f);
    boolean insecureDev =
        parse(value("insecure-dev", f.insecureDev(), "false"), Settings::parseSwitch);
    // On by default: the clients that need it (aws-cli v1 presign, s3cmd signurl) work out of the
    // box, and the classes that must not see HMAC-SHA1 (health and above) refuse it themselves.
    boolean sigV2 =
        parse(
            value(
                "sigv2",
                "COFFRE_AUTH_SIGV2",
                "auth.sigv2",
                f.auth() == null ? null : f.auth().sigv2(),
                "true"),
            Settings::parseSwitch);
    URI publicUrl =
        parse(
            value(
                "console-public-url",
                "COFFRE_CONSOLE_PUBLIC_URL",
                "console.public-url",
                f.console() == null ? null : f.console().publicUrl(),
                null),
            ServerConfig::parsePublicUrl);
    try {
      return new ServerConfig(
          data,
          address.host(),
          address.port(),
          region,
          domain,
          env.get("COFFRE_ROOT_ACCESS_KEY"),
          env.get("COFFRE_ROOT_SECRET_KEY"),
          expiry,
          ops,
          cert,
          key,
          hsm,
          sealed,
          admin,
          env.get("COFFRE_ADMIN_TOKEN") == null || env.get("COFFRE_ADMIN_TOKEN").isEmpty()
              ? null
              : env.get("COFFRE_ADMIN_TOKEN"),
          audit,
          f.placement(),
          console,
          metadata,
          opsToken,
          insecureDev,
          lifecycleInterval,
          limits(f),
          publicUrl,
          sigV2,
          cluster(f, s3Cert, s3Key),
          notifications(f),
          OidcConfig.resolve(f.console() == null ? null : f.console().oidc(), publicUrl, env),
          f.auth() == null ? null : f.auth().webIdentity());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          (fileName == null ? "" : "config " + fileName + " / flags / environment: ")
              + e.getMessage(),
          e);
    }
  }

  /**
   * This node's cluster settings, when it is one ({@code --node-name}, {@code --cluster-address},
   * {@code --cluster-secret-file}, or their {@code COFFRE_*} variables, or the {@code cluster}
   * section): all three or none; with the cluster CA ({@code --cluster-ca-file}) the node's
   * certificate and key, by default the S3 listener's.
   */
  private ServerConfig.Cluster cluster(ConfigFile f, Value s3Cert, Value s3Key) {
    ConfigFile.Cluster c =
        f.cluster() == null
            ? new ConfigFile.Cluster(null, null, null, null, null, null, null)
            : f.cluster();
    Value node = value("node-name", "COFFRE_NODE_NAME", "cluster.node", c.node(), null);
    Value address =
        value("cluster-address", "COFFRE_CLUSTER_ADDRESS", "cluster.address", c.address(), null);
    Value secret =
        value(
            "cluster-secret-file",
            "COFFRE_CLUSTER_SECRET_FILE",
            "cluster.secret-file",
            c.secretFile(),
            null);
    if (node == null && address == null && secret == null) {
      return null;
    }
    if (node == null || address == null || secret == null) {
      throw new IllegalArgumentException(
          "cluster: a node needs its name (--node-name), its internal address (--cluster-address)"
              + " and the cluster secret (--cluster-secret-file); "
              + (node == null ? "the name" : address == null ? "the address" : "the secret file")
              + " is missing");
    }
    ServerConfig.Address a = parse(address, ServerConfig::parseAddress);
    String name = parse(node, n -> new ServerConfig.Cluster(n, a, Path.of(".")).node());
    Path ca =
        parse(
            value("cluster-ca-file", "COFFRE_CLUSTER_CA_FILE", "cluster.ca-file", c.caFile(), null),
            Path::of);
    // With the cluster CA, the node's certificate defaults to the S3 listener's (when the cluster
    // CA signed it); without, no default: a certificate alone would be TLS without peer checks.
    Value cert =
        value("cluster-tls-cert", "COFFRE_CLUSTER_TLS_CERT", "cluster.tls-cert", c.tlsCert(), null);
    Value key =
        value("cluster-tls-key", "COFFRE_CLUSTER_TLS_KEY", "cluster.tls-key", c.tlsKey(), null);
    if (ca != null && cert == null && key == null) {
      cert = s3Cert;
      key = s3Key;
    }
    InetAddress source =
        parse(
            value(
                "cluster-source-address",
                "COFFRE_CLUSTER_SOURCE_ADDRESS",
                "cluster.source-address",
                c.sourceAddress(),
                null),
            ServerConfig.Cluster::parseSourceAddress);
    return new ServerConfig.Cluster(
        name, a, parse(secret, Path::of), parse(cert, Path::of), parse(key, Path::of), ca, source);
  }

  /**
   * The PostgreSQL database of the metadata, when one is configured ({@code --metadata}, {@code
   * COFFRE_METADATA_URL}, {@code metadata.url}); its password from {@code
   * COFFRE_METADATA_PASSWORD}, else the file that {@code COFFRE_METADATA_PASSWORD_FILE} or {@code
   * metadata.password-file} names (one line; its line ending is not part of it). No URL: SQLite.
   */
  private ServerConfig.Metadata metadata(ConfigFile f) {
    ConfigFile.Metadata m =
        f.metadata() == null ? new ConfigFile.Metadata(null, null) : f.metadata();
    Value url = value("metadata", "COFFRE_METADATA_URL", "metadata.url", m.url(), null);
    String password = env.get("COFFRE_METADATA_PASSWORD");
    Value passwordFile =
        value(
            "metadata-password-file",
            "COFFRE_METADATA_PASSWORD_FILE",
            "metadata.password-file",
            m.passwordFile(),
            null);
    if (url == null) {
      if ((password != null && !password.isEmpty()) || passwordFile != null) {
        throw new IllegalArgumentException(
            "a metadata password is given but no metadata URL"
                + " (--metadata, COFFRE_METADATA_URL or metadata.url)");
      }
      return null;
    }
    PostgresUrl parsed = parse(url, PostgresUrl::parse);
    if (password == null || password.isEmpty()) {
      password =
          parse(
              passwordFile,
              file -> {
                try {
                  return Files.readString(Path.of(file)).replaceAll("\\R+$", "");
                } catch (IOException e) {
                  throw new IllegalArgumentException("cannot read " + file);
                }
              });
    }
    return new ServerConfig.Metadata(parsed, password);
  }

  /**
   * The bearer token of {@code /metrics}: {@code COFFRE_OPS_TOKEN}, else the file that {@code
   * --ops-token-file}, {@code COFFRE_OPS_TOKEN_FILE} or {@code ops-token-file} names (one line),
   * else none.
   */
  private String opsToken(ConfigFile f) {
    String direct = env.get("COFFRE_OPS_TOKEN");
    if (direct != null && !direct.isEmpty()) {
      return direct;
    }
    return parse(
        value("ops-token-file", f.opsTokenFile(), null),
        file -> {
          try {
            return Files.readString(Path.of(file)).strip();
          } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file);
          }
        });
  }

  /** The audit trail's settings ({@code audit-*} keys, or the file's {@code audit} section). */
  private ServerConfig.Audit audit(ConfigFile f) {
    ConfigFile.Audit a =
        f.audit() == null ? new ConfigFile.Audit(null, null, null, null) : f.audit();
    ServerConfig.Audit d = ServerConfig.Audit.DEFAULTS;
    boolean enabled = parse(value("audit", a.enabled(), "on"), Settings::parseSwitch);
    Duration retention =
        parse(
            value("audit-retention", a.retention(), d.retention().toDays() + "d"),
            Settings::parseDuration);
    boolean failClosed =
        parse(value("audit-fail-closed", a.failClosed(), "true"), Settings::parseSwitch);
    Duration interval =
        parse(
            value("audit-checkpoint-interval", a.checkpointInterval(), "10s"),
            Settings::parseDuration);
    Value where = value("audit-retention", a.retention(), "180d");
    return parse(
        where, ignored -> new ServerConfig.Audit(enabled, retention, failClosed, interval));
  }

  /**
   * The {@code limits} section; each key also from {@code COFFRE_LIMITS_<KEY>} (e.g. {@code
   * COFFRE_LIMITS_HEADER_TIMEOUT}) or the flag {@code --limits.<key>} where the CLI gives one.
   */
  private ServerConfig.Limits limits(ConfigFile f) {
    ConfigFile.Limits l =
        f.limits() == null
            ? new ConfigFile.Limits(null, null, null, null, null, null, null, null, null)
            : f.limits();
    ServerConfig.Limits d = ServerConfig.Limits.DEFAULTS;
    Duration headerTimeout =
        parse(
            value("limits.header-timeout", l.headerTimeout(), d.headerTimeout().toSeconds() + "s"),
            Settings::parseDuration);
    Duration idleTimeout =
        parse(
            value("limits.idle-timeout", l.idleTimeout(), d.idleTimeout().toSeconds() + "s"),
            Settings::parseDuration);
    int maxConnections = count("limits.max-connections", l.maxConnections(), d.maxConnections());
    int perAddress =
        count(
            "limits.max-connections-per-address",
            l.maxConnectionsPerAddress(),
            d.maxConnectionsPerAddress());
    int requests =
        count(
            "limits.max-requests-per-address",
            l.maxRequestsPerAddress(),
            d.maxRequestsPerAddress());
    int headerSize = size("limits.max-header-size", l.maxHeaderSize(), d.maxHeaderSize());
    int headerCount = count("limits.max-header-count", l.maxHeaderCount(), d.maxHeaderCount());
    int urlLength = size("limits.max-url-length", l.maxUrlLength(), d.maxUrlLength());
    VolumeSpace.Reserve reserve =
        parse(value("limits.volume-reserve", l.volumeReserve(), "5%"), VolumeSpace.Reserve::parse);
    // A value out of range is named by its key in the message (ServerConfig.Limits).
    return new ServerConfig.Limits(
        headerTimeout,
        idleTimeout,
        maxConnections,
        perAddress,
        requests,
        headerSize,
        headerCount,
        urlLength,
        reserve);
  }

  private int count(String key, String fromFile, int dflt) {
    return parse(
        value(key, fromFile, Integer.toString(dflt)),
        s -> {
          try {
            return Integer.parseInt(s.strip());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
          }
        });
  }

  private int size(String key, String fromFile, int dflt) {
    return parse(
        value(key, fromFile, Integer.toString(dflt)),
        s -> {
          long bytes = VolumeSpace.Reserve.parseSize(s);
          if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + s + "' is too large");
          }
          return (int) bytes;
        });
  }

  /** Parses on/off, true/false, yes/no. */
  static boolean parseSwitch(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not on/off (true/false)");
    };
  }

  /** The passphrase source of a sealed root key, when one is configured. */
  private ServerConfig.Sealed sealed(ConfigFile f) {
    String direct = env.get("COFFRE_ROOT_PASSPHRASE");
    Path file =
        parse(
            value(
                "root-passphrase-file",
                f.rootKey() == null ? null : f.rootKey().passphraseFile(),
                null),
            Path::of);
    if ((direct == null || direct.isEmpty()) && file == null) {
      return null;
    }
    return new ServerConfig.Sealed(direct, file);
  }

  /**
   * The HSM settings, when a PKCS#11 library is configured; the PIN from the environment or a file.
   */
  private ServerConfig.Hsm hsm(ConfigFile f) {
    ConfigFile.Pkcs11 p =
        f.rootKey() == null || f.rootKey().pkcs11() == null
            ? new ConfigFile.Pkcs11(null, null, null, null)
            : f.rootKey().pkcs11();
    Value library = value("pkcs11-library", p.library(), null);
    if (library == null) {
      return null;
    }
    Long slot =
        parse(
            value("pkcs11-slot", p.slot(), null),
            s -> {
              try {
                return Long.parseLong(s.strip());
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a slot number");
              }
            });
    if (slot == null) {
      throw new IllegalArgumentException("pkcs11-slot: needed with pkcs11-library");
    }
    String pin = env.get("COFFRE_PKCS11_PIN");
    if (pin == null || pin.isEmpty()) {
      pin =
          parse(
              value("pkcs11-pin-file", p.pinFile(), null),
              file -> {
                try {
                  return Files.readString(Path.of(file)).strip();
                } catch (IOException e) {
                  throw new IllegalArgumentException("cannot read " + file);
                }
              });
    }
    String label = parse(value("pkcs11-key-label", p.keyLabel(), "coffre-root"), s -> s);
    String lib = library.text();
    String pinValue = pin;
    return parse(library, ignored -> new ServerConfig.Hsm(lib, slot, pinValue, label));
  }

  /** The {@code notifications} section: the webhook targets the operator allows. */
  private static ServerConfig.Notifications notifications(ConfigFile f) {
    ConfigFile.Notifications n = f.notifications();
    if (n == null) {
      return ServerConfig.Notifications.NONE;
    }
    List<WebhookTarget> targets = new ArrayList<>();
    for (ConfigFile.NotificationTarget t :
        n.targets() == null ? List.<ConfigFile.NotificationTarget>of() : n.targets()) {
      URI url;
      try {
        url = t.url() == null ? null : new URI(t.url());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "notifications.targets[" + t.name() + "].url: '" + t.url() + "' is not a URL");
      }
      targets.add(
          new WebhookTarget(
              t.name(), url, t.secretFile() == null ? null : Path.of(t.secretFile())));
    }
    return new ServerConfig.Notifications(
        targets, n.maxBackoff() == null ? null : parseDuration(n.maxBackoff()));
  }

  private static final Pattern SHORT = Pattern.compile("(\\d+)([smhd])");

  /** Parses {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d} or an ISO-8601 duration. */
  public static Duration parseDuration(String value) {
    String v = value.strip();
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + value + "' is not a duration like 7d, 12h or 30m");
    }
  }
}
