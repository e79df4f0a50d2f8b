package fr.coffre.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a client stores beside an object's content and gets back on GET and HEAD: the standard
 * representation headers (null when absent) and user metadata (x-amz-meta-* names in lower case,
 * without the prefix).
 */
public record ObjectAttributes(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String contentLanguage,
    String cacheControl,
    String expires,
    Map<String, String> userMetadata) {

  public static final ObjectAttributes EMPTY =
      new ObjectAttributes(null, null, null, null, null, null, Map.of());

  public ObjectAttributes {
    userMetadata = java.util.Collections.unmodifiableMap(new TreeMap<>(userMetadata));
  }
}
