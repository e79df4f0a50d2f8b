package fr.coffre.core;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The additional checksum an object was uploaded with ({@code x-amz-checksum-*}), kept so that GET,
 * HEAD and GetObjectAttributes can return it and clients can check what they read.
 *
 * @param algorithm S3's name of the algorithm, e.g. {@code CRC32C}
 * @param type {@code FULL_OBJECT} or {@code COMPOSITE} (a checksum of the parts' checksums)
 * @param value the base64 value as S3 returns it (a composite one ends in {@code -N}); null while
 *     an upload is in progress and only the algorithm is chosen
 * @param partValues for a multipart object, each part's base64 checksum in part order; else empty
 */
public record ObjectChecksum(
    String algorithm, String type, @Nullable String value, List<String> partValues) {
  public static final String FULL_OBJECT = "FULL_OBJECT";
  public static final String COMPOSITE = "COMPOSITE";

  public ObjectChecksum {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(type, "type");
    partValues = List.copyOf(partValues);
  }

  /** A single-part object's checksum. */
  public static ObjectChecksum fullObject(String algorithm, @Nullable String value) {
    return new ObjectChecksum(algorithm, FULL_OBJECT, value, List.of());
  }
}
