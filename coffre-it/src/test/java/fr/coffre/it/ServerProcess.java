package fr.coffre.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Coffre server in its own process (the CLI's {@code server} command on this test's class
 * path), listening on a free loopback port, with known root credentials. It can be killed with
 * SIGKILL and restarted on the same data directory, for crash tests.
 */
public final class ServerProcess implements AutoCloseable {
  public static final String ACCESS_KEY = "COFFREITACCESSKEY";
  public static final String SECRET_KEY = "coffre-it-secret-key-0123456789";
  public static final String ADMIN_TOKEN = "coffre-it-admin-token-0123456789";

  private final Path dataDir;
  private final Path log;
  private int port;
  private int opsPort;
  private int adminPort;
  private int consolePort;
  private boolean launched;
  private final String maxHeap;
  private final List<String> serverArgs;
  private final Map<String, String> env = new java.util.HashMap<>();
  private Process process;

  private ServerProcess(Path dataDir, int port, String maxHeap, List<String> serverArgs)
      throws IOException {
    this.dataDir = dataDir;
    this.port = port;
    this.opsPort = freePort();
    this.adminPort = freePort();
    this.consolePort = freePort();
    this.maxHeap = maxHeap;
    this.serverArgs = List.copyOf(serverArgs);
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  /** Starts a server on a new, empty data directory. */
  public static ServerProcess start() throws IOException, InterruptedException {
    return start("512m");
  }

  /** Starts a server with extra environment variables (e.g. log settings). */
  public static ServerProcess startWithEnv(Map<String, String> env, String... serverArgs)
      throws IOException, InterruptedException {
    Path work = Path.of(System.getProperty("coffre.it.workdir", "target/it-work"));
    Files.createDirectories(work);
    ServerProcess server =
        new ServerProcess(
            work.resolve("data-" + UUID.randomUUID()), freePort(), "512m", List.of(serverArgs));
    server.env.putAll(env);
    server.launch();
    return server;
  }

  /** A server on a new data directory, not started yet: {@link #launch()} starts it. */
  public static ServerProcess create(String... serverArgs) throws IOException {
    Path work = Path.of(System.getProperty("coffre.it.workdir", "target/it-work"));
    Files.createDirectories(work);
    return new ServerProcess(
        work.resolve("data-" + UUID.randomUUID()), freePort(), "512m", List.of(serverArgs));
  }

  /** Adds environment variables for the next {@link #launch()}. */
  public ServerProcess withEnv(Map<String, String> more) {
    env.putAll(more);
    return this;
  }

  /** Removes environment variables given earlier, for the next {@link #launch()}. */
  public ServerProcess withoutEnv(String... names) {
    for (String n : names) {
      env.remove(n);
    }
    return this;
  }

  /** Starts a server whose JVM heap is capped at {@code maxHeap} (e.g. "128m"). */
  public static ServerProcess start(String maxHeap, String... serverArgs)
      throws IOException, InterruptedException {
    Path work = Path.of(System.getProperty("coffre.it.workdir", "target/it-work"));
    Files.createDirectories(work);
    ServerProcess server =
        new ServerProcess(
            work.resolve("data-" + UUID.randomUUID()), freePort(), maxHeap, List.of(serverArgs));
    server.launch();
    return server;
  }

  private static int freePort() throws IOException {
    return Ports.free();
  }

  /**
   * (Re)starts the process on the same data directory and port; waits until it accepts. On the
   * first start, a port taken by another process between its choice and the bind is replaced and
   * the start tried again.
   */
  public void launch() throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        launchOnce();
        launched = true;
        return;
      } catch (PortTakenException e) {
        if (launched || attempt >= 3) {
          throw new IllegalStateException(e.getMessage());
        }
        port = freePort();
        opsPort = freePort();
        adminPort = freePort();
        consolePort = freePort();
      }
    }
  }

  /** The server could not bind one of its ports: another process took it. */
  private static final class PortTakenException extends IOException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  private void launchOnce() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + maxHeap);
    cmd.add("-XX:+ExitOnOutOfMemoryError"); // as the launchers run it
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("fr.coffre.cli.Main");
    cmd.add("server");
    cmd.add("--data");
    cmd.add(dataDir.toString());
    cmd.add("--address");
    cmd.add("127.0.0.1:" + port);
    cmd.add("--ops-address");
    cmd.add("127.0.0.1:" + opsPort);
    if (!serverArgs.contains("--admin-address")) {
      cmd.add("--admin-address");
      cmd.add("127.0.0.1:" + adminPort);
    }
    if (!serverArgs.contains("--console-address")) {
      cmd.add("--console-address");
      cmd.add("127.0.0.1:" + consolePort);
    }
    cmd.addAll(serverArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("COFFRE_ROOT_ACCESS_KEY", ACCESS_KEY);
    pb.environment().put("COFFRE_ROOT_SECRET_KEY", SECRET_KEY);
    pb.environment().put("COFFRE_ADMIN_TOKEN", ADMIN_TOKEN);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    process = pb.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        String output = Files.readString(log);
        String message = "server exited with " + process.exitValue() + "; log:\n" + output;
        if (output.contains("java.net.BindException: Address already in use")) {
          Files.writeString(log, ""); // the next attempt's log starts clean
          throw new PortTakenException(message);
        }
        throw new IllegalStateException(message);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        awaitAnnounced(logStart);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("server did not start in 60 s; log:\n" + Files.readString(log));
  }

  /**
   * Waits (up to 20 s) for this start's "Coffre listening" line, which the server logs once every
   * listener (admin, console, ops) is open: the S3 port may accept before the others do, and a test
   * calling the admin API at once would be refused on a loaded machine. A server whose log level
   * hides the line is taken as started after the wait.
   */
  private void awaitAnnounced(long logStart) throws IOException, InterruptedException {
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(until) && process.isAlive()) {
      byte[] all = Files.readAllBytes(log);
      String since =
          new String(
              all,
              (int) Math.min(logStart, all.length),
              all.length - (int) Math.min(logStart, all.length),
              java.nio.charset.StandardCharsets.UTF_8);
      if (since.contains("Coffre listening on")) {
        return;
      }
      Thread.sleep(50);
    }
  }

  /** Asks the process to stop (SIGTERM), as a service manager does; does not wait. */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit; its exit code, or -1 on timeout. */
  public int waitForExit(java.time.Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        ? process.exitValue()
        : -1;
  }

  /** Kills the process at once (SIGKILL): no shutdown hook, no flush. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** The server's process id, to watch its memory. */
  public long pid() {
    return process.pid();
  }

  public URI endpoint() {
    return URI.create(
        (serverArgs.contains("--tls-cert") ? "https" : "http") + "://127.0.0.1:" + port);
  }

  /** Where health and metrics are served. */
  public URI opsEndpoint() {
    return URI.create("http://127.0.0.1:" + opsPort);
  }

  /** The tenant console's base URL (share links too). */
  public URI consoleEndpoint() {
    return URI.create("http://127.0.0.1:" + consolePort);
  }

  /** The admin API's base URL. */
  public URI adminEndpoint() {
    return URI.create("http://127.0.0.1:" + adminPort);
  }

  /** One admin API call with the operator's token: status and body. */
  public Admin admin(String method, String path, String json)
      throws IOException, InterruptedException {
    var request =
        java.net.http.HttpRequest.newBuilder(adminEndpoint().resolve("/admin/v1/" + path))
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .method(
                method,
                json == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(json))
            .build();
    try (var client = java.net.http.HttpClient.newHttpClient()) {
      var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Admin(response.statusCode(), response.body());
    }
  }

  /** An admin API answer. */
  public record Admin(int status, String body) {}

  /**
   * Runs the {@code coffre} command line (a separate JVM, as a user would) and returns its exit
   * code and output.
   */
  public static Admin cli(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaCommand, "-cp", System.getProperty("java.class.path"), "fr.coffre.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new Admin(p.waitFor(), out);
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
