package fr.coffre.cli;

import static fr.coffre.cli.AdminCommand.JSON;
import static fr.coffre.cli.AdminCommand.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffre admin tenants|users|access-keys|policies|buckets|lockouts ...}: tenants and their
 * identities, quotas and access reviews, through the admin API.
 */
final class IdentityCommands {
  private IdentityCommands() {}

  static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A size such as {@code 1048576}, {@code 10GiB}, {@code 500M} (binary units), or "none". */
  static Long size(String text) {
    if (text == null || text.equalsIgnoreCase("none")) {
      return null;
    }
    String t = text.strip().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
    long unit = 1;
    char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
    int shift = "KMGTP".indexOf(last);
    if (shift >= 0) {
      unit = 1L << (10 * (shift + 1));
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Math.multiplyExact(Long.parseLong(t.strip()), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(new IdentityCommands.Tenants()),
          "not a size: " + text + " (examples: 1048576, 500MiB, 10GiB, none)");
    }
  }

  static ObjectNode quota(String bytes, String objects) {
    ObjectNode q = JSON.createObjectNode();
    Long b = size(bytes);
    Long o = objects == null || objects.equalsIgnoreCase("none") ? null : Long.valueOf(objects);
    if (b == null) {
      q.putNull("bytes");
    } else {
      q.put("bytes", b);
    }
    if (o == null) {
      q.putNull("objects");
    } else {
      q.put("objects", o);
    }
    return q;
  }

  abstract static class Group implements Runnable {
    @Override
    public void run() {
      new CommandLine(this).usage(System.out);
    }
  }

  @Command(
      name = "tenants",
      mixinStandardHelpOptions = true,
      description = "Tenants: they own buckets, users, keys and quotas.")
  static final class Tenants extends Group {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every tenant.")
    int list(@Mixin AdminConnection admin) {
      return send(admin, "GET", "tenants", null, null);
    }

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Creates a tenant (with a new account id).")
    int create(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String name,
        @Option(names = "--quota-bytes", paramLabel = "SIZE") String bytes,
        @Option(names = "--quota-objects", paramLabel = "N") String objects,
        @Option(
                names = "--enrolment",
                description =
                    "Put the tenant under the consent rule: prints a one-time enrolment token for"
                        + " its first admin, and the operator no longer manages its identities"
                        + " without a support window (docs/identities.md).")
            boolean enrolment) {
      ObjectNode body = JSON.createObjectNode().put("name", name);
      body.set("quota", IdentityCommands.quota(bytes, objects));
      if (enrolment) {
        body.put("enrolment", true);
      }
      return send(admin, "POST", "tenants", body, null);
    }

    @Command(
        name = "enrol",
        mixinStandardHelpOptions = true,
        description =
            "Issues a new one-time enrolment token for a tenant's first admin (until one enrols);"
                + " the tenant is under the consent rule from then on.")
    int enrol(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String name,
        @Option(names = "--hours", paramLabel = "N", description = "Lifetime (default 72).")
            Long hours) {
      ObjectNode body = JSON.createObjectNode();
      if (hours != null) {
        body.put("hours", hours);
      }
      return send(admin, "POST", "tenants/" + seg(name) + "/enrolment", body, null);
    }

    @Command(
        name = "support-windows",
        mixinStandardHelpOptions = true,
        description = "The support windows a tenant's admin opened for the operator.")
    int supportWindows(
        @Mixin AdminConnection admin, @Parameters(paramLabel = "TENANT") String name) {
      return send(admin, "GET", "tenants/" + seg(name) + "/support-windows", null, null);
    }

    @Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "A tenant, its quota and usage.")
    int show(@Mixin AdminConnection admin, @Parameters(paramLabel = "TENANT") String name) {
      return send(admin, "GET", "tenants/" + seg(name), null, null);
    }

    @Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Deletes a tenant that owns nothing any more.")
    int delete(@Mixin AdminConnection admin, @Parameters(paramLabel = "TENANT") String name) {
      return send(admin, "DELETE", "tenants/" + seg(name), null, null);
    }

    @Command(
        name = "quota",
        mixinStandardHelpOptions = true,
        description = "Sets a tenant's quota over all its buckets (\"none\" lifts a limit).")
    int quota(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String name,
        @Option(names = "--bytes", paramLabel = "SIZE", defaultValue = "none") String bytes,
        @Option(names = "--objects", paramLabel = "N", defaultValue = "none") String objects) {
      return send(
          admin,
          "PUT",
          "tenants/" + seg(name) + "/quota",
          IdentityCommands.quota(bytes, objects),
          null);
    }

    @Command(
        name = "buckets",
        mixinStandardHelpOptions = true,
        description = "A tenant's buckets, usage, quotas, policies.")
    int buckets(@Mixin AdminConnection admin, @Parameters(paramLabel = "TENANT") String name) {
      return send(admin, "GET", "tenants/" + seg(name) + "/buckets", null, null);
    }

