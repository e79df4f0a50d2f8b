package fr.coffre.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The server's Ed25519 signing key (erasure certificates, later audit checkpoints). The private key
 * is kept only wrapped by the root key ({@code signing.key}); the public key is published beside it
 * ({@code signing.pub}, PEM) so that anyone can verify offline. Created on first use, which may be
 * after a sealed root key is unsealed.
 */
public final class SigningKey {
  public static final String ALGORITHM = "Ed25519";
  private static final byte[] CONTEXT = "coffre signing key v1".getBytes(StandardCharsets.US_ASCII);

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String retiredPem;

  private SigningKey(PrivateKey privateKey, PublicKey publicKey, String retiredPem) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.retiredPem = retiredPem;
  }

  /** Loads the key pair from {@code dir}, generating it the first time. */
  public static synchronized SigningKey openOrCreate(Path dir, RootKey root) throws IOException {
    Path priv = dir.resolve("signing.key");
    Path pub = dir.resolve("signing.pub");
    try {
      KeyFactory kf = KeyFactory.getInstance(ALGORITHM);
      if (!Files.exists(priv)) {
        KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        write(pub, pem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
        write(priv, wrappedFile(root, pair.getPrivate().getEncoded()), "rw-------");
      }
      byte[] file = Files.readAllBytes(priv);
      int nl = indexOf(file, (byte) '\n');
      String rootId = new String(file, 0, nl, StandardCharsets.UTF_8);
      if (!root.holds(rootId)) {
        throw new GeneralSecurityException(
            priv + " is wrapped by root key " + rootId + ", not " + root.id());
      }
      byte[] pkcs8 = root.unwrap(rootId, Arrays.copyOfRange(file, nl + 1, file.length), CONTEXT);
      PrivateKey privateKey = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      Arrays.fill(pkcs8, (byte) 0);
      PublicKey publicKey =
          kf.generatePublic(new X509EncodedKeySpec(fromPem(Files.readString(pub))));
      return new SigningKey(privateKey, publicKey, retiredPem(dir));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot open the signing key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The retired public keys' file: PEM blocks, oldest first, each after a comment line. */
  public static final String RETIRED_FILE = "signing-retired.pub";

  /**
   * Re-wraps {@code signing.key} under {@code root}'s current key when another key {@code root}
   * holds wrapped it (a root key rotation); returns whether it rewrote the file. Absent: false.
   */
  public static synchronized boolean rewrap(Path dir, RootKey root) throws IOException {
    Path priv = dir.resolve("signing.key");
    if (!Files.exists(priv)) {
      return false;
    }
    byte[] file = Files.readAllBytes(priv);
    try {
      int nl = indexOf(file, (byte) '\n');
      String rootId = new String(file, 0, nl, StandardCharsets.UTF_8);
      if (rootId.equals(root.id())) {
        return false;
      }
      byte[] pkcs8 = root.unwrap(rootId, Arrays.copyOfRange(file, nl + 1, file.length), CONTEXT);
      write(priv, wrappedFile(root, pkcs8), "rw-------");
      return true;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot re-wrap the signing key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces the signing key with a new one for everything signed from now on: the old public key
   * is appended to {@value #RETIRED_FILE} (it still verifies what it signed) before the new pair is
   * written. Returns the new public key's PEM.
   */
  public static synchronized String rotate(Path dir, RootKey root, java.time.Instant now)
      throws IOException {
    Path priv = dir.resolve("signing.key");
    Path pub = dir.resolve("signing.pub");
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      if (Files.exists(pub)) {
        String old = Files.readString(pub, StandardCharsets.US_ASCII);
        Path retired = dir.resolve(RETIRED_FILE);
        String before =
            Files.exists(retired) ? Files.readString(retired, StandardCharsets.US_ASCII) : "";
        if (!before.contains(old.strip())) {
          write(
              retired,
              (before + "# retired " + now + "\n" + old).getBytes(StandardCharsets.US_ASCII),
              "rw-r--r--");
        }
      }
      write(priv, wrappedFile(root, pair.getPrivate().getEncoded()), "rw-------");
      String pem = pem(pair.getPublic());
      write(pub, pem.getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
      return pem;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a new signing key: " + e.getMessage(), e);
    }
  }

  /** The retired public keys (PEM blocks, oldest first), or an empty string when none. */
  public static String retiredPem(Path dir) throws IOException {
    Path retired = dir.resolve(RETIRED_FILE);
    return Files.exists(retired) ? Files.readString(retired, StandardCharsets.US_ASCII) : "";
  }

  private static byte[] wrappedFile(RootKey root, byte[] pkcs8) throws GeneralSecurityException {
    byte[] wrapped;
    try {
      wrapped = root.wrap(pkcs8, CONTEXT);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    byte[] header = (root.id() + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] file = new byte[header.length + wrapped.length];
    System.arraycopy(header, 0, file, 0, header.length);
    System.arraycopy(wrapped, 0, file, header.length, wrapped.length);
    return file;
  }

  public byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** The public key as base64 X.509 SubjectPublicKeyInfo. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  public String publicKeyPem() {
    return pem(publicKey);
  }

  /**
   * Every public key this server has signed with: the current one, then the retired ones (with
   * their {@code # retired} comment lines), to verify what was signed before a rotation.
   */
  public String publishedKeysPem() {
    return pem(publicKey) + retiredPem;
  }

  /**
   * Whether {@code signature} is a valid Ed25519 signature of {@code data} by {@code spki} (base64,
   * or PEM).
   */
  public static boolean verify(String publicKey, byte[] data, byte[] signature) {
    try {
      byte[] spki =
          publicKey.contains("BEGIN")
              ? fromPem(publicKey)
              : Base64.getDecoder().decode(publicKey.strip());
      PublicKey key =
          KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(spki));
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The key's SubjectPublicKeyInfo, decoded from base64 or PEM; equal keys give equal bytes. */
  public static byte[] spki(String publicKey) {
    return publicKey.contains("BEGIN")
        ? fromPem(publicKey)
        : Base64.getDecoder().decode(publicKey.strip());
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static byte[] fromPem(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  private static int indexOf(byte[] b, byte x) throws GeneralSecurityException {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    throw new GeneralSecurityException("signing key file has no header");
  }

  private static void write(Path file, byte[] content, String perms) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
    Files.write(tmp, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (var d = java.nio.channels.FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
