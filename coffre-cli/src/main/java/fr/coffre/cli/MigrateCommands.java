package fr.coffre.cli;

import fr.coffre.migrate.ExportException;
import fr.coffre.migrate.Exporter;
import fr.coffre.migrate.Importer;
import fr.coffre.migrate.Manifest;
import fr.coffre.migrate.Progress;
import fr.coffre.migrate.Refusal;
import fr.coffre.migrate.S3Connection;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code coffre export}, {@code coffre export verify} and {@code coffre import}: leaving Coffre (or
 * coming in) with a tenant's own S3 credentials, through any S3 server (docs/export-format.md).
 */
final class MigrateCommands {
  private MigrateCommands() {}

  /** Where the server is and who is asking: the options export and import share. */
  static final class Connection {
    @Option(
        names = "--endpoint",
        paramLabel = "URL",
        description = "The S3 address, e.g. https://s3.example.fr or http://127.0.0.1:9000.")
    String endpoint;

    @Option(
        names = "--region",
        paramLabel = "REGION",
        defaultValue = "us-east-1",
        description = "The signing region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(
        names = "--profile",
        paramLabel = "NAME",
        description =
            "A profile of ~/.aws/credentials; without it the credentials are AWS_ACCESS_KEY_ID,"
                + " AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), then the SDK's default chain.")
    String profile;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    S3Client open() {
      if (endpoint == null) {
        throw new ExportException("--endpoint URL is required");
      }
      return S3Connection.open(endpoint, region, profile);
    }

    Progress progress(String verb) {
      return new Progress(System.err, !quiet && onTerminal(), verb);
    }
  }

  /** Whether standard streams are a terminal (JDK 22+ has a console even when redirected). */
  static boolean onTerminal() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only on a terminal
    }
  }

  /** Runs a command body, turning failures into one clear line and exit code 1. */
  static int guarded(String command, Callable<Integer> body) {
    try {
      return body.call();
    } catch (ExportException e) {
      System.err.println("coffre " + command + ": " + e.getMessage());
    } catch (S3Exception e) {
      System.err.println(
          "coffre "
              + command
              + ": the server refused: "
              + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode() + " ")
              + "(HTTP "
              + e.statusCode()
              + ")"
              + (e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                  ? ""
                  : ": " + e.awsErrorDetails().errorMessage()));
    } catch (SdkClientException e) {
      System.err.println("coffre " + command + ": " + e.getMessage());
    } catch (IOException e) {
      System.err.println("coffre " + command + ": " + e);
    } catch (Exception e) {
      System.err.println("coffre " + command + ": unexpected failure: " + e);
    }
    return 1;
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Exports buckets (every version, delete markers, metadata, tags, retention, legal hold and"
              + " bucket settings) to a self-describing directory, with the tenant's S3 credentials."
              + " Run it again on the same directory to resume or refresh: only what is missing or"
              + " changed is fetched. Exit 0 when complete.",
      subcommands = {Verify.class})
  static final class Export implements Callable<Integer> {
    @CommandLine.Mixin Connection connection;

    @Option(names = "--out", paramLabel = "DIR", description = "The export directory.")
    Path out;

    @Option(
        names = "--bucket",
        paramLabel = "NAME",
        description = "A bucket to export (repeatable; default: every bucket listed).")
    List<String> buckets = new ArrayList<>();

    @Option(names = "--max-objects", hidden = true, defaultValue = "0")
    long maxObjects;

    @Override
    public Integer call() {
      return guarded(
          "export",
          () -> {
            if (out == null) {
              throw new ExportException("--out DIR is required");
            }
            try (S3Client s3 = connection.open()) {
              Exporter.Result r =
                  new Exporter(
                          s3, out, connection.endpoint, connection.progress("export"), maxObjects)
                      .run(buckets);
              String counts =
                  r.buckets()
                      + " buckets, "
                      + r.versions()
                      + " versions and delete markers: "
                      + r.fetched()
                      + " objects fetched ("
                      + r.bytesFetched()
                      + " bytes), "
                      + r.kept()
                      + " already there";
              if (!r.complete()) {
                System.err.println(
                    "coffre export: stopped after "
                        + r.fetched()
                        + " objects (--max-objects); "
                        + counts
                        + ". Run it again to finish.");
                return 3;
              }
              System.out.println("exported " + counts + "; manifest written in " + out);
              return 0;
            }
          });
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Checks an export directory against its manifest: every file present with its size and"
              + " SHA-256, no file missing from the manifest. Exit 0 when intact, 1 otherwise.")
  static final class Verify implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The export directory.")
    Path dir;

    @Override
    public Integer call() {
      return guarded(
          "export verify",
          () -> {
            List<String> problems = Manifest.verify(dir);
            if (problems.isEmpty()) {
              System.out.println(dir + ": intact (every file matches the manifest)");
              return 0;
            }
            System.err.println(dir + ": " + problems.size() + " problems:");
            for (String p : problems) {
              System.err.println("  " + p);
            }
            return 1;
          });
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Imports an export directory into an S3 server (another Coffre or any S3 service):"
              + " buckets, settings, versions oldest first, delete markers, metadata, tags, retention,"
              + " legal holds. What the target refuses is listed and written to DIR/import-report.json"
              + " (exit 2). Resumable: versions already imported into that endpoint are skipped.")
  static final class Import implements Callable<Integer> {
    @CommandLine.Mixin Connection connection;

    @Option(names = "--in", paramLabel = "DIR", description = "The export directory.")
    Path in;

    @Option(
        names = "--bucket-map",
        paramLabel = "OLD=NEW",
        description = "Import bucket OLD under the name NEW (repeatable).")
    List<String> bucketMap = new ArrayList<>();

    @Option(names = "--max-objects", hidden = true, defaultValue = "0")
    long maxObjects;

    @Override
    public Integer call() {
      return guarded(
          "import",
          () -> {
            if (in == null) {
              throw new ExportException("--in DIR is required");
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (String m : bucketMap) {
              int eq = m.indexOf('=');
              if (eq <= 0 || eq == m.length() - 1) {
                throw new ExportException("--bucket-map " + m + ": expected OLD=NEW");
              }
              map.put(m.substring(0, eq), m.substring(eq + 1));
            }
            try (S3Client s3 = connection.open()) {
              Importer.Result r =
                  new Importer(
                          s3,
                          in,
                          connection.endpoint,
                          map,
                          connection.progress("import"),
                          maxObjects)
                      .run();
              System.out.println(
                  "imported "
                      + r.buckets()
                      + " buckets: "
                      + r.imported()
                      + " versions and delete markers, "
                      + r.skipped()
                      + " already imported");
              if (!r.complete()) {
                System.err.println(
                    "coffre import: stopped after "
                        + r.imported()
                        + " versions (--max-objects). Run it again to finish.");
                return 3;
              }
              if (r.refusals().isEmpty()) {
                return 0;
              }
              System.err.println(
                  r.refusals().size()
                      + " things the target refused (also in "
                      + in.resolve("import-report.json")
                      + "):");
              for (Refusal x : r.refusals()) {
                System.err.println("  " + x);
              }
              return 2;
            }
          });
    }
  }
}