    @Command(
        name = "access-review",
        mixinStandardHelpOptions = true,
        description =
            "Exports the tenant's access review: users, keys, policies, and who can do what on each bucket.")
    int review(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String name,
        @Option(names = "--out", paramLabel = "FILE") Path out) {
      return AdminCommand.sendDocument(
          admin, "GET", "tenants/" + seg(name) + "/access-review", out);
    }
  }

  @Command(name = "users", mixinStandardHelpOptions = true, description = "Users of a tenant.")
  static final class Users extends Group {
    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "A tenant's users with their keys and policies.")
    int list(@Mixin AdminConnection admin, @Parameters(paramLabel = "TENANT") String tenant) {
      return send(admin, "GET", "tenants/" + seg(tenant) + "/users", null, null);
    }

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Creates a user (no rights until a policy grants some).")
    int create(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(
          admin,
          "POST",
          "tenants/" + seg(tenant) + "/users",
          JSON.createObjectNode().put("name", user),
          null);
    }

    @Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "A user, its keys and policy names.")
    int show(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(admin, "GET", path(tenant, user), null, null);
    }

    @Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Deletes a user with its keys and policies.")
    int delete(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(admin, "DELETE", path(tenant, user), null, null);
    }

    @Command(
        name = "enable",
        mixinStandardHelpOptions = true,
        description = "Lets a disabled user's keys sign again.")
    int enable(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(admin, "POST", path(tenant, user) + "/enable", null, null);
    }

    @Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description = "Refuses every key of the user from the next request.")
    int disable(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(admin, "POST", path(tenant, user) + "/disable", null, null);
    }

    @Command(
        name = "access",
        mixinStandardHelpOptions = true,
        description = "What a user can do, bucket by bucket.")
    int access(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(admin, "GET", path(tenant, user) + "/access", null, null);
    }
  }

  static String path(String tenant, String user) {
    return "tenants/" + seg(tenant) + "/users/" + seg(user);
  }

  @Command(
      name = "access-keys",
      mixinStandardHelpOptions = true,
      description = "Access keys of users.")
  static final class AccessKeys extends Group {
    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Creates a key for a user; the secret is printed this once.")
    int create(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(admin, "POST", path(tenant, user) + "/access-keys", null, null);
    }

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "A user's keys (never their secrets).")
    int list(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(admin, "GET", path(tenant, user) + "/access-keys", null, null);
    }

    @Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "One key: its user, status, lock-out.")
    int show(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "GET", "access-keys/" + seg(key), null, null);
    }

    @Command(
        name = "deactivate",
        mixinStandardHelpOptions = true,
        description = "Refuses the key from the next request.")
    int deactivate(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "POST", "access-keys/" + seg(key) + "/deactivate", null, null);
    }

    @Command(
        name = "activate",
        mixinStandardHelpOptions = true,
        description = "Accepts a deactivated key again.")
    int activate(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "POST", "access-keys/" + seg(key) + "/activate", null, null);
    }

    @Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Deletes the key for good.")
    int delete(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "DELETE", "access-keys/" + seg(key), null, null);
    }
  }

  @Command(
      name = "policies",
      mixinStandardHelpOptions = true,
      description = "Identity policies attached to users (IAM JSON).")
  static final class Policies extends Group {
    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "A user's policies, by name.")
    int list(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user) {
      return send(admin, "GET", path(tenant, user) + "/policies", null, null);
    }

    @Command(
        name = "put",
        mixinStandardHelpOptions = true,
        description =
            "Attaches (or replaces) a named policy read from a file; a malformed one is refused with the reason.")
    int put(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user,
        @Parameters(paramLabel = "NAME") String name,
        @Option(names = "--file", paramLabel = "FILE", required = true) Path file) {
      String document;
      try {
        document = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return AdminCommand.sendText(
          admin, "PUT", path(tenant, user) + "/policies/" + seg(name), document);
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "One policy document.")
    int get(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user,
        @Parameters(paramLabel = "NAME") String name) {
      return AdminCommand.sendDocument(
          admin, "GET", path(tenant, user) + "/policies/" + seg(name), null);
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Detaches a policy.")
    int delete(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "TENANT") String tenant,
        @Parameters(paramLabel = "USER") String user,
        @Parameters(paramLabel = "NAME") String name) {
      return send(admin, "DELETE", path(tenant, user) + "/policies/" + seg(name), null, null);
    }
  }

  @Command(
      name = "buckets",
      mixinStandardHelpOptions = true,
      description = "Bucket facts for the operator (never content).")
  static final class Buckets extends Group {
    @Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Owner, usage, quota and policy of a bucket.")
    int show(@Mixin AdminConnection admin, @Parameters(paramLabel = "BUCKET") String bucket) {
      return send(admin, "GET", "buckets/" + seg(bucket), null, null);
    }

    @Command(
        name = "quota",
        mixinStandardHelpOptions = true,
        description = "Sets a bucket's quota (\"none\" lifts a limit).")
    int quota(
        @Mixin AdminConnection admin,
        @Parameters(paramLabel = "BUCKET") String bucket,
        @Option(names = "--bytes", paramLabel = "SIZE", defaultValue = "none") String bytes,
        @Option(names = "--objects", paramLabel = "N", defaultValue = "none") String objects) {
      return send(
          admin,
          "PUT",
          "buckets/" + seg(bucket) + "/quota",
          IdentityCommands.quota(bytes, objects),
          null);
    }

    @Command(
        name = "access",
        mixinStandardHelpOptions = true,
        description = "Who can access a bucket, and with which actions.")
    int access(@Mixin AdminConnection admin, @Parameters(paramLabel = "BUCKET") String bucket) {
      return send(admin, "GET", "buckets/" + seg(bucket) + "/access", null, null);
    }
  }

  @Command(
      name = "lockouts",
      mixinStandardHelpOptions = true,
      description = "Access keys with failed authentications, and those locked out.")
  static final class Lockouts extends Group {
    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Failures per key, locked keys first.")
    int list(@Mixin AdminConnection admin) {
      return send(admin, "GET", "lockouts", null, null);
    }

    @Command(
        name = "clear",
        mixinStandardHelpOptions = true,
        description = "Lifts a key's lock-out.")
    int clear(@Mixin AdminConnection admin, @Parameters(paramLabel = "KEY") String key) {
      return send(admin, "DELETE", "lockouts/" + seg(key), null, null);
    }
  }
}
