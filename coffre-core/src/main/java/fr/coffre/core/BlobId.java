package fr.coffre.core;

import java.util.UUID;
import java.util.regex.Pattern;

/** The name of one stored blob: 32 lowercase hex digits, safe as a file name. */
public record BlobId(String value) {
  private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{32}");

  public BlobId {
    if (value == null || !SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("not a blob id: " + value);
    }
  }

  public static BlobId random() {
    return new BlobId(UUID.randomUUID().toString().replace("-", ""));
  }

  @Override
  public String toString() {
    return value;
  }
}
