package fr.coffre.crypto;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import fr.coffre.core.BlobId;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.CustomerKeyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts object content into the self-describing blob format (header, then AES-256-GCM
 * authenticated segments) and small values (attributes) in one piece, under per-object data keys
 * wrapped by the {@link RootKey}. See docs/on-disk-format.md.
 *
 * <p>Content uses Tink's AES-GCM-HKDF streaming AEAD: each blob derives its own AES-256 key from
 * the data key and a random salt, segments carry their index and a last-segment flag in the nonce,
 * so reordering, truncation and extension are all detected, and a range read decrypts only the
 * segments it touches.
 */
public final class ObjectCrypto {
  /** Plaintext+tag bytes per segment: the unit a range read decrypts. */
  public static final int SEGMENT_SIZE = 64 * 1024;

  private static final byte[] DATA_KEY_CONTEXT =
      "coffre data key v1".getBytes(StandardCharsets.US_ASCII);
  private static final int DATA_KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RootKey rootKey;
  private final KekResolver kms;

  public ObjectCrypto(RootKey rootKey) {
    this(rootKey, KekResolver.NONE);
  }

  /**
   * @param kms finds the KMS key versions that SSE-KMS data keys are wrapped by
   */
  public ObjectCrypto(RootKey rootKey, KekResolver kms) {
    this.rootKey = rootKey;
    this.kms = kms;
  }

  /** A fresh random 256-bit data key, already wrapped by the root key. */
  public DataKey newDataKey() {
    byte[] material = new byte[DATA_KEY_BYTES];
    RANDOM.nextBytes(material);
    try {
      return new DataKey(rootKey.id(), rootKey.wrap(material, DATA_KEY_CONTEXT), material);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the root key cannot wrap a data key", e);
    }
  }

  /**
   * A fresh data key wrapped by a KMS key version (SSE-KMS); key reference {@code kms:<key
   * id>:<version>}.
   */
  public DataKey newDataKey(KeyEncryptionKey kek) {
    byte[] material = new byte[DATA_KEY_BYTES];
    RANDOM.nextBytes(material);
    return wrapUnder(kek, material);
  }

  private static DataKey wrapUnder(KeyEncryptionKey kek, byte[] material) {
    String ref = new KeyRef.Kms(kek.keyId(), kek.version()).text();
    try {
      return new DataKey(
          ref,
          Gcm.seal(new SecretKeySpec(kek.material(), "AES"), material, kmsContext(ref)),
          material);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot wrap a data key under " + kek, e);
    }
  }

