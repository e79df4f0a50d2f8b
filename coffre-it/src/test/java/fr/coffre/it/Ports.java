package fr.coffre.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the servers the tests start.
 *
 * <p>A port the kernel hands out for port 0 comes from the ephemeral range (32768–60999 on Linux),
 * the same range every outgoing connection and every other test's port-0 socket draws from: the
 * port can be taken again between the moment it is closed here and the moment the server binds it.
 * These ports are drawn at random below that range instead, and checked free.
 */
final class Ports {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;

  private Ports() {}

  /** A port that was free a moment ago, outside the kernel's ephemeral range. */
  static int free() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      try (ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free loopback port between " + LOW + " and " + HIGH);
  }
}
