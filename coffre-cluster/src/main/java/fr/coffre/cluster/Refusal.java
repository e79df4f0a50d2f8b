package fr.coffre.cluster;

import fr.coffre.core.LogText;

/**
 * A request to the internal API refused for want of a valid signature, handed to the server so it
 * can audit it. Every field is made printable: they come from the network.
 *
 * @param remoteAddress the address the request came from
 * @param method the HTTP method
 * @param path the raw path and query of the request
 * @param reason why it was refused (never a secret)
 */
public record Refusal(String remoteAddress, String method, String path, String reason) {
  public Refusal {
    remoteAddress = LogText.printable(remoteAddress);
    method = LogText.printable(method);
    path = LogText.printable(path);
    reason = LogText.printable(reason);
  }
}
