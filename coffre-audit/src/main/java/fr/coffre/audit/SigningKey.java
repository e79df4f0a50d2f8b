package fr.coffre.audit;

import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** An Ed25519 public key, with its canonical base64 SubjectPublicKeyInfo and its fingerprint. */
record SigningKey(PublicKey key, String base64, String fingerprint) {
  /** Parses a PEM or base64 key given by the user; IllegalArgumentException when it is not one. */
  static SigningKey parse(String text) {
    String s = text.strip();
    if (s.startsWith("-----BEGIN")) {
      if (!s.startsWith("-----BEGIN PUBLIC KEY-----") || !s.endsWith("-----END PUBLIC KEY-----")) {
        throw new IllegalArgumentException(
            "not a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
      }
      s =
          s.substring(
              "-----BEGIN PUBLIC KEY-----".length(),
              s.length() - "-----END PUBLIC KEY-----".length());
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(s.replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the public key is neither PEM nor base64: " + e.getMessage(), e);
    }
    SigningKey key = of(der);
    if (key == null) {
      throw new IllegalArgumentException(
          "not an Ed25519 public key (base64 of its X.509 SubjectPublicKeyInfo)");
    }
    return key;
  }

  /**
   * Parses one key (PEM or base64), or several PEM blocks (a server's current and retired keys;
   * text outside the blocks, such as {@code #} comments, is ignored); IllegalArgumentException when
   * one is not a key.
   */
  static java.util.List<SigningKey> parseAll(String text) {
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    if (!text.contains(begin)) {
      return java.util.List.of(parse(text));
    }
    java.util.List<SigningKey> keys = new java.util.ArrayList<>();
    int from = text.indexOf(begin);
    while (from >= 0) {
      int to = text.indexOf(end, from);
      if (to < 0) {
        throw new IllegalArgumentException("a PEM public key lacks its " + end + " line");
      }
      keys.add(parse(text.substring(from, to + end.length())));
      from = text.indexOf(begin, to);
    }
    return java.util.List.copyOf(keys);
  }

  /** The key a line carries: canonical base64 of an Ed25519 SubjectPublicKeyInfo, else null. */
  static @Nullable SigningKey fromLine(String base64) {
    byte[] der = canonicalBase64(base64);
    SigningKey key = der == null ? null : of(der);
    return key != null && key.base64.equals(base64) ? key : null;
  }

  private static @Nullable SigningKey of(byte[] der) {
    try {
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      byte[] encoded = key.getEncoded();
      return new SigningKey(
          key,
          Base64.getEncoder().encodeToString(encoded),
          AuditLines.sha256Hex(encoded, encoded.length));
    } catch (InvalidKeySpecException | RuntimeException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  /** The bytes of standard, padded base64 that is the only encoding of them; else null. */
  static byte @Nullable [] canonicalBase64(String text) {
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  boolean verifies(Signature s, byte[] message, byte[] signature) {
    try {
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    }
  }
}
