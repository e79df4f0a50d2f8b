package fr.coffre.server;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A webhook target: events are posted to {@code url}, signed with the key in {@code secretFile}.
 * The URL is https, or http to a loopback address (a receiver on this machine).
 */
public record WebhookTarget(String name, URI url, Path secretFile) {
  public WebhookTarget {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException(
          "notifications.targets: name '"
              + name
              + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    String where = "notifications.targets[" + name + "]";
    if (url == null
        || url.getHost() == null
        || url.getRawFragment() != null
        || !("https".equals(url.getScheme())
            || ("http".equals(url.getScheme()) && loopbackHost(url.getHost())))) {
      throw new IllegalArgumentException(
          where + ".url: '" + url + "' must be https://..., or http:// to a loopback address");
    }
    if (secretFile == null || !Files.isReadable(secretFile)) {
      throw new IllegalArgumentException(
          where + ".secret-file: '" + secretFile + "' is missing or not readable");
    }
  }

  private static boolean loopbackHost(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }
}
