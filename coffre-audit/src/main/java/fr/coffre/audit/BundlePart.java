package fr.coffre.audit;

import org.jspecify.annotations.Nullable;

/**
 * One node's part of a cluster export, as the bundle's signed closing line lists it: present (the
 * seq and hash of its final checkpoint, and the key that signed it) or missing (and why).
 *
 * @param node the node's name
 * @param seq the records of the node's chain the part covers (its final checkpoint's seq)
 * @param hash its final checkpoint's hash, or null when the part is missing
 * @param key the node's signing key, base64 of its SubjectPublicKeyInfo, or null when missing
 * @param missing why the part is not there ("unreachable: ..."), or null when it is
 */
record BundlePart(
    String node, long seq, @Nullable String hash, @Nullable String key, @Nullable String missing) {

  static BundlePart present(String node, long seq, String hash, String key) {
    return new BundlePart(node, seq, hash, key, null);
  }

  static BundlePart missing(String node, String why) {
    return new BundlePart(node, 0, null, null, why);
  }
}
