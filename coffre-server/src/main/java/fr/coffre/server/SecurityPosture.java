package fr.coffre.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a configuration guarantees, what it weakens, and what strict mode refuses to start with.
 *
 * <p>Two kinds of rule. <b>Exposure</b> rules apply when any listener (S3, ops, admin, console, a
 * node's internal API) is bound beyond loopback ({@code 127.0.0.0/8}, {@code ::1}): every such
 * listener needs TLS (the internal API mutual TLS with the cluster CA), the ops listener also its
 * token (its {@code /metrics} is otherwise open), and the root key must be sealed under a
 * passphrase or kept in an HSM, not the development key file beside the data. On loopback the
 * development defaults stay, so the first command of the README works on a laptop. <b>Floors</b>
 * apply wherever the server listens, because a loopback listener behind a local reverse proxy is a
 * production server too: the audit trail on, fail-closed, kept at least 180 days, and a TLS key no
 * weaker than RSA-3072 or EC P-256.
 *
 * <p>A start that breaks a rule is refused before anything is opened, with every problem and its
 * fix in one message; the developer override ({@code --insecure-dev}) turns the refusals into
 * warnings, logged at each start and recorded in the audit trail. {@code coffre config check}
 * prints the same judgement without starting. This class is pure: what it needs from outside the
 * configuration (name resolution, the certificate's key) comes in {@link Facts}.
 *
 * @param guarantees each guarantee of the server and whether this configuration keeps it
 * @param refusals what strict mode refuses, each with its fix; empty when the start may go on
 * @param insecureDev whether the developer override is on (refusals are then only warned)
 */
public record SecurityPosture(
    List<Guarantee> guarantees, List<Refusal> refusals, boolean insecureDev) {

  static final int AUDIT_RETENTION_FLOOR_DAYS = 180;

  /** The shortest audit retention a start accepts without the developer override. */
  public static final Duration AUDIT_RETENTION_FLOOR = Duration.ofDays(AUDIT_RETENTION_FLOOR_DAYS);

  /** The smallest RSA modulus, in bits, of a TLS key (ANSSI RGS, beyond 2030). */
  public static final int RSA_MIN_BITS = 3072;

  /** The smallest elliptic-curve field, in bits, of a TLS key (P-256). */
  public static final int EC_MIN_BITS = 256;

  static final String OVERRIDE =
      "--insecure-dev (COFFRE_INSECURE_DEV=true, or insecure-dev: true in the configuration file)";

  public SecurityPosture {
    guarantees = List.copyOf(guarantees);
    refusals = List.copyOf(refusals);
  }

  /** Whether a guarantee holds. */
  public enum Status {
    HOLDS,
    WEAKENED;

    String label() {
      return this == HOLDS ? "holds" : "weakened";
    }
  }

  /**
   * One guarantee of the server.
   *
   * @param name what is guaranteed (e.g. {@code root key}, {@code TLS admin})
   * @param status whether this configuration keeps it
   * @param detail how, or why not
   */
  public record Guarantee(String name, Status status, String detail) {}

  /**
   * Something strict mode refuses.
   *
   * @param problem what is wrong, naming the listener, setting or file
   * @param fix how to put it right
   */
  public record Refusal(String problem, String fix) {}

  /**
   * What the judgement needs beyond the configuration.
   *
   * @param loopback whether a listener's host is reachable only from this machine
   * @param tlsKey the public key of the TLS certificate (its first, leaf, certificate), or null
   *     without TLS
   * @param clusterKey the public key of the node's certificate on the internal API, or null without
   *     mutual TLS there
   */
  public record Facts(Predicate<String> loopback, PublicKey tlsKey, PublicKey clusterKey) {
    /** The facts of a configuration without mutual TLS between nodes. */
    public Facts(Predicate<String> loopback, PublicKey tlsKey) {
      this(loopback, tlsKey, null);
    }
  }

  /** The posture of {@code config}, resolving its hosts and reading its TLS certificates. */
  public static SecurityPosture of(ServerConfig config) {
    PublicKey key =
        config.tls() ? TlsFiles.certificates(config.tlsCert()).get(0).getPublicKey() : null;
    PublicKey clusterKey =
        config.clustered() && config.cluster().tls()
            ? TlsFiles.certificates(config.cluster().tlsCert()).get(0).getPublicKey()
            : null;
    return of(config, new Facts(SecurityPosture::loopback, key, clusterKey));
  }

  /** The posture of {@code config} given the facts. */
  public static SecurityPosture of(ServerConfig config, Facts facts) {
    List<Guarantee> guarantees = new ArrayList<>();
    List<Refusal> refusals = new ArrayList<>();
    List<ServerConfig.Listener> exposed =
        config.listeners().stream()
            .filter(l -> !facts.loopback().test(l.address().host()))
            .toList();

    guarantees.add(
        new Guarantee(
            "encryption at rest",
            Status.HOLDS,
            "every object under its own AES-256-GCM data key, wrapped by the root key"));
    guarantees.add(
        exposed.isEmpty()
            ? new Guarantee(
                "listeners", Status.HOLDS, "loopback only: reachable only from this machine")
            : new Guarantee(
                "listeners",
                Status.HOLDS,
                "beyond loopback: "
                    + names(exposed)
                    + "; strict mode applies (TLS on each, a sealed or HSM root key)"));

    rootKey(config, exposed, guarantees, refusals);
    for (ServerConfig.Listener l : config.listeners()) {
      listener(config, l, !exposed.contains(l), guarantees, refusals);
    }
    tlsKey("TLS key", config.tlsCert(), facts.tlsKey(), guarantees, refusals);
    if (config.clustered()
        && config.cluster().tls()
        && !config.cluster().tlsCert().equals(config.tlsCert())) {
      tlsKey(
          "TLS key cluster", config.cluster().tlsCert(), facts.clusterKey(), guarantees, refusals);
    }
    audit(config.audit(), guarantees, refusals);
    guarantees.add(
        config.insecureDev()
            ? new Guarantee(
                "insecure-dev",
                Status.WEAKENED,
                refusals.isEmpty()
                    ? "the developer override is on (nothing to override)"
                    : "the developer override is on: " + refusals.size() + " refusal(s) overridden")
            : new Guarantee("insecure-dev", Status.HOLDS, "off: strict mode refuses weak starts"));
    return new SecurityPosture(guarantees, refusals, config.insecureDev());
  }

  private static void rootKey(
      ServerConfig config,
      List<ServerConfig.Listener> exposed,
      List<Guarantee> guarantees,
      List<Refusal> refusals) {
    if (config.hsm() != null) {
      guarantees.add(
          new Guarantee(
              "root key", Status.HOLDS, "in a PKCS#11 HSM (" + config.hsm().keyLabel() + ")"));
    } else if (config.sealed() != null) {
      guarantees.add(
          new Guarantee(
              "root key",
              Status.HOLDS,
              "sealed under a passphrase (Argon2id: 64 MiB, 3 passes, 4 lanes; AES-256-GCM)"));
    } else {
      guarantees.add(
          new Guarantee(
              "root key",
              Status.WEAKENED,
              "development key file "
                  + config.dataDir().resolve("keys").resolve(RootKeys.DEV_KEY_FILE)
                  + ": whoever reads the data directory can decrypt it"));
      if (!exposed.isEmpty()) {
        refusals.add(
            new Refusal(
                "the root key is the development key file while "
                    + names(exposed)
                    + (exposed.size() == 1 ? " listens" : " listen")
                    + " beyond loopback: whoever reads the data directory can decrypt everything",
                "seal it under a passphrase (COFFRE_ROOT_PASSPHRASE_FILE or root-key.passphrase-file)"
                    + " or keep it in an HSM (root-key.pkcs11, COFFRE_PKCS11_*); a data directory"
                    + " made with the development key keeps it, so start on a new one"));
      }
    }
  }

  private static void listener(
      ServerConfig config,
      ServerConfig.Listener l,
      boolean onLoopback,
      List<Guarantee> guarantees,
      List<Refusal> refusals) {
    if (l.name().equals("cluster")) {
      cluster(config.cluster(), onLoopback, guarantees, refusals);
      return;
    }
    String where = l.name() + " listener on " + hostPort(l.address());
    boolean ops = l.name().equals("ops");
    // The ops listener speaks HTTPS only beyond loopback (Edges): local probes keep plain HTTP.
    boolean tls = config.tls() && !(ops && onLoopback);
    String auth =
        switch (l.name()) {
          case "admin" -> ", bearer token (operator console: sessions)";
          case "console" -> ", tenant sign-in";
          case "ops" ->
              config.opsToken() != null
                  ? ", /metrics behind its bearer token"
                  : ", /metrics without authentication";
          default -> ", SigV4";
        };
    if (tls) {
      guarantees.add(
          new Guarantee(
              "TLS " + l.name(), Status.HOLDS, "HTTPS on " + hostPort(l.address()) + auth));
    } else {
      guarantees.add(
          new Guarantee(
              "TLS " + l.name(),
              Status.WEAKENED,
              "plain HTTP on "
                  + hostPort(l.address())
                  + (onLoopback ? " (loopback: reachable only from here)" : " beyond loopback")
                  + auth));
      if (!onLoopback) {
        String what =
            switch (l.name()) {
              case "admin" ->
                  ": the operator's bearer token and console sessions would cross the network in clear";
              case "console" -> ": tenants' secrets and sessions would cross the network in clear";
              case "ops" -> ": health and metrics would cross the network in clear";
              default -> ": requests, objects and SSE-C keys would cross the network in clear";
            };
        refusals.add(
            new Refusal(
                "the " + where + " is beyond loopback without TLS" + what,
                "give --tls-cert and --tls-key (COFFRE_TLS_CERT / COFFRE_TLS_KEY, or tls.cert /"
                    + " tls.key), or bind it to 127.0.0.1 or [::1]"
                    + (l.name().equals("S3") ? "" : " (or 'off')")));
      }
    }
    if (ops && !onLoopback && config.opsToken() == null) {
      refusals.add(
          new Refusal(
              "the " + where + " is beyond loopback and its /metrics asks no authentication",
              "set an ops token of at least 16 characters (COFFRE_OPS_TOKEN, or a file named by"
                  + " --ops-token-file, COFFRE_OPS_TOKEN_FILE or ops-token-file) and give it to"
                  + " the scraper as a bearer token, or bind ops to loopback (or 'off')"));
    }
  }

  /**
   * The internal API between nodes: mutual TLS with the cluster CA, then the cluster secret's
   * signature on each request; the signature alone only on loopback (one machine, development).
   */
  private static void cluster(
      ServerConfig.Cluster c,
      boolean onLoopback,
      List<Guarantee> guarantees,
      List<Refusal> refusals) {
    String at = hostPort(c.address());
    String hmac = "an HMAC-SHA256 signature with the cluster secret on each request";
    if (c.tls()) {
      guarantees.add(
          new Guarantee(
              "TLS cluster",
              Status.HOLDS,
              "mutual TLS on "
                  + at
                  + " (a peer's certificate must chain to "
                  + c.caFile()
                  + " and name its address), then "
                  + hmac));
      return;
    }
    guarantees.add(
        new Guarantee(
            "TLS cluster",
            Status.WEAKENED,
            "plain HTTP on "
                + at
                + (onLoopback ? " (loopback: reachable only from here)" : " beyond loopback")
                + ", "
                + hmac
                + " only: blobs and requests in clear"));
    if (!onLoopback) {
      refusals.add(
          new Refusal(
              "the cluster listener on "
                  + at
                  + " is beyond loopback without mutual TLS: blobs and signed requests would cross"
                  + " the network in clear, and the cluster secret alone would authenticate peers",
              "give cluster.ca-file (--cluster-ca-file, COFFRE_CLUSTER_CA_FILE), the PEM CA that"
                  + " signs every node's certificate, with this node's certificate and key"
                  + " (cluster.tls-cert / cluster.tls-key, default tls.cert / tls.key), or bind"
                  + " --cluster-address to 127.0.0.1 (every node on this machine)"));
    }
  }

  private static void tlsKey(
      String name, Path cert, PublicKey key, List<Guarantee> guarantees, List<Refusal> refusals) {
    if (key == null) {
      return;
    }
    String described = describe(key);
    String weakness = weakness(key);
    if (weakness == null) {
      guarantees.add(new Guarantee(name, Status.HOLDS, described + " in " + cert));
    } else {
      guarantees.add(new Guarantee(name, Status.WEAKENED, described + " in " + cert));
      refusals.add(
          new Refusal(
              "the TLS certificate " + cert + " has a weak key: " + weakness,
              "issue a certificate for an EC P-256 (or stronger) or RSA "
                  + RSA_MIN_BITS
                  + "-bit (or longer) key, e.g. openssl req -newkey ec -pkeyopt"
                  + " ec_paramgen_curve:P-256 ... (scripts/dev-tls-cert.sh for a first try)"));
    }
  }

  private static void audit(
      ServerConfig.Audit audit, List<Guarantee> guarantees, List<Refusal> refusals) {
    if (!audit.enabled()) {
      guarantees.add(
          new Guarantee(
              "audit trail", Status.WEAKENED, "off: nothing this server does is recorded"));
      refusals.add(
          new Refusal(
              "the audit trail is off (audit.enabled / COFFRE_AUDIT)",
              "remove the setting: the trail is on by default"));
      return;
    }
    List<String> weakened = new ArrayList<>();
    if (!audit.failClosed()) {
      weakened.add("fail-open: actions that cannot be recorded proceed unrecorded");
      refusals.add(
          new Refusal(
              "the audit trail is fail-open (audit.fail-closed / COFFRE_AUDIT_FAIL_CLOSED is false):"
                  + " what cannot be recorded would proceed unrecorded",
              "remove the setting: the trail is fail-closed by default"));
    }
    if (audit.retention().compareTo(AUDIT_RETENTION_FLOOR) < 0) {
      weakened.add(
          "retention "
              + days(audit.retention())
              + ", under "
              + AUDIT_RETENTION_FLOOR_DAYS
              + " days");
      refusals.add(
          new Refusal(
              "the audit retention (audit.retention / COFFRE_AUDIT_RETENTION) is "
                  + days(audit.retention())
                  + ", under the floor of "
                  + AUDIT_RETENTION_FLOOR_DAYS
                  + " days",
              "keep records at least " + AUDIT_RETENTION_FLOOR_DAYS + "d (the default)"));
    }
    guarantees.add(
        weakened.isEmpty()
            ? new Guarantee(
                "audit trail",
                Status.HOLDS,
                "on, fail-closed, records kept " + days(audit.retention()))
            : new Guarantee("audit trail", Status.WEAKENED, "on, " + String.join("; ", weakened)));
  }

  /** Why a TLS key is too weak, or null when it is strong enough. */
  static String weakness(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      return bits < RSA_MIN_BITS
          ? "RSA " + bits + "-bit, under RSA " + RSA_MIN_BITS + " (or EC P-256)"
          : null;
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return bits < EC_MIN_BITS ? "EC " + bits + "-bit, under EC P-256 (or RSA 3072)" : null;
    }
    String algorithm = key.getAlgorithm();
    if (algorithm.equals("EdDSA") || algorithm.equals("Ed25519") || algorithm.equals("Ed448")) {
      return null; // Ed25519 is as strong as P-256, Ed448 stronger
    }
    return algorithm + " keys are not accepted: use EC P-256 or stronger, or RSA " + RSA_MIN_BITS;
  }

  /** A key's kind and size, e.g. {@code RSA 2048-bit} or {@code EC 256-bit (secp256r1)}. */
  static String describe(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return "RSA " + rsa.getModulus().bitLength() + "-bit";
    }
    if (key instanceof ECPublicKey ec) {
      String curve = ec.getParams().toString();
      int space = curve.indexOf(' ');
      return "EC "
          + ec.getParams().getCurve().getField().getFieldSize()
          + "-bit"
          + (space > 0 ? " (" + curve.substring(0, space) + ")" : "");
    }
    return key.getAlgorithm();
  }

  /**
   * Whether {@code host} is reachable only from this machine: every address it names is in {@code
   * 127.0.0.0/8} or is {@code ::1}. A name that does not resolve, and the wildcard addresses
   * ({@code 0.0.0.0}, {@code ::}), are not.
   */
  public static boolean loopback(String host) {
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Whether strict mode stops this start: something is refused and the override is off. */
  public boolean refused() {
    return !refusals.isEmpty() && !insecureDev;
  }

  /** The one message of a refused start: every problem, its fix, and the override. */
  public String refusalMessage() {
    StringBuilder b =
        new StringBuilder("refusing to start (strict mode, docs/security.md), ")
            .append(refusals.size())
            .append(refusals.size() == 1 ? " problem:" : " problems:");
    for (Refusal r : refusals) {
      b.append("\n  - ").append(r.problem()).append("\n    fix: ").append(r.fix());
    }
    b.append("\n  For development only, ")
        .append(OVERRIDE)
        .append(" starts anyway, logged and recorded in the audit trail at every start.");
    return b.toString();
  }

  /** The lines a start logs at WARN when the developer override is on (none otherwise). */
  public List<String> overrideWarnings() {
    if (!insecureDev) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        "INSECURE DEVELOPMENT MODE ("
            + OVERRIDE
            + "): strict mode is overridden; "
            + (refusals.isEmpty()
                ? "nothing to override in this configuration."
                : refusals.size() + " refusal(s) overridden, never do this in production:"));
    for (Refusal r : refusals) {
      lines.add("insecure-dev overrides: " + r.problem() + " (fix: " + r.fix() + ")");
    }
    return lines;
  }

  /** The posture as text, for {@code coffre config check}. */
  public String report() {
    StringBuilder b = new StringBuilder("security posture:\n");
    int width = guarantees.stream().mapToInt(g -> g.name().length()).max().orElse(0);
    for (Guarantee g : guarantees) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-8s  %-" + width + "s  %s%n",
              g.status().label(),
              g.name(),
              g.detail()));
    }
    if (!refusals.isEmpty()) {
      b.append(
          insecureDev
              ? "strict mode would refuse this start; overridden by insecure-dev:\n"
              : "strict mode refuses this start:\n");
      for (Refusal r : refusals) {
        b.append("  - ").append(r.problem()).append("\n    fix: ").append(r.fix()).append('\n');
      }
    }
    return b.toString();
  }

  /** The posture as a JSON-ready map, for {@code coffre config check --json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("refused", refused());
    out.put("insecureDev", insecureDev);
    List<Map<String, Object>> g = new ArrayList<>();
    for (Guarantee x : guarantees) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", x.name());
      m.put("status", x.status().label());
      m.put("detail", x.detail());
      g.add(m);
    }
    out.put("guarantees", g);
    List<Map<String, Object>> r = new ArrayList<>();
    for (Refusal x : refusals) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("problem", x.problem());
      m.put("fix", x.fix());
      r.add(m);
    }
    out.put("refusals", r);
    return out;
  }

  private static String names(List<ServerConfig.Listener> listeners) {
    List<String> out = new ArrayList<>();
    for (ServerConfig.Listener l : listeners) {
      out.add(l.name() + " (" + hostPort(l.address()) + ")");
    }
    return String.join(", ", out);
  }

  private static String hostPort(ServerConfig.Address a) {
    return (a.host().contains(":") ? "[" + a.host() + "]" : a.host()) + ":" + a.port();
  }

  private static String days(Duration d) {
    long days = d.toDays();
    return days >= 1 && d.equals(Duration.ofDays(days)) ? days + "d" : d.toString();
  }
}
