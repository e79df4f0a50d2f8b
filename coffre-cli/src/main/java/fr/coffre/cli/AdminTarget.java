package fr.coffre.cli;

import fr.coffre.server.AdminEndpoint;
import fr.coffre.server.ConfigFile;
import fr.coffre.server.ServerConfig;
import fr.coffre.server.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which server {@code coffre admin} talks to, read from the sources the server itself reads: what
 * the server of the data directory wrote at its start ({@code DATA/admin.endpoint}: the address it
 * bound, its certificate), else the configuration file ({@code --config}, {@code COFFRE_CONFIG}),
 * the environment ({@code COFFRE_ADMIN_ADDRESS}, {@code COFFRE_TLS_CERT}, {@code COFFRE_DATA}), the
 * data directory, then the defaults. So {@code --config /etc/coffre/coffre.yaml} or {@code --data
 * DIR} reaches the server of that file or directory: its admin address, HTTPS when it has TLS
 * (trusting its certificate), and its admin token. Without any of them, the Debian package's {@code
 * /etc/coffre/coffre.yaml} and {@code /var/lib/coffre} are used when present and the user has no
 * data directory of their own.
 *
 * @param url the admin API's base URL
 * @param urlSource where the URL came from, for messages
 * @param data the server's data directory (its {@code admin-token})
 * @param trust a PEM certificate (or CA) to trust for HTTPS, or null for the system's
 * @param trustSource where {@code trust} came from
 */
record AdminTarget(URI url, String urlSource, Path data, Path trust, String trustSource) {
  static final Path PACKAGE_CONFIG = Path.of("/etc/coffre/coffre.yaml");
  static final Path PACKAGE_DATA = Path.of("/var/lib/coffre");

  /** The flags of the command line; each may be null. */
  record Flags(String url, Path config, Path data, Path caCert) {}

  /**
   * Resolves the target; IllegalArgumentException says what is wrong (an unreadable or invalid
   * configuration file, an admin API turned off).
   */
  static AdminTarget resolve(Flags flags, Map<String, String> env, Path home) {
    Path homeData = home.resolve(".local/share/coffre");
    Path config = flags.config() != null ? flags.config() : path(env.get("COFFRE_CONFIG"));
    boolean nothingSaid =
        config == null
            && flags.data() == null
            && blank(env.get("COFFRE_DATA"))
            && flags.url() == null
            && blank(env.get("COFFRE_ADMIN_URL"));
    if (nothingSaid && !Files.isDirectory(homeData) && Files.isRegularFile(PACKAGE_CONFIG)) {
      config = PACKAGE_CONFIG; // the Debian package's server
    }
    // Loaded only when there is one: the YAML parser costs start-up time.
    ConfigFile file = config == null ? null : ConfigFile.load(config);
    String fileName = config == null ? null : "config " + config;

    Path data;
    if (flags.data() != null) {
      data = flags.data();
    } else if (!blank(env.get("COFFRE_DATA"))) {
      data = Path.of(env.get("COFFRE_DATA"));
    } else if (file != null && file.data() != null) {
      data = Path.of(file.data());
    } else if (!Files.isDirectory(homeData) && Files.isDirectory(PACKAGE_DATA)) {
      data = PACKAGE_DATA;
    } else {
      data = homeData;
    }

    String cert = env.get("COFFRE_TLS_CERT");
    String certSource = "COFFRE_TLS_CERT";
    if (blank(cert) && file != null && file.tls() != null && file.tls().cert() != null) {
      cert = file.tls().cert();
      certSource = fileName + ": tls.cert";
    }
    Path trust = flags.caCert();
    String trustSource = "--ca-cert";
    if (trust == null && !blank(cert)) {
      trust = Path.of(cert);
      trustSource = certSource;
    }

    if (flags.url() != null) {
      return new AdminTarget(base(flags.url()), "--url", data, trust, trustSource);
    }
    if (!blank(env.get("COFFRE_ADMIN_URL"))) {
      return new AdminTarget(
          base(env.get("COFFRE_ADMIN_URL")), "COFFRE_ADMIN_URL", data, trust, trustSource);
    }
    // What the server of that directory wrote at its start: the address it really bound. The
    // user's own directory, chosen only because nothing named one, may belong to another server:
    // an address the configuration or the environment states wins over it.
    boolean dataStated =
        flags.data() != null
            || !blank(env.get("COFFRE_DATA"))
            || (file != null && file.data() != null);
    boolean addressStated =
        !blank(env.get("COFFRE_ADMIN_ADDRESS")) || (file != null && file.adminAddress() != null);
    var endpoint =
        dataStated || !addressStated ? AdminEndpoint.read(data) : Optional.<AdminEndpoint>empty();
    if (endpoint.isPresent()) {
      Path left = endpoint.get().tlsCert();
      return new AdminTarget(
          base(endpoint.get().url().toString()),
          data.resolve(AdminEndpoint.FILE_NAME) + ", written by the server at its start",
          data,
          flags.caCert() != null ? flags.caCert() : left != null ? left : trust,
          flags.caCert() != null
              ? "--ca-cert"
              : left != null ? "the server's TLS certificate" : trustSource);
    }
    String address = env.get("COFFRE_ADMIN_ADDRESS");
    String source = "COFFRE_ADMIN_ADDRESS";
    if (blank(address) && file != null) {
      address = file.adminAddress();
      source = fileName + ": admin-address";
    }
    if (blank(address)) {
      address = Settings.DEFAULT_ADMIN_ADDRESS;
      source = "the default admin address";
    }
    ServerConfig.Address a;
    try {
      a = ServerConfig.parseOpsAddress(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
    if (a == null) {
      throw new IllegalArgumentException(
          "the server's admin API is off (" + source + "); turn it on to use coffre admin");
    }
    String host = a.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      host = "127.0.0.1"; // a server listening everywhere is reached here on loopback
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    String scheme = blank(cert) ? "http" : "https";
    return new AdminTarget(
        URI.create(scheme + "://" + host + ":" + a.port()), source, data, trust, trustSource);
  }

  private static URI base(String url) {
    return URI.create(url.strip().replaceAll("/+$", ""));
  }

  private static Path path(String s) {
    return blank(s) ? null : Path.of(s);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
