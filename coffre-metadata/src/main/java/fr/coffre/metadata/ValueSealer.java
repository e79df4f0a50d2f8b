package fr.coffre.metadata;

/**
 * Seals the values that the metadata rows must not hold in clear (object and part ETags, part
 * checksums: the MD5 of a content confirms a guessed file) and opens them again. The metadata store
 * calls it at the row boundary, so every record above the store carries clear values and compares
 * them as before; the server supplies one bound to its root key (docs/security.md, "What is
 * encrypted at rest").
 *
 * <p>A sealed value starts with {@link #PREFIX}; a value without it was written before sealing
 * existed and is read as it is, until {@link MetadataStore#sealClearValues} seals it.
 */
public interface ValueSealer {
  /** What every sealed value starts with (the format's version marker). */
  String PREFIX = "s1:";

  /**
   * {@code value} sealed, bound to {@code context} (the row it belongs to): {@link #PREFIX} then
   * text.
   */
  String seal(String value, String context);

  /**
   * The value {@link #seal} sealed with the same context.
   *
   * @throws fr.coffre.core.CorruptDataException when it does not open (altered, or moved to another
   *     row)
   */
  String open(String sealed, String context);
}
