package fr.coffre.policy;

import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address as two longs, parsed by hand: {@code InetAddress.getByName} would look a
 * host name up in DNS, and a policy check must never do that. An IPv4-mapped IPv6 address ({@code
 * ::ffff:192.0.2.1}) is the IPv4 address, so IPv4 CIDR blocks apply to it.
 *
 * @param v4 whether this is an IPv4 address (then {@code lo} holds its 32 bits and {@code hi} is 0)
 */
record IpAddress(boolean v4, long hi, long lo) {

  /** Parses an address, or returns null when {@code s} is not one. A zone ("%eth0") is ignored. */
  static @Nullable IpAddress parse(String s) {
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.indexOf(':') < 0) {
      long v = parseV4(s, 0, s.length());
      return v < 0 ? null : new IpAddress(true, 0, v);
    }
    return parseV6(s);
  }

  /** Four decimal octets in {@code s[from, to)}, or -1. */
  static long parseV4(String s, int from, int to) {
    long value = 0;
    int octets = 0;
    int i = from;
    while (octets < 4) {
      int start = i;
      int octet = 0;
      while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        octet = octet * 10 + (s.charAt(i) - '0');
        i++;
      }
      if (i == start || octet > 255) {
        return -1;
      }
      value = (value << 8) | octet;
      octets++;
      if (octets < 4) {
        if (i >= to || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == to ? value : -1;
  }

  private static @Nullable IpAddress parseV6(String s) {
    int[] groups = new int[8];
    int count = 0;
    int gap = -1; // index in groups where "::" stands
    int i = 0;
    int n = s.length();
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
    }
    while (i < n) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 4 && Character.digit(s.charAt(i), 16) >= 0) {
        value = (value << 4) | Character.digit(s.charAt(i), 16);
        i++;
      }
      if (i < n && s.charAt(i) == '.') {
        // A trailing dotted IPv4 address fills the last two groups.
        long v4 = parseV4(s, start, n);
        if (v4 < 0 || count > 6) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xFFFF);
        i = n;
        break;
      }
      if (i == start || count == 8) {
        return null;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
      } else if (i == n) {
        return null; // a single trailing ':'
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    int[] full = new int[8];
    if (gap < 0) {
      full = groups;
    } else {
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    }
    long hi = 0;
    long lo = 0;
    for (int g = 0; g < 4; g++) {
      hi = (hi << 16) | full[g];
      lo = (lo << 16) | full[g + 4];
    }
    if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
      return new IpAddress(true, 0, lo & 0xFFFFFFFFL);
    }
    return new IpAddress(false, hi, lo);
  }
}
