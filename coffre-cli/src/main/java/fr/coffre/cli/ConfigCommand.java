package fr.coffre.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.coffre.server.CoffreServer;
import fr.coffre.server.ConfigFile;
import fr.coffre.server.SecurityPosture;
import fr.coffre.server.ServerConfig;
import fr.coffre.server.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffre config check FILE}: validates a configuration without starting anything, and prints
 * its security posture.
 */
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
      description = {
        "Checks every key and value of FILE, with the COFFRE_* environment as `coffre server"
            + " --config FILE` would read it (and that its TLS files load), then prints the"
            + " security posture: which guarantees hold, which are weakened and why, and what"
            + " strict mode refuses. Starts nothing.",
        "Exit code: 0 when a server would start, 1 when it would refuse (bad value or strict mode)."
      })
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The YAML configuration file.")
    Path file;

    @Option(names = "--json", description = "The result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ServerConfig config;
      SecurityPosture posture;
      try {
        config =
            new Settings(Map.of(), System.getenv(), ConfigFile.load(file), file.toString())
                .resolve();
        CoffreServer.checkTls(config);
        posture = SecurityPosture.of(config);
      } catch (IllegalArgumentException e) {
        if (json) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("config", file.toString());
          out.put("valid", false);
          out.put("error", e.getMessage());
          System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
          System.err.println("coffre: " + e.getMessage());
        }
        return 1;
      }
      if (json) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", file.toString());
        out.put("valid", true);
        out.putAll(posture.toMap());
        System.out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
      } else {
        System.out.println(
            "config "
                + file
                + ": "
                + (posture.refused()
                    ? "valid, but strict mode refuses to start with it"
                    : posture.refusals().isEmpty() ? "ok" : "ok under insecure-dev only"));
        System.out.print(posture.report());
      }
      return posture.refused() ? 1 : 0;
    }
  }
}
