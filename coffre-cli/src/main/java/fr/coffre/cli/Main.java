package fr.coffre.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code coffre} command line: the one place that writes to standard output. */
@Command(
    name = "coffre",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Coffre: a sovereign, encrypted, S3-compatible object store.",
    subcommands = {
      ServerCommand.class,
      ConfigCommand.class,
      AdminCommand.class,
      AuditCommand.class,
      ResidencyCommand.class,
      CertificateCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      RootKeyCommand.class,
      MigrateCommands.Export.class,
      MigrateCommands.Import.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"coffre " + (v == null ? "dev" : v)};
    }
  }
}
