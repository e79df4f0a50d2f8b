package fr.coffre.cli;

import static fr.coffre.cli.AdminCommand.JSON;
import static fr.coffre.cli.AdminCommand.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffre admin login|logout|operators|proposals}: named operators (docs/identities.md,
 * "Operators and tenant consent"). {@code login} keeps the session for the server it signed in to
 * in {@link AdminConnection#sessionFile()}, which later commands use before the admin token.
 */
final class OperatorCommands {
  private OperatorCommands() {}

  /** A secret read from a file, else the terminal (without echo), else one line of stdin. */
  static String secret(Path file, String prompt) throws IOException {
    if (file != null) {
      return Files.readString(file).strip();
    }
    if (System.console() != null) {
      char[] c = System.console().readPassword(prompt);
      return c == null ? "" : new String(c);
    }
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line == null ? "" : line.strip();
  }

  @Command(
      name = "login",
      mixinStandardHelpOptions = true,
      description =
          "Signs a named operator in with its password (--password-file, else the terminal, else"
              + " standard input) and the code of its authenticator app; the session is kept for"
              + " this server in ~/.config/coffre/admin-session (owner only) and ends after 15"
              + " idle minutes.")
  static final class Login implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--code", required = true, paramLabel = "TOTP", description = "6 digits.")
    String code;

    @Option(names = "--password-file", paramLabel = "FILE")
    Path passwordFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
      ObjectNode body =
          JSON.createObjectNode()
              .put("name", name)
              .put("password", secret(passwordFile, "password: "))
              .put("code", code);
      AdminConnection.Reply r = admin.callAnonymous("POST", "login", body.toString());
      if (!r.ok()) {
        System.err.println("coffre: the server answered " + r.status() + ": " + r.body().strip());
        return 1;
      }
      JsonNode answer = JSON.readTree(r.body());
      admin.keepSession(answer.get("token").asText());
      System.out.println(
          "signed in as "
              + answer.get("operator").asText()
              + " "
              + answer.get("roles")
              + " until "
              + answer.get("expiresAt").asText()
              + " at the latest");
      return 0;
    }
  }

  @Command(
      name = "logout",
      mixinStandardHelpOptions = true,
      description = "Ends the operator's session and forgets it.")
  static final class Logout implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Override
    public Integer call() throws IOException {
      int status = send(admin, "POST", "logout", null, null);
      Files.deleteIfExists(AdminConnection.sessionFile());
      return status;
    }
  }

  abstract static class Group implements Runnable {
    @Override
    public void run() {
      new CommandLine(this).usage(System.out);
    }
  }

  @Command(
      name = "operators",
      mixinStandardHelpOptions = true,
      description =
          "Named operators (roles: operator, security-officer, auditor). The first one is created"
              + " with the admin token and must be a security officer; the token is retired then.")
  static final class Operators extends Group {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every operator.")
    int list(@Mixin AdminConnection admin) {
      return send(admin, "GET", "operators", null, null);
    }

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description =
            "Creates an operator; prints its TOTP secret and otpauth:// URI once (enter it in an"
                + " authenticator app).")
    int create(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "NAME") String name,
        @Option(names = "--role", required = true, paramLabel = "ROLE") List<String> roles,
        @Option(names = "--password-file", paramLabel = "FILE") Path passwordFile)
        throws IOException {
      ObjectNode body = JSON.createObjectNode().put("name", name);
      roles.forEach(body.putArray("roles")::add);
      body.put("password", secret(passwordFile, "password for " + name + ": "));
      return send(admin, "POST", "operators", body, null);
    }

    @Command(
        name = "roles",
        mixinStandardHelpOptions = true,
        description = "Replaces an operator's roles (incompatible pairs are refused).")
    int roles(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "NAME") String name,
        @Option(names = "--role", required = true, paramLabel = "ROLE") List<String> roles) {
      ObjectNode body = JSON.createObjectNode();
      roles.forEach(body.putArray("roles")::add);
      return send(admin, "PUT", "operators/" + name + "/roles", body, null);
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Removes one.")
    int delete(@Mixin AdminConnection admin, @Parameters(paramLabel = "NAME") String name) {
      return send(admin, "DELETE", "operators/" + name, null, null);
    }
  }

  @Command(
      name = "proposals",
      mixinStandardHelpOptions = true,
      description =
          "Four eyes: destroying a KMS key, deleting a tenant, removing a node or changing a"
              + " bucket's class by a named operator waits for another operator's approval.")
  static final class Proposals extends Group {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every proposal.")
    int list(@Mixin AdminConnection admin) {
      return send(admin, "GET", "proposals", null, null);
    }

    @Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = "Approves another operator's proposal: the call runs now.")
    int approve(@Mixin AdminConnection admin, @Parameters(paramLabel = "ID") String id) {
      return send(admin, "POST", "proposals/" + id + "/approve", null, null);
    }
  }
}
