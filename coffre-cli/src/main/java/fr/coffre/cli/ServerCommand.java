package fr.coffre.cli;

import fr.coffre.server.CoffreServer;
import fr.coffre.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffre server}: runs the S3 server in the foreground until it is stopped. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the S3 server on embedded defaults: blobs on local disk, metadata in SQLite.",
      "Root credentials come from COFFRE_ROOT_ACCESS_KEY / COFFRE_ROOT_SECRET_KEY, or are"
          + " generated on first start into DIR/root-credentials (owner-only)."
    })
final class ServerCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:COFFRE_DATA:-${sys:user.home}/.local/share/coffre}")
  Path data;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:COFFRE_ADDRESS:-127.0.0.1:7070}")
  String address;

  @Option(
      names = "--region",
      description = "Region the server answers for (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:COFFRE_REGION:-us-east-1}")
  String region;

  @Option(
      names = "--domain",
      description =
          "Domain for virtual-hosted-style requests (BUCKET.DOMAIN); path style always works.",
      defaultValue = "${env:COFFRE_DOMAIN}")
  String domain;

  @Option(
      names = "--ops-address",
      paramLabel = "HOST:PORT",
      description = "Where /health/live, /health/ready and /metrics are served, or 'off' (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:COFFRE_OPS_ADDRESS:-127.0.0.1:7071}")
  String opsAddress;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "Certificate chain (PEM) for HTTPS on the S3 address; with --tls-key. SIGHUP reloads both.",
      defaultValue = "${env:COFFRE_TLS_CERT}")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description = "Private key (unencrypted PKCS#8 PEM) of --tls-cert.",
      defaultValue = "${env:COFFRE_TLS_KEY}")
  Path tlsKey;

  @Option(
      names = "--upload-expiry",
      paramLabel = "DURATION",
      description =
          "Abort multipart uploads left unfinished this long and reclaim their parts: a number with"
              + " s, m, h or d (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:COFFRE_UPLOAD_EXPIRY:-7d}")
  String uploadExpiry;

  /** Parses {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d} or an ISO-8601 duration. */
  static Duration parseDuration(String value) {
    String v = value.strip();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(v);
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
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("upload-expiry: '" + value + "' is not a duration like 7d, 12h or 30m");
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig.Address addr = ServerConfig.parseAddress(address);
    ServerConfig config =
        new ServerConfig(
            data,
            addr.host(),
            addr.port(),
            region,
            domain,
            System.getenv("COFFRE_ROOT_ACCESS_KEY"),
            System.getenv("COFFRE_ROOT_SECRET_KEY"),
            parseDuration(uploadExpiry),
            ServerConfig.parseOpsAddress(opsAddress),
            tlsCert,
            tlsKey);
    CoffreServer server = CoffreServer.start(config);
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
