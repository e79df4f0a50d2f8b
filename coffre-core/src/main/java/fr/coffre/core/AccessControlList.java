package fr.coffre.core;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An S3 access control list: the owner of a bucket or of an object version, and up to {@link
 * #MAX_GRANTS} grants of a permission to a canonical user (a tenant or a user, by its {@link
 * CanonicalIds canonical id}) or to one of S3's groups.
 *
 * <p>Stored as text ({@link #encode()}): one line per entry, fields separated by tabs, display
 * names percent-encoded; the first line is the owner.
 *
 * @param owner the owner, who always may read and change the ACL (S3's rule)
 * @param grants the grants, in the order they were given
 */
public record AccessControlList(Grantee owner, List<Grant> grants) {
  /** S3 refuses an ACL with more grants than this. */
  public static final int MAX_GRANTS = 100;

  /** What a grant allows. */
  public enum Permission {
    READ,
    WRITE,
    READ_ACP,
    WRITE_ACP,
    FULL_CONTROL;

    /** Whether a grant of this permission gives {@code wanted}. */
    public boolean implies(Permission wanted) {
      return this == FULL_CONTROL || this == wanted;
    }
  }

  /** S3's predefined groups, by the URI that names them. */
  public enum Group {
    /** Everyone, signed or not: a grant to it makes the resource public. */
    ALL_USERS("http://acs.amazonaws.com/groups/global/AllUsers"),
    /** Any signed request, of any tenant: public too, in S3's sense. */
    AUTHENTICATED_USERS("http://acs.amazonaws.com/groups/global/AuthenticatedUsers"),
    /** S3's log delivery: accepted and kept; Coffre's access logs do not need it. */
    LOG_DELIVERY("http://acs.amazonaws.com/groups/s3/LogDelivery");

    private final String uri;

    Group(String uri) {
      this.uri = uri;
    }

    public String uri() {
      return uri;
    }

    /** The group a URI names, or null. */
    public static @Nullable Group ofUri(String uri) {
      for (Group g : values()) {
        if (g.uri.equals(uri)) {
          return g;
        }
      }
      return null;
    }
  }

  /**
   * Who a grant is for: a canonical user (id and display name) or a group.
   *
   * @param id the canonical id (64 hex characters), or null for a group
   * @param displayName the canonical user's display name, or null for a group
   * @param group the group, or null for a canonical user
   */
  public record Grantee(@Nullable String id, @Nullable String displayName, @Nullable Group group) {
    public Grantee {
      if ((id == null) == (group == null)) {
        throw new IllegalArgumentException("a grantee is either a canonical user or a group");
      }
      if (id != null && !CanonicalIds.valid(id)) {
        throw new InvalidArgumentException("Invalid canonical id: " + id);
      }
    }

    public static Grantee user(String id, @Nullable String displayName) {
      return new Grantee(id, displayName, null);
    }

    public static Grantee of(Group group) {
      return new Grantee(null, null, group);
    }
  }

  /** One grant. */
  public record Grant(Grantee grantee, Permission permission) {
    public Grant {
      Objects.requireNonNull(grantee, "grantee");
      Objects.requireNonNull(permission, "permission");
    }
  }

  public AccessControlList {
    Objects.requireNonNull(owner, "owner");
    if (owner.id() == null) {
      throw new IllegalArgumentException("an ACL's owner is a canonical user");
    }
    grants = List.copyOf(grants);
    if (grants.size() > MAX_GRANTS) {
      throw new InvalidArgumentException(
          "An ACL may have at most " + MAX_GRANTS + " grants, got " + grants.size());
    }
  }

  /** S3's default ACL ("private"): the owner has full control, nobody else anything. */
  public static AccessControlList ownerOnly(Grantee owner) {
    return new AccessControlList(owner, List.of(new Grant(owner, Permission.FULL_CONTROL)));
  }

  /** Whether it grants anything to everyone or to every signed caller (S3's "public" ACL). */
  public boolean isPublic() {
    for (Grant g : grants) {
      if (g.grantee().group() == Group.ALL_USERS
          || g.grantee().group() == Group.AUTHENTICATED_USERS) {
        return true;
      }
    }
    return false;
  }

  /** This ACL without its grants to AllUsers and AuthenticatedUsers (IgnorePublicAcls). */
  public AccessControlList withoutPublicGrants() {
    List<Grant> kept = new ArrayList<>();
    for (Grant g : grants) {
      if (g.grantee().group() != Group.ALL_USERS
          && g.grantee().group() != Group.AUTHENTICATED_USERS) {
        kept.add(g);
      }
    }
    return new AccessControlList(owner, kept);
  }

  /** The text this ACL is stored as; {@link #decode} reads it back. */
  public String encode() {
    StringBuilder b = new StringBuilder();
    b.append("owner\t").append(owner.id()).append('\t').append(name(owner.displayName()));
    for (Grant g : grants) {
      b.append('\n').append(g.permission().name()).append('\t');
      Grantee e = g.grantee();
      if (e.group() != null) {
        b.append("group\t").append(e.group().name());
      } else {
        b.append("user\t").append(e.id()).append('\t').append(name(e.displayName()));
      }
    }
    return b.toString();
  }

  /** Reads what {@link #encode()} wrote; IllegalArgumentException if it is not such text. */
  public static AccessControlList decode(String text) {
    String[] lines = text.split("\n", -1);
    String[] first = lines[0].split("\t", -1);
    if (first.length != 3 || !first[0].equals("owner")) {
      throw new IllegalArgumentException("not a stored ACL: " + lines[0]);
    }
    Grantee owner = Grantee.user(first[1], unname(first[2]));
    List<Grant> grants = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split("\t", -1);
      Permission p = Permission.valueOf(f[0]);
      Grantee g =
          switch (f[1]) {
            case "group" -> Grantee.of(Group.valueOf(f[2]));
            case "user" -> Grantee.user(f[2], unname(f[3]));
            default -> throw new IllegalArgumentException("not a stored grant: " + lines[i]);
          };
      grants.add(new Grant(g, p));
    }
    return new AccessControlList(owner, grants);
  }

  private static String name(@Nullable String displayName) {
    return displayName == null ? "" : URLEncoder.encode(displayName, StandardCharsets.UTF_8);
  }

  private static @Nullable String unname(String field) {
    return field.isEmpty() ? null : URLDecoder.decode(field, StandardCharsets.UTF_8);
  }
}
