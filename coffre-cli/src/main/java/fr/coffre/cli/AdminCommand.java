package fr.coffre.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffre admin ...}: the operator's commands against a running server's admin API. */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description =
        "Operate a running server through its admin API (tenants, users, keys, policies, quotas,"
            + " access reviews, KMS keys, unseal, signing key).",
    subcommands = {
      AdminCommand.Status.class,
      AdminCommand.Unseal.class,
      AdminCommand.SigningKey.class,
      AdminCommand.Keys.class,
      AdminRootKeyCommand.class,
      IdentityCommands.Tenants.class,
      IdentityCommands.Users.class,
      IdentityCommands.AccessKeys.class,
      IdentityCommands.Policies.class,
      IdentityCommands.Buckets.class,
      IdentityCommands.Lockouts.class,
      LifecycleCommand.class,
      NodesCommand.class,
      OperatorCommands.Login.class,
      OperatorCommands.Logout.class,
      OperatorCommands.Operators.class,
      OperatorCommands.Proposals.class
    })
final class AdminCommand implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /**
   * Sends one call and prints the answer: on standard output (0) as a table or lines, or as the
   * server's JSON with {@code --json}, or into {@code out}; the error on standard error (1).
   */
  static int send(AdminConnection admin, String method, String path, ObjectNode body, Path out) {
    return send(admin, method, path, body, out, false);
  }

  /**
   * Sends one call whose answer is a document (an export, a signed report or certificate, a policy,
   * a key): it is printed or written as the server sent it, never as a table.
   */
  static int sendDocument(AdminConnection admin, String method, String path, Path out) {
    return send(admin, method, path, null, out, true);
  }

  /** {@link #sendDocument(AdminConnection, String, String, Path)} with a request body. */
  static int sendDocument(
      AdminConnection admin, String method, String path, ObjectNode body, Path out) {
    return send(admin, method, path, body, out, true);
  }

  private static int send(
      AdminConnection admin,
      String method,
      String path,
      ObjectNode body,
      Path out,
      boolean document) {
    try {
      return sendText(
          admin, method, path, body == null ? null : JSON.writeValueAsString(body), out, document);
    } catch (IOException e) {
      System.err.println("coffre: " + e.getMessage());
      return 1;
    }
  }

  static int sendText(AdminConnection admin, String method, String path, String text) {
    return sendText(admin, method, path, text, null, false);
  }

  private static int sendText(
      AdminConnection admin, String method, String path, String text, Path out, boolean document) {
    try {
      AdminConnection.Reply reply = admin.call(method, path, text);
      if (!reply.ok()) {
        System.err.println("coffre: the server answered " + reply.status() + ": " + error(reply));
        return 1;
      }
      if (out != null) {
        Files.writeString(out, reply.body());
        System.err.println("written to " + out);
      } else if (document || admin.json) {
        System.out.println(reply.body().strip());
      } else {
        System.out.print(readable(reply.body()));
      }
      return 0;
    } catch (IOException e) {
      System.err.println("coffre: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** A JSON answer as tables and lines; anything else as it came. */
  static String readable(String body) {
    String text = body.strip();
    if (text.isEmpty()) {
      return "ok\n";
    }
    try {
      return Tables.render(JSON.readTree(text));
    } catch (IOException e) {
      return text + "\n";
    }
  }

  /** An error answer: its code and message ({@code NoSuchTenant: ...}), else the body. */
  private static String error(AdminConnection.Reply reply) {
    try {
      var n = JSON.readTree(reply.body());
      if (n != null && n.hasNonNull("error")) {
        return n.get("error").asText()
            + (n.hasNonNull("message") ? ": " + n.get("message").asText() : "");
      }
    } catch (IOException e) {
      // not JSON: shown as it came
    }
    return reply.body().strip();
  }

  static String ref(String keyRef) {
    // Aliases hold '/', which stays a path separator; everything else is escaped.
    return URLEncoder.encode(keyRef, StandardCharsets.UTF_8)
        .replace("%2F", "/")
        .replace("+", "%20");
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Whether the server is sealed, and its root key.")
  static final class Status implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Override
    public Integer call() {
      return send(admin, "GET", "status", null, null);
    }
  }

  @Command(
      name = "unseal",
      mixinStandardHelpOptions = true,
      description =
          "Unseals a passphrase-sealed server. The passphrase is read from --passphrase-file, else from"
              + " the terminal, else from standard input. With --create, first makes the sealed root key of a new"
              + " data directory (the terminal asks twice; at least 12 characters).")
  static final class Unseal implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Option(names = "--passphrase-file", paramLabel = "FILE")
    Path passphraseFile;

    @Option(
        names = "--create",
        description = "Create the sealed root key first (once per data directory).")
    boolean create;

    @Override
    public Integer call() throws IOException {
      String passphrase;
      if (passphraseFile != null) {
        passphrase = Files.readString(passphraseFile).strip();
      } else if (System.console() != null) {
        passphrase = new String(System.console().readPassword("passphrase: "));
        if (create
            && !passphrase.equals(
                new String(System.console().readPassword("passphrase again: ")))) {
          System.err.println("the two passphrases differ; nothing was created");
          return 2;
        }
      } else {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        passphrase = in.readLine();
        if (create && passphrase != null && !passphrase.equals(in.readLine())) {
          System.err.println(
              "the two passphrases differ (give it twice, one per line); nothing was created");
          return 2;
        }
      }
      ObjectNode body =
          JSON.createObjectNode().put("passphrase", passphrase == null ? "" : passphrase.strip());
      if (create) {
        body.put("create", true);
      }
      return send(admin, "POST", "unseal", body, null);
    }
  }

  @Command(
      name = "signing-key",
      mixinStandardHelpOptions = true,
      description =
          "Prints the server's public signing key (PEM), to verify its erasure certificates.")
  static final class SigningKey implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Option(names = "--out", paramLabel = "FILE", description = "Write it to FILE.")
    Path out;

    @Option(
        names = "--all",
        description =
            "Also the keys retired by `coffre audit rotate-signing-key`, after the current one: to"
                + " verify what was signed before a rotation.")
    boolean all;

    @Option(
        names = "--rotate",
        description =
            "Replace the signing key now, on the running server (the rotation is recorded and"
                + " checkpointed under the old key, which stays published): prints both public"
                + " keys. Offline: `coffre audit rotate-signing-key`.")
    boolean rotate;

    @Override
    public Integer call() {
      if (rotate) {
        return send(admin, "POST", "signing-key/rotate", null, out);
      }
      return sendDocument(admin, "GET", all ? "signing-keys" : "signing-key", out);
    }
  }

  @Command(
      name = "keys",
      mixinStandardHelpOptions = true,
      description = "KMS keys: KEY is a key id, an ARN or alias/NAME.")
  static final class Keys implements Runnable {
    @Override
    public void run() {
      new CommandLine(this).usage(System.out);
    }

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Every key, destroyed ones included.")
    int list(@Mixin AdminConnection admin) {
      return send(admin, "GET", "keys", null, null);
    }

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Creates an enabled key.")
    int create(
        @Mixin AdminConnection admin,
        @Option(names = "--alias", paramLabel = "NAME") String alias,
        @Option(names = "--description", paramLabel = "TEXT") String description,
        @Option(
                names = "--tenant",
                paramLabel = "TENANT",
                description = "The tenant that owns it (default: default).")
            String tenant) {
      ObjectNode body = JSON.createObjectNode();
      body.put("tenant", tenant);
      body.put("alias", alias);
      body.put("description", description);
      return send(admin, "POST", "keys", body, null);
    }

    @Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = "A key, its versions and what it protects.")
    int describe(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "GET", "keys/" + ref(key), null, null);
    }

    @Command(
        name = "enable",
        mixinStandardHelpOptions = true,
        description = "Lets the key encrypt and decrypt again.")
    int enable(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "POST", "keys/" + ref(key) + "/enable", null, null);
    }

    @Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description =
            "Stops the key: reads and writes of its objects are refused until it is enabled.")
    int disable(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "POST", "keys/" + ref(key) + "/disable", null, null);
    }

    @Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        description = "New key material: new objects use it, old objects stay readable.")
    int rotate(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "POST", "keys/" + ref(key) + "/rotate", null, null);
    }

    @Command(
        name = "rewrap",
        mixinStandardHelpOptions = true,
        description =
            "Moves every data key under an older version to the current one (no data rewritten).")
    int rewrap(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "POST", "keys/" + ref(key) + "/rewrap", null, null);
    }

    @Command(
        name = "schedule-deletion",
        mixinStandardHelpOptions = true,
        description =
            "Schedules destruction after a waiting period (7 to 30 days); the key is unusable meanwhile.")
    int scheduleDeletion(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "KEY") String key,
        @Option(
                names = "--days",
                defaultValue = "30",
                description = "Waiting period in days (default 30).")
            int days) {
      return send(
          admin,
          "POST",
          "keys/" + ref(key) + "/schedule-deletion",
          JSON.createObjectNode().put("pendingDays", days),
          null);
    }

    @Command(
        name = "cancel-deletion",
        mixinStandardHelpOptions = true,
        description = "Cancels a scheduled destruction; the key comes back disabled.")
    int cancelDeletion(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "POST", "keys/" + ref(key) + "/cancel-deletion", null, null);
    }

    @Command(
        name = "destroy",
        mixinStandardHelpOptions = true,
        description =
            "Destroys the key material (crypto-shredding): its objects become unreadable for good."
                + " Prints the signed erasure certificate.")
    int destroy(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "KEY") String key,
        @Option(
                names = "--now",
                description =
                    "Destroy before the end of the waiting period (stated in the certificate).")
            boolean now,
        @Option(
                names = "--reason",
                paramLabel = "TEXT",
                description = "Why, recorded in the certificate.")
            String reason,
        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "Write the certificate to FILE.")
            Path out) {
      ObjectNode body = JSON.createObjectNode().put("override", now);
      body.put("reason", reason);
      return sendDocument(admin, "POST", "keys/" + ref(key) + "/destroy", body, out);
    }

    @Command(
        name = "certificate",
        mixinStandardHelpOptions = true,
        description = "The erasure certificate of a destroyed key.")
    int certificate(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "KEY") String key,
        @Option(names = "--out", paramLabel = "FILE", description = "Write it to FILE.") Path out) {
      return sendDocument(admin, "GET", "keys/" + ref(key) + "/certificate", out);
    }

    @Command(
        name = "covered",
        mixinStandardHelpOptions = true,
        description =
            "The list of the object versions a destroyed key's certificate covers (one line each:"
                + " bucket, percent-encoded key, version id); its SHA-256 is the certificate's"
                + " 'covered'. Check both with `coffre certificate verify CERT --covered FILE`.")
    int covered(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "KEY") String key,
        @Option(names = "--out", paramLabel = "FILE", description = "Write the list to FILE.")
            Path out) {
      try {
        AdminConnection.Reply reply = admin.call("GET", "keys/" + ref(key) + "/covered", null);
        if (!reply.ok()) {
          System.err.println("coffre: the server answered " + reply.status() + ": " + error(reply));
          return 1;
        }
        String document = JSON.readTree(reply.body()).path("document").asText();
        if (out != null) {
          Files.writeString(out, document);
          System.err.println("written to " + out);
        } else {
          System.out.print(document);
        }
        return 0;
      } catch (IOException e) {
        System.err.println("coffre: " + e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
  }
}
