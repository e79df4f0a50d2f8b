package fr.coffre.metadata;

import java.security.SecureRandom;
import java.util.HexFormat;

/** New version ids: 128 random bits, as 32 lowercase hex digits (never {@code null}). */
final class VersionIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private VersionIds() {}

  static String next() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
