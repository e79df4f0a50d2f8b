package fr.coffre.crypto;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The encryption of a backup, under a key derived from the operator's backup passphrase. Not under
 * the root key: a backup holds the root key's own files (the development key file, the sealed key),
 * so it must open when nothing but the backup and its passphrase are left.
 *
 * <p>Argon2id (RFC 9106, the cost of {@link SealedRootKey.Cost#DEFAULT}) with a random 16-byte salt
 * turns the passphrase into 64 bytes: the first 32 are the input key of Tink's streaming AEAD
 * (AES-256-GCM-HKDF, 1 MiB segments: a file of any size is encrypted and checked while it streams,
 * and truncation, reordering or a swapped file fail its tags, the entry's name being the associated
 * data), the last 32 an HMAC-SHA256 key that authenticates the manifest and gives a key check
 * value, so that a wrong passphrase is told apart from a tampered manifest.
 */
public final class BackupCipher {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SEGMENT_SIZE = 1 << 20;
  private static final byte[] CHECK = "coffre backup key check v1".getBytes(StandardCharsets.UTF_8);

  /**
   * The key derivation's parameters, stored in the manifest.
   *
   * @param salt base64 of 16 random bytes
   */
  public record Kdf(String algorithm, int memoryKib, int iterations, int parallelism, String salt) {
    public static final String ARGON2ID = "argon2id";

    /** Fresh parameters: a new random salt and the default cost. */
    public static Kdf fresh() {
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      SealedRootKey.Cost c = SealedRootKey.Cost.DEFAULT;
      return new Kdf(
          ARGON2ID,
          c.memoryKib(),
          c.iterations(),
          c.parallelism(),
          Base64.getEncoder().encodeToString(salt));
    }
  }

  private final AesGcmHkdfStreaming streaming;
  private final byte[] macKey;

  private BackupCipher(AesGcmHkdfStreaming streaming, byte[] macKey) {
    this.streaming = streaming;
    this.macKey = macKey;
  }

  /**
   * Derives the backup keys from {@code passphrase}; IllegalArgumentException when the parameters
   * are not Argon2id within sane bounds (a manifest altered to make the derivation costless or
   * endless).
   */
  public static BackupCipher derive(char[] passphrase, Kdf kdf) {
    if (!Kdf.ARGON2ID.equals(kdf.algorithm())) {
      throw new IllegalArgumentException(
          "key derivation '" + kdf.algorithm() + "' is not argon2id");
    }
    if (kdf.memoryKib() < 19 * 1024
        || kdf.memoryKib() > 4 * 1024 * 1024
        || kdf.iterations() < 2
        || kdf.iterations() > 64
        || kdf.parallelism() < 1
        || kdf.parallelism() > 64) {
      throw new IllegalArgumentException("Argon2id parameters out of range: " + kdf);
    }
    byte[] salt;
    try {
      salt = Base64.getDecoder().decode(kdf.salt());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key derivation's salt is not base64", e);
    }
    if (salt.length < 16) {
      throw new IllegalArgumentException("the key derivation's salt is shorter than 16 bytes");
    }
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] secret = Arrays.copyOf(encoded.array(), encoded.limit());
    Arrays.fill(encoded.array(), (byte) 0);
    Argon2BytesGenerator argon = new Argon2BytesGenerator();
    argon.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(kdf.memoryKib())
            .withIterations(kdf.iterations())
            .withParallelism(kdf.parallelism())
            .withSalt(salt)
            .build());
    byte[] keys = new byte[64];
    argon.generateBytes(secret, keys);
    Arrays.fill(secret, (byte) 0);
    try {
      AesGcmHkdfStreaming streaming =
          new AesGcmHkdfStreaming(
              Arrays.copyOfRange(keys, 0, 32), "HmacSha256", 32, SEGMENT_SIZE, 0);
      return new BackupCipher(streaming, Arrays.copyOfRange(keys, 32, 64));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JCE lacks AES-GCM", e);
    } finally {
      Arrays.fill(keys, (byte) 0);
    }
  }

  /** Encrypts what is written to the returned stream into {@code out}, bound to {@code entry}. */
  public OutputStream encrypting(OutputStream out, String entry) throws IOException {
    try {
      return streaming.newEncryptingStream(out, entry.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot encrypt backup entry " + entry, e);
    }
  }

  /**
   * Decrypts {@code in}, written for {@code entry}; a read throws IOException when a tag fails (a
   * wrong key, an altered, truncated or swapped file).
   */
  public InputStream decrypting(InputStream in, String entry) throws IOException {
    try {
      return streaming.newDecryptingStream(in, entry.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot decrypt backup entry " + entry, e);
    }
  }

  /** Base64 of HMAC-SHA256 of {@code data} under the manifest key. */
  public String mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JCE lacks HmacSHA256", e);
    }
  }

  /** Whether {@code expected} (base64) is the MAC of {@code data}, compared in constant time. */
  public boolean macMatches(byte[] data, String expected) {
    return MessageDigest.isEqual(
        mac(data).getBytes(StandardCharsets.US_ASCII),
        expected.getBytes(StandardCharsets.US_ASCII));
  }

  /** A value that tells whether a passphrase is the backup's, and reveals nothing of it. */
  public String keyCheck() {
    return mac(CHECK);
  }
}
