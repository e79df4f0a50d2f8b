package fr.coffre.cli;

import fr.coffre.server.CoffreServer;
import fr.coffre.server.ConfigFile;
import fr.coffre.server.ServerConfig;
import fr.coffre.server.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffre server}: runs the S3 server in the foreground until it is stopped. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the S3 server on embedded defaults: blobs on local disk, metadata in SQLite (or PostgreSQL: --metadata).",
      "Each setting comes from its flag, else its COFFRE_* environment variable, else the",
      "configuration file (--config, see coffre.example.yaml), else its default.",
      "Root credentials come from COFFRE_ROOT_ACCESS_KEY / COFFRE_ROOT_SECRET_KEY, or are"
          + " generated on first start into DIR/root-credentials (owner-only)."
    })
final class ServerCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration file (YAML); env COFFRE_CONFIG.")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory (env COFFRE_DATA; default ~/.local/share/coffre).")
  String data;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description =
          "Address of the S3 API (env COFFRE_ADDRESS; default " + Settings.DEFAULT_ADDRESS + ").")
  String address;

  @Option(
      names = "--region",
      description = "Region the server answers for (env COFFRE_REGION; default us-east-1).")
  String region;

  @Option(
      names = "--domain",
      description =
          "Domain for virtual-hosted-style requests (BUCKET.DOMAIN); path style always works (env COFFRE_DOMAIN).")
  String domain;

  @Option(
      names = "--ops-address",
      paramLabel = "HOST:PORT",
      description =
          "Where /health/live, /health/ready and /metrics are served, or 'off' (env COFFRE_OPS_ADDRESS;"
              + " default "
              + Settings.DEFAULT_OPS_ADDRESS
              + ").")
  String opsAddress;

  @Option(
      names = "--admin-address",
      paramLabel = "HOST:PORT",
      description =
          "Where the operator's admin API (KMS keys, unseal) is served, or 'off' (env COFFRE_ADMIN_ADDRESS;"
              + " default "
              + Settings.DEFAULT_ADMIN_ADDRESS
              + "). Its bearer token: COFFRE_ADMIN_TOKEN, else DATA/admin-token.")
  String adminAddress;

  @Option(
      names = "--console-address",
      paramLabel = "HOST:PORT",
      description =
          "Where the tenant web console and share links are served, or 'off' (env COFFRE_CONSOLE_ADDRESS;"
              + " default "
              + Settings.DEFAULT_CONSOLE_ADDRESS
              + "). The operator console is on the admin address.")
  String consoleAddress;

  @Option(
      names = "--console-public-url",
      paramLabel = "URL",
      description =
          "The address users reach the console at, e.g. https://coffre.example.fr behind a proxy;"
              + " share links start with it (env COFFRE_CONSOLE_PUBLIC_URL, file console.public-url;"
              + " default: the address the link's maker browses from).")
  String consolePublicUrl;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description =
          "Certificate chain (PEM) for HTTPS on the S3 address, with --tls-key; SIGHUP reloads both (env COFFRE_TLS_CERT).")
  String tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description = "Private key (unencrypted PKCS#8 PEM) of --tls-cert (env COFFRE_TLS_KEY).")
  String tlsKey;

  @Option(
      names = "--upload-expiry",
      paramLabel = "DURATION",
      description =
          "Abort multipart uploads left unfinished this long and reclaim their parts: a number with"
              + " s, m, h or d (env COFFRE_UPLOAD_EXPIRY; default 7d).")
  String uploadExpiry;

  @Option(
      names = "--lifecycle-interval",
      paramLabel = "DURATION",
      description =
          "How often buckets' lifecycle rules are applied: a number with s, m, h or d (env"
              + " COFFRE_LIFECYCLE_INTERVAL; default 1h). 'coffre admin lifecycle run' applies them now.")
  String lifecycleInterval;

  @Option(
      names = "--metadata",
      paramLabel = "URL",
      description =
          "PostgreSQL database of the metadata: postgresql://USER@HOST:PORT/DATABASE, or"
              + " jdbc:postgresql://HOST1:PORT,HOST2:PORT/DATABASE?targetServerType=primary (env COFFRE_METADATA_URL;"
              + " default: SQLite in DATA/metadata.db). Its password: COFFRE_METADATA_PASSWORD or the file"
              + " COFFRE_METADATA_PASSWORD_FILE names, never in the URL.")
  String metadata;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description =
          "This node's name in a cluster (env COFFRE_NODE_NAME; docs/cluster.md). A cluster needs"
              + " --cluster-address, --cluster-secret-file and PostgreSQL metadata.")
  String nodeName;

  @Option(
      names = "--cluster-address",
      paramLabel = "HOST:PORT",
      description =
          "Where this node's peers reach its internal API (env COFFRE_CLUSTER_ADDRESS): every request"
              + " is authenticated with the cluster secret.")
  String clusterAddress;

  @Option(
      names = "--cluster-secret-file",
      paramLabel = "FILE",
      description =
          "A file (mode 600) holding the cluster secret, at least 32 bytes, the same on every node"
              + " (env COFFRE_CLUSTER_SECRET_FILE).")
  String clusterSecretFile;

  @Option(
      names = "--cluster-source-address",
      paramLabel = "IP",
      description =
          "The address of this machine that calls to peers leave from (env"
              + " COFFRE_CLUSTER_SOURCE_ADDRESS; default: the system's choice), e.g. for a firewall"
              + " that tells nodes apart by address.")
  String clusterSourceAddress;

  @Option(
      names = "--cluster-ca-file",
      paramLabel = "PEM",
      description =
          "The cluster CA (PEM bundle) that signs every node's certificate (env"
              + " COFFRE_CLUSTER_CA_FILE): the internal API then speaks mutual TLS. Required by strict"
              + " mode when --cluster-address is beyond loopback.")
  String clusterCaFile;

  @Option(
      names = "--cluster-tls-cert",
      paramLabel = "PEM",
      description =
          "This node's certificate chain (PEM) on the internal API, from the cluster CA, naming"
              + " the cluster address (env COFFRE_CLUSTER_TLS_CERT; default: --tls-cert). SIGHUP"
              + " reloads it.")
  String clusterTlsCert;

  @Option(
      names = "--cluster-tls-key",
      paramLabel = "PEM",
      description =
          "Private key (unencrypted PKCS#8 PEM) of --cluster-tls-cert (env COFFRE_CLUSTER_TLS_KEY;"
              + " default: --tls-key).")
  String clusterTlsKey;

  @Option(
      names = "--ops-token-file",
      paramLabel = "FILE",
      description =
          "A file holding the bearer token that /metrics asks for (at least 16 characters; env"
              + " COFFRE_OPS_TOKEN_FILE, or the token itself in COFFRE_OPS_TOKEN). Needed when the ops"
              + " address is beyond loopback.")
  String opsTokenFile;

  @Option(
      names = "--insecure-dev",
      description =
          "Development only: start even where strict mode refuses (a listener beyond loopback without"
              + " TLS, the development root key beyond loopback, audit off, fail-open or kept under 180"
              + " days, a weak TLS key). Logged at WARN and recorded in the audit trail at every"
              + " start (env COFFRE_INSECURE_DEV=true).")
  boolean insecureDev;

  @Option(
      names = "--sigv2",
      paramLabel = "on|off",
      description =
          "Accept S3 requests signed with AWS Signature Version 2 (HMAC-SHA1: aws-cli v1 presign,"
              + " s3cmd signurl) where the bucket's class allows it (env COFFRE_AUTH_SIGV2, file"
              + " auth.sigv2; default on). Off: they are refused, asking for AWS4-HMAC-SHA256.")
  String sigV2;

  /** The configuration every source describes; IllegalArgumentException names what is wrong. */
  ServerConfig resolve() {
    Map<String, String> env = System.getenv();
    Path file =
        config != null
            ? config
            : env.get("COFFRE_CONFIG") != null && !env.get("COFFRE_CONFIG").isEmpty()
                ? Path.of(env.get("COFFRE_CONFIG"))
                : null;
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("data", data);
    flags.put("address", address);
    flags.put("region", region);
    flags.put("domain", domain);
    flags.put("ops-address", opsAddress);
    flags.put("admin-address", adminAddress);
    flags.put("console-address", consoleAddress);
    flags.put("console-public-url", consolePublicUrl);
    flags.put("tls-cert", tlsCert);
    flags.put("tls-key", tlsKey);
    flags.put("upload-expiry", uploadExpiry);
    flags.put("lifecycle-interval", lifecycleInterval);
    flags.put("metadata", metadata);
    flags.put("ops-token-file", opsTokenFile);
    flags.put("node-name", nodeName);
    flags.put("cluster-address", clusterAddress);
    flags.put("cluster-secret-file", clusterSecretFile);
    flags.put("cluster-ca-file", clusterCaFile);
    flags.put("cluster-source-address", clusterSourceAddress);
    flags.put("cluster-tls-cert", clusterTlsCert);
    flags.put("cluster-tls-key", clusterTlsKey);
    flags.put("insecure-dev", insecureDev ? "true" : null);
    flags.put("sigv2", sigV2);
    ConfigFile loaded = file == null ? ConfigFile.EMPTY : ConfigFile.load(file);
    return new Settings(flags, env, loaded, file == null ? null : file.toString()).resolve();
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    try {
      config = resolve();
    } catch (IllegalArgumentException e) {
      System.err.println("coffre: " + e.getMessage());
      return 2;
    }
    CoffreServer server;
    try {
      server = CoffreServer.start(config);
    } catch (IllegalStateException e) {
      // A refusal to start (strict mode, HSM unavailable, data directory in use, bad key file):
      // say why, once.
      System.err.println("coffre: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("coffre-shutdown")
                .unstarted(
                    () -> {
                      try {
                        server.close();
                      } catch (Exception e) {
                        System.err.println("shutdown: " + e);
                      }
                    }));
    server.join();
    return 0;
  }
}
