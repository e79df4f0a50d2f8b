package fr.coffre.cli;

import fr.coffre.server.ResidencyVerification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffre residency ...}: a bucket's signed residency report, and its offline verification.
 */
@Command(
    name = "residency",
    mixinStandardHelpOptions = true,
    description =
        "Where a bucket's data lives: the signed residency report, and its offline verification.",
    subcommands = {
      ResidencyCommand.Report.class,
      ResidencyCommand.Verify.class,
      ResidencyCommand.Scrub.class,
      ResidencyCommand.Reclassify.class
    })
final class ResidencyCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description =
          "Every object of the bucket with each copy's volume, site, country, jurisdiction, operator and"
              + " qualifications, compliance with the bucket's class, totals; signed by the server (admin API).")
  static final class Report implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Option(names = "--bucket", required = true, paramLabel = "NAME")
    String bucket;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE",
        description = "Write it to FILE (default: standard output).")
    Path out;

    @Override
    public Integer call() {
      return AdminCommand.sendDocument(admin, "GET", "buckets/" + bucket + "/residency", out);
    }
  }

  @Command(
      name = "scrub",
      mixinStandardHelpOptions = true,
      description =
          "Runs the scrubber now (it also runs every placement.scrub-interval): recreates missing copies"
              + " on volumes each bucket's class allows; prints what it found and did.")
  static final class Scrub implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Override
    public Integer call() {
      return AdminCommand.send(admin, "POST", "scrub", null, null);
    }
  }

  @Command(
      name = "reclassify",
      mixinStandardHelpOptions = true,
      description =
          "Changes a bucket's sensitivity class. Refused while any copy sits where the new class forbids,"
              + " unless --migrate: the data is moved first, and the class changes once everything complies.")
  static final class Reclassify implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Option(names = "--bucket", required = true, paramLabel = "NAME")
    String bucket;

    @Option(names = "--class", required = true, paramLabel = "CLASS")
    String sensitivityClass;

    @Option(
        names = "--migrate",
        description = "Move the data that the new class forbids where it is.")
    boolean migrate;

    @Override
    public Integer call() {
      return AdminCommand.send(
          admin,
          "PUT",
          "buckets/" + bucket + "/class",
          AdminCommand.JSON
              .createObjectNode()
              .put("class", sensitivityClass)
              .put("migrate", migrate),
          null);
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Checks a residency report's signature without the server. Exit 0 when valid and compliant,"
              + " 1 when invalid, 2 when valid but it names non-compliant objects.")
  static final class Verify implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        description =
            "The server's public signing key (`coffre admin signing-key`): also checks who signed it.")
    Path publicKey;

    @Override
    public Integer call() {
      try {
        var v =
            ResidencyVerification.verify(
                Files.readString(file), publicKey == null ? null : Files.readString(publicKey));
        (v.valid() ? System.out : System.err).println(file + ": " + v.message());
        return !v.valid() ? 1 : v.compliant() ? 0 : 2;
      } catch (IOException e) {
        System.err.println("coffre: cannot read " + e.getMessage());
        return 1;
      }
    }
  }
}