  private static byte[] kmsContext(String ref) {
    return ("coffre kms data key v1|" + ref).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The same data key wrapped by another KMS key version (rotation's re-wrap): the content and
   * everything sealed with the data key stay as they are.
   */
  public DataKey rewrap(String keyRef, byte[] wrapped, KeyEncryptionKey target) {
    try (DataKey current = unwrap(keyRef, wrapped, null)) {
      return wrapUnder(target, current.material().clone());
    }
  }

  /**
   * The same data key wrapped by the current root key (a root key rotation's re-wrap), from one
   * wrapped by a root key this crypto still holds; the content sealed with it stays as it is.
   *
   * @throws IllegalArgumentException when {@code keyRef} is not a root key reference
   */
  public DataKey rewrapUnderRoot(String keyRef, byte[] wrapped) {
    if (!(KeyRef.parse(keyRef) instanceof KeyRef.Root)) {
      throw new IllegalArgumentException("not wrapped by a root key: " + keyRef);
    }
    try (DataKey current = unwrap(keyRef, wrapped)) {
      byte[] material = current.material().clone();
      return new DataKey(rootKey.id(), rootKey.wrap(material, DATA_KEY_CONTEXT), material);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the root key cannot wrap a data key", e);
    }
  }

  private static final byte[] CHECK_CONTEXT =
      "coffre sse-c key check v1".getBytes(StandardCharsets.US_ASCII);

  /**
   * A fresh data key wrapped by a customer's key (SSE-C) instead of the root key. The key reference
   * records a random salt and HMAC-SHA256(customer key, salt ‖ context), so a later request's key
   * can be checked without the key itself ever being stored.
   */
  public DataKey newDataKey(CustomerKey customer) {
    if (customer == null) {
      return newDataKey();
    }
    byte[] material = new byte[DATA_KEY_BYTES];
    RANDOM.nextBytes(material);
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] raw = customer.bytes();
    try {
      SecretKeySpec k = new SecretKeySpec(raw, "AES");
      String ref = new KeyRef.Customer(salt, check(raw, salt)).text();
      return new DataKey(ref, Gcm.seal(k, material, DATA_KEY_CONTEXT), material);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot wrap a data key under the customer key", e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private static byte[] check(byte[] key, byte[] salt) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update(salt);
    return mac.doFinal(CHECK_CONTEXT);
  }

  /** Whether a data key reference names a customer-key (SSE-C) object. */
  public static boolean isCustomerKeyed(String keyRef) {
    return KeyRef.parse(keyRef) instanceof KeyRef.Customer;
  }

  /**
   * Unwraps a stored data key with the customer's key when the object uses one; a missing, wrong or
   * superfluous customer key is a {@link CustomerKeyException}.
   */
  public DataKey unwrap(String keyRef, byte[] wrapped, @Nullable CustomerKey customer) {
    if (!isCustomerKeyed(keyRef)) {
      if (customer != null) {
        throw new CustomerKeyException(CustomerKeyException.Reason.NOT_APPLICABLE);
      }
      return unwrap(keyRef, wrapped);
    }
    if (customer == null) {
      throw new CustomerKeyException(CustomerKeyException.Reason.REQUIRED);
    }
    KeyRef.Customer ref = (KeyRef.Customer) KeyRef.parse(keyRef);
    byte[] raw = customer.bytes();
    try {
      if (!MessageDigest.isEqual(ref.check(), check(raw, ref.salt()))) {
        throw new CustomerKeyException(CustomerKeyException.Reason.MISMATCH);
      }
      return new DataKey(
          keyRef, wrapped, Gcm.open(new SecretKeySpec(raw, "AES"), wrapped, DATA_KEY_CONTEXT));
    } catch (GeneralSecurityException
        | IllegalArgumentException
        | ArrayIndexOutOfBoundsException e) {
      throw new CorruptDataException("customer-wrapped data key fails authentication", e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** Unwraps a stored data key; CorruptDataException if it does not authenticate. */
  public DataKey unwrap(String keyRef, byte[] wrapped) {
    return switch (KeyRef.parse(keyRef)) {
      case KeyRef.Customer c ->
          throw new CustomerKeyException(CustomerKeyException.Reason.REQUIRED);
      case KeyRef.Kms ref -> {
        KeyEncryptionKey kek = kms.forDecrypt(ref.keyId(), ref.version());
        try {
          yield new DataKey(
              keyRef,
              wrapped,
              Gcm.open(new SecretKeySpec(kek.material(), "AES"), wrapped, kmsContext(keyRef)));
        } catch (GeneralSecurityException e) {
          throw new CorruptDataException("data key fails authentication under " + keyRef, e);
        }
      }
      case KeyRef.Root root -> {
        if (!rootKey.holds(root.rootKeyId())) {
          throw new CorruptDataException(
              "data key is wrapped by root key "
                  + keyRef
                  + " but this server holds "
                  + rootKey.id(),
              null);
        }
        try {
          yield new DataKey(
              keyRef, wrapped, rootKey.unwrap(root.rootKeyId(), wrapped, DATA_KEY_CONTEXT));
        } catch (GeneralSecurityException e) {
          throw new CorruptDataException(
              "wrapped data key fails authentication under " + keyRef, e);
        }
      }
    };
  }

  private static AesGcmHkdfStreaming streaming(DataKey key) throws GeneralSecurityException {
    return new AesGcmHkdfStreaming(key.material(), "HmacSha256", DATA_KEY_BYTES, SEGMENT_SIZE, 0);
  }

  /**
   * Writes the blob header into {@code out} and returns a channel that encrypts what is written to
   * it into {@code out}. Closing the returned channel writes the final segment (it does not close
   * or sync {@code out}). The blob id is bound to every segment as associated data, so a blob
   * cannot be passed off as another.
   */
  public WritableByteChannel encrypt(DataKey key, BlobId blob, SeekableByteChannel out)
      throws IOException {
    ByteBuffer header = BlobHeader.encode(key.keyRef(), key.wrapped(), SEGMENT_SIZE);
    while (header.hasRemaining()) {
      out.write(header);
    }
    try {
      return streaming(key).newEncryptingChannel(new NonClosingChannel(out), aad(blob));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot start encrypting blob " + blob, e);
    }
  }

  /**
   * A read-only plaintext view of a blob written by {@link #encrypt}: {@code size()} is the
   * plaintext size and {@code position(n)} seeks, so only the segments that a read touches are read
   * and decrypted. A segment that fails authentication makes the read throw CorruptDataException
   * (naming the blob), never return bytes.
   */
  public SeekableByteChannel decrypt(DataKey key, BlobId blob, SeekableByteChannel in)
      throws IOException {
    BlobHeader header = BlobHeader.read(in, blob);
    if (header.segmentSize() != SEGMENT_SIZE) {
      throw new CorruptDataException(
          "blob "
              + blob
              + " has segment size "
              + header.segmentSize()
              + ", expected "
              + SEGMENT_SIZE,
          null);
    }
    OffsetChannel ciphertext = new OffsetChannel(in, header.length());
    try {
      return new VerifiedChannel(
          streaming(key).newSeekableDecryptingChannel(ciphertext, aad(blob)), ciphertext, blob);
    } catch (GeneralSecurityException e) {
      in.close();
      throw new CorruptDataException("blob " + blob + " cannot be opened for decryption", e);
    } catch (IOException e) {
      in.close();
      throw new CorruptDataException(
          "blob " + blob + " has a damaged stream header: " + e.getMessage(), e);
    }
  }

  /** Encrypts a small value (AES-256-GCM, random nonce) with {@code context} as associated data. */
  public byte[] seal(DataKey key, byte[] plaintext, byte[] context) {
    try {
      return Gcm.seal(new SecretKeySpec(key.material(), "AES"), plaintext, context);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM seal failed", e);
    }
  }

  /** Reverses {@link #seal}; CorruptDataException if the value or context were altered. */
  public byte[] open(DataKey key, byte[] sealed, byte[] context) {
    try {
      return Gcm.open(new SecretKeySpec(key.material(), "AES"), sealed, context);
    } catch (GeneralSecurityException e) {
      throw new CorruptDataException("sealed value fails authentication", e);
    }
  }

  private static byte[] aad(BlobId blob) {
    return blob.value().getBytes(StandardCharsets.US_ASCII);
  }
}
