package fr.coffre.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a client stores beside an object's content and gets back on GET and HEAD: the standard
 * representation headers (null when absent), user metadata (x-amz-meta-* names in lower case,
 * without the prefix), the object's tags and the additional checksum it was uploaded with (null
 * when none). All of it is sealed under the object's data key at rest.
 */
public record ObjectAttributes(
    @Nullable String contentType,
    @Nullable String contentEncoding,
    @Nullable String contentDisposition,
    @Nullable String contentLanguage,
    @Nullable String cacheControl,
    @Nullable String expires,
    Map<String, String> userMetadata,
    Map<String, String> tags,
    @Nullable ObjectChecksum checksum) {

  public static final ObjectAttributes EMPTY =
      new ObjectAttributes(null, null, null, null, null, null, Map.of());

  public ObjectAttributes {
    userMetadata = Collections.unmodifiableMap(new TreeMap<>(userMetadata));
    tags = Collections.unmodifiableMap(new TreeMap<>(tags)); // S3 returns tags by key
  }

  /** Headers and user metadata only: no tags, no checksum. */
  public ObjectAttributes(
      @Nullable String contentType,
      @Nullable String contentEncoding,
      @Nullable String contentDisposition,
      @Nullable String contentLanguage,
      @Nullable String cacheControl,
      @Nullable String expires,
      Map<String, String> userMetadata) {
    this(
        contentType,
        contentEncoding,
        contentDisposition,
        contentLanguage,
        cacheControl,
        expires,
        userMetadata,
        Map.of(),
        null);
  }

  public ObjectAttributes withTags(Map<String, String> newTags) {
    return new ObjectAttributes(
        contentType,
        contentEncoding,
        contentDisposition,
        contentLanguage,
        cacheControl,
        expires,
        userMetadata,
        newTags,
        checksum);
  }

  public ObjectAttributes withChecksum(@Nullable ObjectChecksum newChecksum) {
    return new ObjectAttributes(
        contentType,
        contentEncoding,
        contentDisposition,
        contentLanguage,
        cacheControl,
        expires,
        userMetadata,
        tags,
        newChecksum);
  }
}
