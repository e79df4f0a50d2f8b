package fr.coffre.cli;

import fr.coffre.server.ConfigFile;
import fr.coffre.server.ServerConfig;
import fr.coffre.server.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffre config check FILE}: validates a configuration file without starting anything. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Configuration file tools.",
    subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Checks every key and value of FILE (and that its TLS files load); starts nothing.")
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The YAML configuration file.")
    Path file;

    @Override
    public Integer call() {
      try {
        ServerConfig config =
            new Settings(Map.of(), Map.of(), ConfigFile.load(file), file.toString()).resolve();
        if (config.tls()) {
          fr.coffre.server.CoffreServer.checkTls(config);
        }
        System.out.println("config " + file + ": ok");
        return 0;
      } catch (IllegalArgumentException e) {
        System.err.println("coffre: " + e.getMessage());
        return 1;
      }
    }
  }
}
