package fr.coffre.policy;

/**
 * An IPv4 or IPv6 CIDR block from an IpAddress or NotIpAddress condition; a bare address is a block
 * of one (/32 or /128). Host bits below the prefix are ignored, as a mask would.
 */
record Cidr(boolean v4, long hi, long lo, int bits) {

  /** Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32} or a bare address. */
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    IpAddress a = address.indexOf('%') >= 0 ? null : IpAddress.parse(address);
    if (a == null) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an IPv4 or IPv6 address or CIDR block");
    }
    boolean mapped = a.v4() && address.indexOf(':') >= 0;
    int max = a.v4() && !mapped ? 32 : 128;
    int bits = max;
    if (slash >= 0) {
      String len = text.substring(slash + 1);
      if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
      }
      bits = Integer.parseInt(len);
      if (bits > max) {
        throw new IllegalArgumentException(
            "'" + text + "': the prefix length must be at most " + max);
      }
    }
    if (mapped) {
      // ::ffff:a.b.c.d/n is the IPv4 block a.b.c.d/(n-96); a shorter prefix spans non-IPv4 space.
      if (bits < 96) {
        throw new IllegalArgumentException(
            "'" + text + "': an IPv4-mapped block needs a prefix of at least 96");
      }
      bits -= 96;
    }
    return new Cidr(a.v4(), a.hi() & mask(bits, 0, a.v4()), a.lo() & mask(bits, 1, a.v4()), bits);
  }

  boolean contains(IpAddress a) {
    return a.v4() == v4 && (a.hi() & mask(bits, 0, v4)) == hi && (a.lo() & mask(bits, 1, v4)) == lo;
  }

  /** The mask for one half (0 = high 64 bits, 1 = low) of a prefix of {@code bits}. */
  private static long mask(int bits, int half, boolean v4) {
    if (v4) {
      return half == 0 ? 0 : bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    }
    int b = half == 0 ? Math.min(bits, 64) : Math.max(bits - 64, 0);
    return b == 0 ? 0 : b == 64 ? -1L : -1L << (64 - b);
  }
}
