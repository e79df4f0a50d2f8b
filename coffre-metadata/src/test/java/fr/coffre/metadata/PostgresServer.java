package fr.coffre.metadata;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests, run from the machine's Debian binaries ({@code
 * /usr/lib/postgresql/N/bin}, package {@code postgresql}): a new cluster in a temporary directory,
 * listening on a free loopback port (and its Unix socket in that directory, so nothing is needed
 * under {@code /var/run}), fsync on as in production. Loopback connections are trusted as the
 * superuser {@code postgres}, except for the role {@link #PASSWORD_ROLE}, which must give its
 * password (SCRAM), so tests can check that one reaches the server.
 *
 * <p>{@link #shared()} is one server per test JVM, stopped by a shutdown hook; {@link #start()} is
 * a private one for tests that stop and restart it. Tests are skipped (an assumption names the
 * package to install) where PostgreSQL is not installed. As root, the server runs as the {@code
 * postgres} system user, since PostgreSQL refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {
  /** A role that logs in with a password (see {@link #createPasswordRole}). */
  public static final String PASSWORD_ROLE = "coffre_password";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer shared;

  private final Path bin;
  private final Path dir;
  private final int port;

  private PostgresServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** The newest installed PostgreSQL's {@code bin} directory, if any. */
  public static Optional<Path> binaries() {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(
              Comparator.comparingInt(
                  b ->
                      Integer.parseInt(
                          b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Skips the calling test (or class) unless PostgreSQL is installed. */
  public static Path assumeInstalled() {
    Optional<Path> bin = binaries();
    Assumptions.assumeTrue(
        bin.isPresent(),
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql");
    return bin.orElseThrow();
  }

  /**
   * The server this test JVM shares, started on first use; skips the caller where PostgreSQL is not
   * installed.
   */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      PostgresServer server = start();
      Runtime.getRuntime()
          .addShutdownHook(Thread.ofPlatform().name("postgres-stop").unstarted(server::close));
      shared = server;
    }
    return shared;
  }

  /** A new server of the caller's own; {@link #close()} stops it and deletes its files. */
  public static PostgresServer start() {
    Path bin = assumeInstalled();
    try {
      Path dir = Files.createTempDirectory("coffre-pg-");
      if (runningAsRoot()) {
        UserPrincipal postgres =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
      }
      PostgresServer server = new PostgresServer(bin, dir, freePort());
      server.run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              server.data().toString(),
              "-U",
              "postgres",
              "--auth=trust",
              "--encoding=UTF8",
              "--locale=C.UTF-8"));
      // Loopback only; one role must give its password (SCRAM), the superuser is trusted.
      Files.writeString(
          server.data().resolve("pg_hba.conf"),
          """
          local all all trust
          host all %s 127.0.0.1/32 scram-sha-256
          host all all 127.0.0.1/32 trust
          """
              .formatted(PASSWORD_ROLE));
      server.startAgain();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * A free port drawn below the kernel's ephemeral range (32768–60999), which outgoing connections
   * and other programs' port-0 sockets draw from and could take before PostgreSQL binds it.
   */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
      try (ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free loopback port");
  }

  private Path data() {
    return dir.resolve("data");
  }

  /** Runs a PostgreSQL program as the user that owns the cluster; fails with its output. */
  private void run(List<String> command) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (runningAsRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    Path out = Files.createTempFile("coffre-pg-cmd-", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", cmd)
                + " exited with "
                + p.exitValue()
                + ":\n"
                + Files.readString(out));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Starts the server (again) on its port and data, and waits until it accepts connections. */
  public void startAgain() throws IOException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data().toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir,
            "start"));
  }

  /**
   * Stops the server the way a crash or an operator does: {@code immediate} (no checkpoint) or
   * {@code fast}.
   */
  public void stop(String mode) throws IOException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", mode, "-w", "stop"));
  }

  public int port() {
    return port;
  }

  /**
   * The JDBC URL of {@code database} as the superuser, with {@code params} (e.g. {@code
   * currentSchema=x}) if given.
   */
  public String jdbcUrl(String database, String params) {
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/"
        + database
        + "?user=postgres"
        + (params == null || params.isEmpty() ? "" : "&" + params);
  }

  /** Runs SQL statements as the superuser in {@code database}. */
  public void execute(String database, String... statements) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(database, null));
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL test setup failed: " + e.getMessage(), e);
    }
  }

  /**
   * Creates a new, empty database and returns its name. Its default collation is ICU's {@code
   * en-US} (which ignores case and punctuation at first), so that the tests prove the schema orders
   * by bytes whatever the database's collation.
   */
  public String createDatabase() {
    String name = "coffre_test_" + DATABASES.incrementAndGet();
    execute(
        "postgres",
        "CREATE DATABASE "
            + name
            + " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
    return name;
  }

  public void dropDatabase(String name) {
    execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /**
   * Creates {@link #PASSWORD_ROLE} (if needed) with this password, allowed to use {@code database}.
   */
  public void createPasswordRole(String database, String password) {
    execute(
        "postgres",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
            + PASSWORD_ROLE
            + "') THEN CREATE ROLE "
            + PASSWORD_ROLE
            + " LOGIN; END IF; END $$",
        "ALTER ROLE " + PASSWORD_ROLE + " PASSWORD '" + password.replace("'", "''") + "'",
        "GRANT ALL ON DATABASE " + database + " TO " + PASSWORD_ROLE,
        "ALTER DATABASE " + database + " OWNER TO " + PASSWORD_ROLE);
  }

  /** Stops the server at once and deletes its files. */
  @Override
  public void close() {
    try {
      stop("immediate");
    } catch (IOException e) {
      // already stopped
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left for the next tmp cleaning
    }
  }
}
