package fr.coffre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffre admin root-key rotate|status}: the online root key rotation of a running server
 * (docs/key-custody.md).
 */
@Command(
    name = "root-key",
    mixinStandardHelpOptions = true,
    description = "The root key of a running server: rotate it online, follow the rotation.")
final class AdminRootKeyCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Starts a root key rotation in the running server (key file or HSM key; a sealed key is"
            + " rotated offline): a new key wraps everything written from now on and a background"
            + " job re-wraps what the old one wrapped, while reads and writes go on. With named"
            + " operators it is a four-eyes proposal another operator approves.",
        "Exit 0 when started (or, with --wait, finished), 1 when refused or failed."
      })
  int rotate(
      @Mixin AdminConnection admin,
      @Option(
              names = "--new-label",
              paramLabel = "LABEL",
              description = "HSM: the new key's label (default: old label and a time stamp).")
          String newLabel,
      @Option(
              names = "--batch-size",
              paramLabel = "N",
              defaultValue = "500",
              description = "Rows re-wrapped per batch (default ${DEFAULT-VALUE}).")
          int batchSize,
      @Option(
              names = "--settle-seconds",
              paramLabel = "S",
              defaultValue = "60",
              description =
                  "Once nothing is left under the old key, wait this long for requests begun"
                      + " before the switch, then pass again (default ${DEFAULT-VALUE}).")
          int settleSeconds,
      @Option(
              names = "--wait",
              description = "Wait until the job has finished (or stopped), showing its progress.")
          boolean await) {
    ObjectNode body = AdminCommand.JSON.createObjectNode();
    if (newLabel != null) {
      body.put("newLabel", newLabel);
    }
    body.put("batchSize", batchSize);
    body.put("settleSeconds", settleSeconds);
    int started = AdminCommand.send(admin, "POST", "root-key/rotate", body, null);
    if (started != 0 || !await) {
      return started;
    }
    try {
      while (true) {
        Thread.sleep(1000);
        AdminConnection.Reply r = admin.call("GET", "root-key/rotation", null);
        if (!r.ok()) {
          System.err.println("coffre: the server answered " + r.status() + ": " + r.body());
          return 1;
        }
        JsonNode s = AdminCommand.JSON.readTree(r.body());
        String state = s.path("state").asText();
        System.err.println("coffre: " + state + ", re-wrapped " + s.path("rewrapped"));
        if (state.equals("finished")) {
          System.out.print(AdminCommand.readable(r.body()));
          return 0;
        }
        if (state.equals("paused")) {
          System.out.print(AdminCommand.readable(r.body()));
          return 1;
        }
      }
    } catch (IOException e) {
      System.err.println("coffre: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "The current or last online rotation of the server: state (idle, running, settling,"
              + " finished, paused), keys, rows re-wrapped, error.")
  int status(@Mixin AdminConnection admin) {
    return AdminCommand.send(admin, "GET", "root-key/rotation", null, null);
  }
}
