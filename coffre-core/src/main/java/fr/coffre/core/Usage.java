package fr.coffre.core;

/** What a bucket or a tenant holds: current objects and their total size in bytes. */
public record Usage(long objects, long bytes) {
  public static final Usage ZERO = new Usage(0, 0);

  public Usage plus(Usage other) {
    return new Usage(objects + other.objects, bytes + other.bytes);
  }
}
