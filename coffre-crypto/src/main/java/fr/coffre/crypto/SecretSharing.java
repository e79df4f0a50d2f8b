package fr.coffre.crypto;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bouncycastle.crypto.threshold.SecretShare;
import org.bouncycastle.crypto.threshold.ShamirSecretSplitter;
import org.bouncycastle.crypto.threshold.ShamirSplitSecret;
import org.bouncycastle.crypto.threshold.ShamirSplitSecretShare;

/**
 * Shamir's secret sharing, byte by byte over GF(2^8) with the AES polynomial (x^8 + x^4 + x^3 + x +
 * 1), as Bouncy Castle implements it ({@code org.bouncycastle.crypto.threshold}): a secret is the
 * constant term of a random polynomial of degree {@code threshold - 1}; share {@code i} is its
 * value at {@code x = i} (1..255). Any {@code threshold} shares give the secret back by Lagrange
 * interpolation at 0; fewer give a value that is independent of the secret (every secret is equally
 * likely), so a wrong reconstruction cannot be told from a right one by the arithmetic alone: the
 * caller checks the result (for the root key, against the data directory's pin).
 *
 * <p>This class only validates the parameters and keeps share indexes explicit; the field
 * arithmetic is Bouncy Castle's.
 */
public final class SecretSharing {
  /** The most shares one split can make (x = 1..255 in GF(2^8)). */
  public static final int MAX_SHARES = 255;

  private SecretSharing() {}

  /**
   * Splits {@code secret} into {@code count} shares, any {@code threshold} of which rebuild it.
   *
   * @return the shares, keyed by their index (1..count)
   * @throws IllegalArgumentException when {@code threshold < 2} (every share would be the secret
   *     itself), {@code count < threshold} or {@code count > 255}
   */
  public static SortedMap<Integer, byte[]> split(
      byte[] secret, int threshold, int count, SecureRandom random) {
    checkParameters(threshold, count);
    if (secret.length == 0) {
      throw new IllegalArgumentException("an empty secret cannot be shared");
    }
    ShamirSplitSecret split =
        ShamirSecretSplitter.getInstance(ShamirSecretSplitter.Algorithm.AES, secret.length, random)
            .resplit(secret, threshold, count);
    SecretShare[] shares = split.getSecretShares();
    SortedMap<Integer, byte[]> byIndex = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      try {
        byIndex.put(i + 1, shares[i].getEncoded());
      } catch (IOException e) {
        throw new IllegalStateException("cannot encode share " + (i + 1), e);
      }
    }
    return byIndex;
  }

  /**
   * Rebuilds a secret from shares keyed by index. With fewer shares than the split's threshold the
   * result is a wrong value, not an error: the arithmetic cannot tell.
   *
   * @throws IllegalArgumentException when there is no share, an index is outside 1..255, or the
   *     shares differ in length
   */
  public static byte[] combine(Map<Integer, byte[]> shares) {
    if (shares.isEmpty()) {
      throw new IllegalArgumentException("no share given");
    }
    List<ShamirSplitSecretShare> parts = new ArrayList<>();
    int length = -1;
    for (Map.Entry<Integer, byte[]> e : new TreeMap<>(shares).entrySet()) {
      int index = e.getKey();
      if (index < 1 || index > MAX_SHARES) {
        throw new IllegalArgumentException("share index " + index + " is outside 1.." + MAX_SHARES);
      }
      if (length >= 0 && e.getValue().length != length) {
        throw new IllegalArgumentException(
            "shares differ in length ("
                + length
                + " and "
                + e.getValue().length
                + " bytes): they come from different splits");
      }
      length = e.getValue().length;
      parts.add(new ShamirSplitSecretShare(e.getValue().clone(), index));
    }
    try {
      return ShamirSplitSecret.getInstance(
              ShamirSecretSplitter.Algorithm.AES, parts.toArray(ShamirSplitSecretShare[]::new))
          .getSecret();
    } catch (IOException e) {
      throw new IllegalStateException("cannot combine the shares", e);
    }
  }

  /** Refuses split parameters that would not protect the secret, naming the value. */
  public static void checkParameters(int threshold, int count) {
    if (threshold < 2) {
      throw new IllegalArgumentException(
          "the threshold must be at least 2 (got "
              + threshold
              + "): with 1, every share alone is the whole key");
    }
    if (count < threshold) {
      throw new IllegalArgumentException(
          "the number of shares ("
              + count
              + ") must be at least the threshold ("
              + threshold
              + ")");
    }
    if (count > MAX_SHARES) {
      throw new IllegalArgumentException(
          "at most " + MAX_SHARES + " shares can be made (got " + count + ")");
    }
  }
}
