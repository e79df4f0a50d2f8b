package fr.coffre.cli;

import fr.coffre.server.ErasureCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffre certificate verify FILE}: checks an erasure certificate offline. */
@Command(
    name = "certificate",
    mixinStandardHelpOptions = true,
    description = "Erasure certificate tools (offline).",
    subcommands = {CertificateCommand.Verify.class})
final class CertificateCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Verifies an erasure certificate's signature, without the server. Exit 0 when valid, 1 otherwise.")
  static final class Verify implements Callable<Integer> {
    @Parameters(
        paramLabel = "FILE",
        description = "The certificate (JSON), as `coffre admin keys destroy` printed it.")
    Path file;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        description =
            "The server's public signing key (`coffre admin signing-key`, or DATA/keys/signing.pub):"
                + " also checks who signed it.")
    Path publicKey;

    @Option(
        names = "--covered",
        paramLabel = "FILE",
        description =
            "The list of covered object versions (`coffre admin keys covered KEY --out FILE`):"
                + " also checks it is the list whose SHA-256 the certificate states.")
    Path covered;

    @Override
    public Integer call() {
      try {
        var verdict =
            ErasureCertificates.verify(
                Files.readString(file),
                publicKey == null ? null : Files.readString(publicKey),
                covered == null ? null : Files.readAllBytes(covered));
        (verdict.valid() ? System.out : System.err).println(file + ": " + verdict.message());
        return verdict.valid() ? 0 : 1;
      } catch (IOException e) {
        System.err.println("coffre: cannot read " + e.getMessage());
        return 1;
      }
    }
  }
}
