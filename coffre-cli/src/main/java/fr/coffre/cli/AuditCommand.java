package fr.coffre.cli;

import fr.coffre.audit.AuditVerifier;
import fr.coffre.audit.BundleReport;
import fr.coffre.audit.VerifyReport;
import fr.coffre.server.SigningKeyRotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffre audit ...}: verify an audit export offline; export or list chains through the admin
 * API.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "The tamper-evident audit trail: verify an export offline, export a tenant's chain.",
    subcommands = {
      AuditCommand.Verify.class,
      AuditCommand.Export.class,
      AuditCommand.Chains.class,
      AuditCommand.RotateSigningKey.class
    })
final class AuditCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Checks an audit export (or a chain's segment directory) without the server: hash chain,"
              + " record numbering and checkpoint signatures. Names the first record that was modified, deleted,"
              + " inserted, reordered or truncated. A cluster's export is checked node by node, each part"
              + " under its node's key, and reported per node. Exit 0 when intact, 1 when not,"
              + " 2 when intact but incomplete (a node's part is missing: it was unreachable).")
  static final class Verify implements Callable<Integer> {
    @Parameters(paramLabel = "EXPORT", description = "An export file, or DATA/audit/CHAIN.")
    Path path;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        description =
            "The server's public signing key (`coffre admin signing-key`, or DATA/keys/signing.pub);"
                + " repeatable, and a file may hold several keys (`coffre admin signing-key --all`,"
                + " DATA/keys/signing-retired.pub) to verify across a signing key rotation."
                + " For a cluster's export, give each node's key."
                + " Without it the key inside the export is used, and its fingerprint printed for you to compare.")
    List<Path> publicKeys = new ArrayList<>();

    @Override
    public Integer call() {
      try {
        List<String> keys = new ArrayList<>();
        for (Path k : publicKeys) {
          keys.add(Files.readString(k));
        }
        if (AuditVerifier.isBundle(path)) {
          BundleReport report = AuditVerifier.verifyBundle(path, keys);
          (report.ok() && report.complete() ? System.out : System.err)
              .println(path + ": " + report.describe());
          return !report.ok() ? 1 : report.complete() ? 0 : 2;
        }
        VerifyReport report =
            AuditVerifier.verify(path, keys.isEmpty() ? null : String.join("\n", keys));
        (report.ok() ? System.out : System.err).println(path + ": " + report.describe());
        return report.ok() ? 0 : 1;
      } catch (IOException e) {
        System.err.println("coffre: cannot read " + e.getMessage());
        return 1;
      } catch (IllegalArgumentException e) {
        System.err.println("coffre: --public-key: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Downloads a tenant's audit chain (or _system) with its proofs, through the admin API."
              + " Tenants export their own with a signed GET /?coffre-audit on the S3 address.")
  static final class Export implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Option(
        names = "--tenant",
        required = true,
        paramLabel = "NAME",
        description = "The tenant, or _system.")
    String tenant;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE",
        description = "Write it to FILE (default: standard output).")
    Path out;

    @Override
    public Integer call() {
      return AdminCommand.sendDocument(admin, "GET", "audit/" + tenant, out);
    }
  }

  @Command(
      name = "rotate-signing-key",
      mixinStandardHelpOptions = true,
      description = {
        "Offline (stop the server): a new Ed25519 signing key for the checkpoints, certificates and"
            + " reports signed from now on. The rotation is recorded and checkpointed under the old"
            + " key first; the old public key stays published (DATA/keys/signing-retired.pub,"
            + " `coffre admin signing-key --all`) so that what it signed still verifies.",
        "Exit 0 when rotated, 1 when refused."
      })
  static final class RotateSigningKey implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory.")
    Path data;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description = "The passphrase of a passphrase-sealed root key (it wraps the signing key).")
    Path passphraseFile;

    @Override
    public Integer call() {
      return RootKeyCommand.custody(
          "signing key rotation",
          passphraseFile,
          passphrase -> {
            SigningKeyRotation done =
                SigningKeyRotation.rotate(data, passphrase, java.time.Clock.systemUTC());
            System.out.print(done.newPublicKey());
            System.err.println(
                "coffre: new signing key in "
                    + data.resolve("keys/signing.pub")
                    + "; the old one is kept in "
                    + data.resolve("keys/signing-retired.pub")
                    + ". Verify older trails with both (--public-key twice).");
            return 0;
          });
    }
  }

  @Command(
      name = "chains",
      mixinStandardHelpOptions = true,
      description = "The audit chains with their record counts and head hashes.")
  static final class Chains implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Override
    public Integer call() {
      return AdminCommand.send(admin, "GET", "audit", null, null);
    }
  }
}
