package fr.coffre.core;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A bucket name that follows S3's general-purpose bucket naming rules. */
public record BucketName(String value) implements Comparable<BucketName> {
  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  public BucketName {
    String why = problem(value);
    if (why != null) {
      throw new InvalidBucketNameException(value, why);
    }
  }

  /** Returns why {@code name} is not a valid bucket name, or null when it is. */
  public static @Nullable String problem(@Nullable String name) {
    if (name == null || name.length() < 3 || name.length() > 63) {
      return "must be 3 to 63 characters long";
    }
    if (!SHAPE.matcher(name).matches()) {
      return "may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit";
    }
    if (name.contains("..") || name.contains(".-") || name.contains("-.")) {
      return "must not contain two adjacent periods or a period next to a hyphen";
    }
    if (IPV4.matcher(name).matches()) {
      return "must not be formatted as an IP address";
    }
    // S3's reserved prefixes and suffixes (access point aliases, directory buckets, table buckets,
    // multi-region access points, the documentation's example names).
    if (name.startsWith("xn--")
        || name.startsWith("sthree-")
        || name.startsWith("amzn-s3-demo-")
        || name.endsWith("-s3alias")
        || name.endsWith("--ol-s3")
        || name.endsWith(".mrap")
        || name.endsWith("--x-s3")
        || name.endsWith("--table-s3")) {
      return "uses a reserved prefix or suffix";
    }
    return null;
  }

  @Override
  public int compareTo(BucketName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
