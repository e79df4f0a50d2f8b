package fr.coffre.policy.placement;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A sensitivity class: where an object's copies may be stored, how many and on how many sites, and
 * which key modes may protect it. See {@link SensitivityClasses} for the defaults.
 *
 * @param name the class name: 1 to 32 lower case letters, digits or '-'
 * @param rule which locations are allowed
 * @param minCopies how many copies a write places, 1 to 8
 * @param minSites how many distinct sites those copies must span at least, 1 to minCopies
 * @param keyModes the acceptable key modes, a non-empty subset of {@link #KEY_MODES}
 * @param sigv2 whether requests signed with AWS Signature Version 2 (HMAC-SHA1, which signs less of
 *     a request than version 4) may reach this class's buckets
 * @param publicAccess whether this class's buckets may be made public (an ACL granting the AllUsers
 *     or AuthenticatedUsers group, or a bucket policy whose principal is everyone); the classes
 *     that refuse it refuse such an ACL or policy when it is set
 */
public record SensitivityClass(
    String name,
    LocationRule rule,
    int minCopies,
    int minSites,
    Set<String> keyModes,
    boolean sigv2,
    boolean publicAccess) {

  /** Key mode: the master key is read from a key file (the development mode). */
  public static final String KEY_FILE = "file";

  /** Key mode: the master key is sealed (unsealed at start by key holders). */
  public static final String KEY_SEALED = "sealed";

  /** Key mode: the master key stays in a hardware security module. */
  public static final String KEY_HSM = "hsm";

  /** Every key mode a class may accept. */
  public static final Set<String> KEY_MODES = Set.of(KEY_FILE, KEY_SEALED, KEY_HSM);

  /** The largest {@link #minCopies()} a class may ask for. */
  public static final int MAX_COPIES = 8;

  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

  /** Validates every field; the messages name the class and the field. */
  public SensitivityClass {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "sensitivity class '"
              + name
              + "': the name must be 1 to 32 lower case letters, digits or '-'");
    }
    if (rule == null) {
      throw new IllegalArgumentException("sensitivity class '" + name + "': rule is required");
    }
    if (minCopies < 1 || minCopies > MAX_COPIES) {
      throw new IllegalArgumentException(
          "sensitivity class '"
              + name
              + "': minCopies "
              + minCopies
              + " is not between 1 and "
              + MAX_COPIES);
    }
    if (minSites < 1 || minSites > minCopies) {
      throw new IllegalArgumentException(
          "sensitivity class '"
              + name
              + "': minSites "
              + minSites
              + " is not between 1 and minCopies ("
              + minCopies
              + ")");
    }
    if (keyModes == null || keyModes.isEmpty()) {
      throw new IllegalArgumentException(
          "sensitivity class '" + name + "': keyModes must list at least one of file, sealed, hsm");
    }
    for (String m : keyModes) {
      if (!KEY_MODES.contains(m)) {
        throw new IllegalArgumentException(
            "sensitivity class '"
                + name
                + "': key mode '"
                + m
                + "' is not one of file, sealed, hsm");
      }
    }
    keyModes = Values.sortedCopy(keyModes);
  }

  /** A class that accepts Signature Version 2 requests and public buckets. */
  public SensitivityClass(
      String name, LocationRule rule, int minCopies, int minSites, Set<String> keyModes) {
    this(name, rule, minCopies, minSites, keyModes, true, true);
  }

  /** A class that accepts public buckets. */
  public SensitivityClass(
      String name,
      LocationRule rule,
      int minCopies,
      int minSites,
      Set<String> keyModes,
      boolean sigv2) {
    this(name, rule, minCopies, minSites, keyModes, sigv2, true);
  }

  /** This class with Signature Version 2 accepted or not. */
  public SensitivityClass withSigv2(boolean accepted) {
    return new SensitivityClass(name, rule, minCopies, minSites, keyModes, accepted, publicAccess);
  }

  /** This class with public buckets (public ACLs and policies) allowed or not. */
  public SensitivityClass withPublicAccess(boolean allowed) {
    return new SensitivityClass(name, rule, minCopies, minSites, keyModes, sigv2, allowed);
  }

  /** Null when {@code location} is allowed for this class, else a short human reason. */
  public @Nullable String whyNot(Location location, Topology topology) {
    return rule.whyNot(location, topology);
  }

  /** Whether data of this class may be protected by keys in {@code mode} (file, sealed, hsm). */
  public boolean acceptsKeyMode(@Nullable String mode) {
    return mode != null && keyModes.contains(mode);
  }

  /** "class 'sensitive' needs 2 copies on 2 sites": the requirement, for messages. */
  String needs() {
    return "class '"
        + name
        + "' needs "
        + Values.count(minCopies, "copy", "copies")
        + " on "
        + Values.count(minSites, "site", "sites");
  }

  static SensitivityClass of(
      String name, LocationRule rule, int copies, int sites, String... keyModes) {
    return new SensitivityClass(
        Objects.requireNonNull(name), rule, copies, sites, Set.of(keyModes));
  }
}
