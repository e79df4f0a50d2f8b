package fr.coffre.s3.handlers;

import fr.coffre.s3.Percent;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.xml.ConfigDocuments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tag sets of objects and buckets: read from a Tagging document or the {@code x-amz-tagging}
 * header, checked against S3's limits before anything is stored.
 */
final class Tags {
  static final int MAX_OBJECT_TAGS = 10;
  static final int MAX_BUCKET_TAGS = 50;
  static final int MAX_KEY_CHARS = 128;
  static final int MAX_VALUE_CHARS = 256;

  private Tags() {}

  /**
   * The tags of an {@code x-amz-tagging} header ({@code k1=v1&k2=v2}, URL-encoded); empty if none.
   */
  static Map<String, String> fromHeader(S3Request request) {
    String header = request.header("x-amz-tagging");
    if (header == null || header.isBlank()) {
      return Map.of();
    }
    List<ConfigDocuments.Tag> tags = new ArrayList<>();
    for (String pair : header.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = Percent.decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String v = eq < 0 ? "" : Percent.decode(pair.substring(eq + 1), true);
      tags.add(new ConfigDocuments.Tag(k, v));
    }
    return check(tags, MAX_OBJECT_TAGS);
  }

  /** The tags of a Tagging document, checked; {@code max} is 10 for objects, 50 for buckets. */
  static Map<String, String> fromDocument(ConfigDocuments.Tagging doc, int max) {
    return check(doc.tags(), max);
  }

  static ConfigDocuments.Tagging document(Map<String, String> tags) {
    return new ConfigDocuments.Tagging(
        new ConfigDocuments.TagSet(
            tags.entrySet().stream()
                .map(e -> new ConfigDocuments.Tag(e.getKey(), e.getValue()))
                .toList()));
  }

  private static Map<String, String> check(List<ConfigDocuments.Tag> tags, int max) {
    if (tags.size() > max) {
      throw new S3Exception(
          S3Error.INVALID_TAG,
          (max == MAX_OBJECT_TAGS ? "Object" : "Bucket") + " tags cannot be greater than " + max);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (ConfigDocuments.Tag t : tags) {
      String key = t.key();
      String value = t.value() == null ? "" : t.value();
      if (key == null || key.isEmpty() || length(key) > MAX_KEY_CHARS) {
        throw new S3Exception(S3Error.INVALID_TAG, "The TagKey you have provided is invalid")
            .with("TagKey", key == null ? "" : key);
      }
      if (length(value) > MAX_VALUE_CHARS) {
        throw new S3Exception(S3Error.INVALID_TAG, "The TagValue you have provided is invalid")
            .with("TagKey", key);
      }
      if (key.startsWith("aws:")) {
        throw new S3Exception(S3Error.INVALID_TAG, "Your TagKey cannot be prefixed with aws:")
            .with("TagKey", key);
      }
      if (out.putIfAbsent(key, value) != null) {
        throw new S3Exception(S3Error.INVALID_TAG, "Cannot provide multiple Tags with the same key")
            .with("TagKey", key);
      }
    }
    return out;
  }

  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }
}
