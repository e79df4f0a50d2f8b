package fr.coffre.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates the requests that nodes send each other, with a secret every node of the cluster
 * holds: the sender signs the method, the path and query as sent, its node name, the date and a
 * random nonce with HMAC-SHA256; the receiver recomputes the signature, refuses dates more than
 * five minutes away from its clock and nonces it has already seen in that window.
 *
 * <p>The body is not signed (blobs are streamed, and signing them would mean reading them twice); a
 * written blob's integrity is checked instead by its commit, which carries the SHA-256 that the
 * sender computed. Whoever holds the secret can act as any node: it is a cluster credential, kept
 * in an owner-only file ({@link #fromFile}). Without the date window and the nonce set a captured
 * request could be replayed (a DELETE, say); without the constant-time comparison the signature
 * could be guessed byte by byte from response times.
 */
public final class ClusterAuth {
  public static final String NODE = "X-Coffre-Node";
  public static final String DATE = "X-Coffre-Date";
  public static final String NONCE = "X-Coffre-Nonce";
  public static final String SIGNATURE = "X-Coffre-Signature";

  /** How far a request's date may be from the receiver's clock, either way. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  static final int MIN_SECRET_BYTES = 32;
  private static final int NONCE_CAPACITY = 100_000;
  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern NONCE_SHAPE = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SIGNATURE_SHAPE = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern NODE_SHAPE = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final SecretKeySpec key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final RecentNonces nonces;

  /** A signer and verifier with this secret, on the system clock. */
  public ClusterAuth(byte[] secret) {
    this(secret, Clock.systemUTC());
  }

  /** A signer and verifier with this secret, on a given clock (tests move it by hand). */
  public ClusterAuth(byte[] secret, Clock clock) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the cluster secret has "
              + secret.length
              + " bytes, at least "
              + MIN_SECRET_BYTES
              + " are required");
    }
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.clock = clock;
    this.nonces = new RecentNonces(NONCE_CAPACITY, MAX_SKEW.toMillis());
  }

  /**
   * Reads the secret from an owner-only file; one trailing newline (as editors and {@code echo}
   * leave) is not part of it.
   *
   * @throws IllegalStateException when the file is readable by group or others on a POSIX file
   *     system, or holds fewer than 32 bytes
   */
  public static ClusterAuth fromFile(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null) {
      Set<PosixFilePermission> perms = posix.readAttributes().permissions();
      for (PosixFilePermission p : perms) {
        if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
          throw new IllegalStateException(
              "cluster secret file "
                  + file
                  + " has permissions "
                  + PosixFilePermissions.toString(perms)
                  + "; it must be readable by its owner only (chmod 600)");
        }
      }
    }
    byte[] content = Files.readAllBytes(file);
    int end = content.length;
    if (end > 0 && content[end - 1] == '\n') {
      end--;
      if (end > 0 && content[end - 1] == '\r') {
        end--;
      }
    }
    byte[] secret = Arrays.copyOf(content, end);
    Arrays.fill(content, (byte) 0);
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalStateException(
          "cluster secret file "
              + file
              + " holds "
              + secret.length
              + " bytes, at least "
              + MIN_SECRET_BYTES
              + " are required (for example: openssl rand -hex 32)");
    }
    try {
      return new ClusterAuth(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * The headers that authenticate one request.
   *
   * @param pathAndQuery the raw path and query exactly as they will be sent ({@code /a/b?c=d})
   * @param nodeName the name of the sending node
   */
  public Map<String, String> sign(String method, String pathAndQuery, String nodeName) {
    if (!NODE_SHAPE.matcher(nodeName).matches()) {
      throw new IllegalArgumentException("not a node name: " + nodeName);
    }
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    String date = Long.toString(clock.millis());
    String nonceHex = HEX.formatHex(nonce);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(NODE, nodeName);
    headers.put(DATE, date);
    headers.put(NONCE, nonceHex);
    headers.put(
        SIGNATURE, HEX.formatHex(mac(canonical(method, pathAndQuery, nodeName, date, nonceHex))));
    return headers;
  }

  /**
   * Checks one request's signature and freshness.
   *
   * @param headers a request header by name (names are given as in the constants of this class; the
   *     lookup should ignore case)
   * @return the name of the authenticated peer node
   * @throws ClusterAuthException saying why the request is refused
   */
  public String verify(
      String method, String pathAndQuery, Function<String, @Nullable String> headers)
      throws ClusterAuthException {
    String node = required(headers, NODE);
    String date = required(headers, DATE);
    String nonce = required(headers, NONCE);
    String signature = required(headers, SIGNATURE);
    if (!NODE_SHAPE.matcher(node).matches()) {
      throw new ClusterAuthException("malformed " + NODE + " header");
    }
    if (!NONCE_SHAPE.matcher(nonce).matches()) {
      throw new ClusterAuthException("malformed " + NONCE + " header");
    }
    if (!SIGNATURE_SHAPE.matcher(signature).matches()) {
      throw new ClusterAuthException("malformed " + SIGNATURE + " header");
    }
    long millis;
    try {
      millis = Long.parseLong(date);
    } catch (NumberFormatException e) {
      throw new ClusterAuthException("malformed " + DATE + " header");
    }
    long now = clock.millis();
    if (Math.abs(now - millis) > MAX_SKEW.toMillis()) {
      throw new ClusterAuthException(
          "date " + (millis - now) / 1000 + " s away from this node's clock (at most 300 s)");
    }
    byte[] expected = mac(canonical(method, pathAndQuery, node, date, nonce));
    if (!MessageDigest.isEqual(expected, HEX.parseHex(signature))) {
      throw new ClusterAuthException("bad signature (wrong secret, or request altered)");
    }
    // Only a request whose signature holds spends a nonce: forged ones cannot fill the set.
    nonces.use(nonce, millis, now);
    return node;
  }

  private static String required(Function<String, @Nullable String> headers, String name)
      throws ClusterAuthException {
    String value = headers.apply(name);
    if (value == null || value.isEmpty()) {
      throw new ClusterAuthException("missing " + name + " header");
    }
    return value;
  }

  private static byte[] canonical(
      String method, String pathAndQuery, String node, String date, String nonce) {
    return String.join("\n", method, pathAndQuery, node, date, nonce)
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + ALGORITHM, e);
    }
  }

  @Override
  public String toString() {
    return "ClusterAuth[HMAC-SHA256, secret hidden]";
  }
}
