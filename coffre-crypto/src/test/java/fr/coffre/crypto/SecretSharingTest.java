package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SecretSharingTest {
  private static final HexFormat HEX = HexFormat.of();

  /** Hands out fixed bytes, one {@code nextBytes} call per coefficient row. */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final Deque<byte[]> rows;

    FixedRandom(String... hexRows) {
      rows = new ArrayDeque<>();
      for (String row : hexRows) {
        rows.add(HEX.parseHex(row));
      }
    }

    @Override
    public void nextBytes(byte[] bytes) {
      byte[] row = rows.removeFirst();
      assertThat(row).hasSameSizeAs(bytes);
      System.arraycopy(row, 0, bytes, 0, bytes.length);
    }
  }

  // Known answers over GF(2^8) with x^8+x^4+x^3+x+1: the test vectors of the Threshold Secret
  // Sharing draft (draft-mcgrew-tss-03, "TV011B"), which Bouncy Castle's own tests also use.
  // Not the HashiCorp Vault or SLIP-0039 schemes: those use other fields or encodings.

  @Test
  void split_tv011b1_twoOfTwo_givesThePublishedShares() {
    SortedMap<Integer, byte[]> shares =
        SecretSharing.split(HEX.parseHex("7465737400"), 2, 2, new FixedRandom("a87b3491b5"));
    assertThat(HEX.formatHex(shares.get(1))).isEqualTo("dc1e47e5b5");
    assertThat(HEX.formatHex(shares.get(2))).isEqualTo("3f931b4d71");
    assertThat(SecretSharing.combine(shares)).isEqualTo(HEX.parseHex("7465737400"));
  }

  @Test
  void split_tv011b2_twoOfFour_givesThePublishedShares_andEveryPairRebuilds() {
    SortedMap<Integer, byte[]> shares =
        SecretSharing.split(HEX.parseHex("53414d5443"), 2, 4, new FixedRandom("395d396c87"));
    assertThat(shares.values().stream().map(HEX::formatHex))
        .containsExactly("6a1c7438c4", "21fb3f8c56", "18a606e0d1", "b72ea9ff69");
    for (List<Integer> pair : subsets(4, 2)) {
      assertThat(SecretSharing.combine(pick(shares, pair)))
          .as("shares %s", pair)
          .isEqualTo(HEX.parseHex("53414d5443"));
    }
  }

  @Test
  void split_tv011b3_threeOfFour_givesThePublishedShares_andEveryTripleRebuilds() {
    SortedMap<Integer, byte[]> shares =
        SecretSharing.split(
            HEX.parseHex("53414d5443"), 3, 4, new FixedRandom("271aab7906", "3a2899bc37"));
    assertThat(shares.values().stream().map(HEX::formatHex))
        .containsExactly("4e737f9172", "f5d5526093", "e8e760a5a2", "429f849e06");
    Map<Integer, byte[]> published =
        Map.of(
            1, HEX.parseHex("4e737f9172"),
            2, HEX.parseHex("f5d5526093"),
            3, HEX.parseHex("e8e760a5a2"),
            4, HEX.parseHex("429f849e06"));
    for (List<Integer> triple : subsets(4, 3)) {
      assertThat(SecretSharing.combine(pick(published, triple)))
          .as("shares %s", triple)
          .isEqualTo(HEX.parseHex("53414d5443"));
    }
  }

  @Test
  void anyThresholdSubset_rebuilds_andOneShareFewer_doesNot() {
    SecureRandom random = new SecureRandom();
    for (int count = 2; count <= 7; count++) {
      for (int threshold = 2; threshold <= count; threshold++) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        SortedMap<Integer, byte[]> shares = SecretSharing.split(secret, threshold, count, random);
        assertThat(shares).hasSize(count);
        for (List<Integer> subset : subsets(count, threshold)) {
          assertThat(SecretSharing.combine(pick(shares, subset)))
              .as("%d of %d: %s", threshold, count, subset)
              .isEqualTo(secret);
        }
        for (List<Integer> subset : subsets(count, threshold - 1)) {
          assertThat(SecretSharing.combine(pick(shares, subset)))
              .as("%d of %d, one short: %s", threshold, count, subset)
              .isNotEqualTo(secret);
        }
      }
    }
  }

  @Test
  void oneShareFewer_isConsistentWithAnySecret() {
    // Perfect secrecy, checked by construction: for k-1 shares and any candidate secret there is a
    // polynomial through both; so a split of another secret can produce the very same k-1 shares.
    byte[] secret = HEX.parseHex("00112233");
    byte[] other = HEX.parseHex("ffeeddcc");
    SortedMap<Integer, byte[]> shares =
        SecretSharing.split(secret, 2, 3, new FixedRandom("a1b2c3d4"));
    // With threshold 2, f(x) = s + a x; share 1 = s ^ a. Pick a' = share1 ^ other.
    byte[] a2 = new byte[4];
    for (int i = 0; i < 4; i++) {
      a2[i] = (byte) (shares.get(1)[i] ^ other[i]);
    }
    SortedMap<Integer, byte[]> forged =
        SecretSharing.split(other, 2, 3, new FixedRandom(HEX.formatHex(a2)));
    assertThat(forged.get(1)).isEqualTo(shares.get(1));
    assertThat(SecretSharing.combine(Map.of(1, shares.get(1), 2, shares.get(2)))).isEqualTo(secret);
  }

  @Test
  void badParameters_areRefused_namingTheValue() {
    byte[] secret = new byte[32];
    SecureRandom random = new SecureRandom();
    assertThatThrownBy(() -> SecretSharing.split(secret, 1, 5, random))
        .hasMessageContaining("at least 2 (got 1)");
    assertThatThrownBy(() -> SecretSharing.split(secret, 4, 3, random))
        .hasMessageContaining("(3) must be at least the threshold (4)");
    assertThatThrownBy(() -> SecretSharing.split(secret, 3, 256, random))
        .hasMessageContaining("at most 255");
    assertThatThrownBy(() -> SecretSharing.combine(Map.of())).hasMessageContaining("no share");
    assertThatThrownBy(() -> SecretSharing.combine(Map.of(0, new byte[2], 1, new byte[2])))
        .hasMessageContaining("outside 1..255");
    assertThatThrownBy(() -> SecretSharing.combine(Map.of(1, new byte[2], 2, new byte[3])))
        .hasMessageContaining("differ in length");
  }

  private static Map<Integer, byte[]> pick(Map<Integer, byte[]> shares, List<Integer> indexes) {
    Map<Integer, byte[]> picked = new TreeMap<>();
    for (int i : indexes) {
      picked.put(i, shares.get(i));
    }
    return picked;
  }

  /** Every subset of {1..n} with {@code size} elements. */
  private static List<List<Integer>> subsets(int n, int size) {
    List<List<Integer>> out = new ArrayList<>();
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) == size) {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if ((mask & (1 << i)) != 0) {
            s.add(i + 1);
          }
        }
        out.add(s);
      }
    }
    return out;
  }
}
