package fr.coffre.core;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one generator of request ids, shared by every edge (S3, admin, console) so that an id in a
 * log line, an answer header and an audit record always has the same shape: 16 upper-case hex
 * digits. Ids correlate; they are not secrets, so a fast non-cryptographic source is enough.
 */
public final class RequestIds {
  private RequestIds() {}

  /** A new request id: 16 upper-case hex digits (the top bit is set so none is shorter). */
  public static String next() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
        .toUpperCase(Locale.ROOT);
  }
}
