package fr.coffre.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A root key that lives in an HSM and never leaves it: an AES-256 token object, sensitive and not
 * extractable, reached through the JDK's SunPKCS11 provider; data keys are wrapped and unwrapped by
 * AES-GCM inside the HSM. Created on first use when the token has no key of that label. Wrapped
 * form: version byte {@code 2}, 12-byte nonce, ciphertext and tag.
 */
public final class Pkcs11RootKey implements RootKey {
  private static final byte VERSION = 2;
  private static final int NONCE = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Provider provider;
  private final Key key;
  private final String id;

  private Pkcs11RootKey(Provider provider, Key key, String id) {
    this.provider = provider;
    this.key = key;
    this.id = id;
  }

  /**
   * Logs into the token and finds (or creates) the key.
   *
   * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
   * @param slot the token's slot id
   * @param pin the user PIN
   * @param label the key's label (alias)
   * @throws IllegalStateException naming what failed: no fallback to a weaker key
   */
  public static Pkcs11RootKey open(String library, long slot, char[] pin, String label) {
    return open(library, slot, pin, label, true);
  }

  /**
   * Like {@link #open(String, long, char[], String)}; with {@code mayCreate} false a missing key is
   * an error instead of being generated (a data directory whose key is known must never get a new
   * one).
   */
  public static Pkcs11RootKey open(
      String library, long slot, char[] pin, String label, boolean mayCreate) {
    return openAll(library, slot, pin, List.of(label), mayCreate ? Create.IF_MISSING : Create.NEVER)
        .get(0);
  }

  /** Whether {@link #openAll} may make the last key it names. */
  public enum Create {
    /** Every key must exist. */
    NEVER,
    /** The last key is made when the token has none of that label (a first start). */
    IF_MISSING,
    /**
     * The last key must not exist yet and is made (a root key rotation: a key already there under
     * the new label was made by someone else, or by an interrupted run, and is not adopted).
     */
    NEW
  }

  /**
   * Logs into the token once and opens the keys {@code labels} through one provider, in that order
   * (a rotation's ring: the current key and the retired ones); the last one may be made as {@code
   * create} says. The PIN is wiped.
   *
   * @throws IllegalStateException naming what failed: no fallback to a weaker key
   */
  public static List<Pkcs11RootKey> openAll(
      String library, long slot, char[] pin, List<String> labels, Create create) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("no key label");
    }
    String config =
        "--name=coffre\nlibrary="
            + library
            + "\nslot="
            + slot
            + "\n"
            + "attributes(*,CKO_SECRET_KEY,CKK_AES) = {\n  CKA_TOKEN = true\n  CKA_SENSITIVE = true\n"
            + "  CKA_EXTRACTABLE = false\n}\n";
    Provider provider;
    try {
      provider = Security.getProvider("SunPKCS11").configure(config);
    } catch (RuntimeException e) {
      Arrays.fill(pin, '\0');
      throw new IllegalStateException(
          "HSM: cannot load PKCS#11 module " + library + " with slot " + slot + ": " + rootCause(e),
          e);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
      List<Pkcs11RootKey> out = new ArrayList<>();
      for (int i = 0; i < labels.size(); i++) {
        String label = labels.get(i);
        boolean last = i == labels.size() - 1;
        Create mode = last ? create : Create.NEVER;
        Key key = store.getKey(label, null);
        if (key != null && mode == Create.NEW) {
          throw new IllegalStateException(
              "HSM: a key '"
                  + label
                  + "' is already in slot "
                  + slot
                  + "; a rotation makes its new key itself and adopts none: choose another label"
                  + " (or destroy that key if an interrupted rotation made it)");
        }
        if (key == null && mode == Create.NEVER) {
          throw new IllegalStateException(
              "HSM: no key '"
                  + label
                  + "' in slot "
                  + slot
                  + "; this data directory's"
                  + " root key was made there and a new one would not open its data (wrong slot, token or label?)");
        }
        if (key == null) {
          KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
          generator.init(256);
          SecretKey generated = generator.generateKey();
          store.setEntry(label, new KeyStore.SecretKeyEntry(generated), null);
          key = store.getKey(label, null);
        }
        if (key == null) {
          throw new IllegalStateException(
              "HSM: key '" + label + "' could not be created in slot " + slot);
        }
        if (key.getEncoded() != null) {
          throw new IllegalStateException(
              "HSM: key '"
                  + label
                  + "' is extractable; refusing a root key that can leave the HSM");
        }
        out.add(new Pkcs11RootKey(provider, key, "pkcs11:" + label));
      }
      return List.copyOf(out);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "HSM: cannot open slot " + slot + " of " + library + ": " + rootCause(e), e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  private static String rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.toString();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] context) throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    c.updateAAD(context);
    byte[] sealed = c.doFinal(dataKey);
    byte[] out = new byte[1 + NONCE + sealed.length];
    out[0] = VERSION;
    System.arraycopy(nonce, 0, out, 1, NONCE);
    System.arraycopy(sealed, 0, out, 1 + NONCE, sealed.length);
    return out;
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException {
    if (wrapped.length < 1 + NONCE + 16 || wrapped[0] != VERSION) {
      throw new GeneralSecurityException("not a key wrapped by a PKCS#11 root key");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 1, NONCE));
    c.updateAAD(context);
    return c.doFinal(wrapped, 1 + NONCE, wrapped.length - 1 - NONCE);
  }

  @Override
  public String toString() {
    return "Pkcs11RootKey[" + id + "]";
  }
}
