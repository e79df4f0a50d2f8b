package fr.coffre.s3.handlers;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.AccessControlList.Grant;
import fr.coffre.core.AccessControlList.Grantee;
import fr.coffre.core.AccessControlList.Group;
import fr.coffre.core.AccessControlList.Permission;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.AclRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * ACLs on the wire: the {@code x-amz-acl} canned ACL, the {@code x-amz-grant-*} headers ({@code
 * id="..."}, {@code uri="..."}; {@code emailAddress} is refused, as S3 does outside a few old
 * regions) and AccessControlPolicy bodies, into an {@link AclRequest}; and an ACL back into its
 * AccessControlPolicy document.
 */
final class Acls {
  static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  private static final Map<String, Permission> GRANT_HEADERS =
      Map.of(
          "x-amz-grant-read", Permission.READ,
          "x-amz-grant-write", Permission.WRITE,
          "x-amz-grant-read-acp", Permission.READ_ACP,
          "x-amz-grant-write-acp", Permission.WRITE_ACP,
          "x-amz-grant-full-control", Permission.FULL_CONTROL);

  private static final List<String> HEADER_ORDER =
      List.of(
          "x-amz-grant-full-control",
          "x-amz-grant-read",
          "x-amz-grant-read-acp",
          "x-amz-grant-write",
          "x-amz-grant-write-acp");

  private Acls() {}

  /** The ACL a write's headers ask for, or null when they ask for none. */
  static @Nullable AclRequest fromHeaders(S3Request request) {
    String canned = request.header("x-amz-acl");
    List<Grant> grants = new ArrayList<>();
    for (String name : HEADER_ORDER) {
      String value = request.header(name);
      if (value != null) {
        for (String grantee : value.split(",")) {
          grants.add(new Grant(headerGrantee(grantee.strip()), GRANT_HEADERS.get(name)));
        }
      }
    }
    if (canned == null && grants.isEmpty()) {
      return null;
    }
    try {
      return new AclRequest(canned == null ? null : canned.strip(), grants);
    } catch (InvalidArgumentException e) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, e.getMessage());
    }
  }

  /** The ACL a Put*Acl request asks for: its headers, else its AccessControlPolicy body. */
  static AclRequest fromRequest(S3Request request) {
    AclRequest fromHeaders = fromHeaders(request);
    if (fromHeaders != null) {
      return fromHeaders;
    }
    ConfigDocuments.AccessControlPolicy policy;
    try {
      policy = S3Xml.readOptional(request.body(), ConfigDocuments.AccessControlPolicy.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (policy == null) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    }
    List<Grant> grants = new ArrayList<>();
    for (ConfigDocuments.Grant g : policy.grants()) {
      ConfigDocuments.Grantee e = g.grantee();
      if (e == null || g.permission() == null) {
        throw new S3Exception(S3Error.MALFORMED_XML, "A Grant needs a Grantee and a Permission");
      }
      grants.add(new Grant(xmlGrantee(e), permission(g.permission())));
    }
    return AclRequest.grants(grants);
  }

  /**
   * The AccessControlPolicy document of an ACL. Group grants come before canonical users' (each in
   * the order given), as Ceph RGW lists them and as s3-tests compare them.
   */
  static ConfigDocuments.AccessControlPolicy document(AccessControlList acl) {
    List<ConfigDocuments.Grant> grants = new ArrayList<>();
    List<Grant> ordered = new ArrayList<>();
    acl.grants().stream().filter(g -> g.grantee().group() != null).forEach(ordered::add);
    acl.grants().stream().filter(g -> g.grantee().group() == null).forEach(ordered::add);
    for (Grant g : ordered) {
      Grantee e = g.grantee();
      ConfigDocuments.Grantee shown =
          e.group() != null
              ? new ConfigDocuments.Grantee(XSI, "Group", null, null, e.group().uri(), null)
              : new ConfigDocuments.Grantee(
                  XSI, "CanonicalUser", e.id(), e.displayName(), null, null);
      grants.add(new ConfigDocuments.Grant(shown, g.permission().name()));
    }
    return new ConfigDocuments.AccessControlPolicy(
        ApiContext.owner(acl.owner()), new ConfigDocuments.AccessControlList(grants));
  }

  private static Grantee headerGrantee(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 0) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid grantee: " + spec);
    }
    String type = spec.substring(0, eq).strip().toLowerCase(Locale.ROOT);
    String value = spec.substring(eq + 1).strip();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return switch (type) {
      case "id" -> user(value);
      case "uri" -> group(value);
      case "emailaddress" -> throw emailRefused();
      default -> throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid grantee type: " + type);
    };
  }

  private static Grantee xmlGrantee(ConfigDocuments.Grantee e) {
    if (e.emailAddress() != null) {
      throw emailRefused();
    }
    if (e.uri() != null) {
      return group(e.uri().strip());
    }
    if (e.id() != null) {
      return user(e.id().strip());
    }
    throw new S3Exception(
        S3Error.INVALID_ARGUMENT, "A Grantee needs an ID (CanonicalUser) or a URI (Group)");
  }

  private static Grantee user(String id) {
    try {
      return Grantee.user(id, null);
    } catch (InvalidArgumentException e) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, e.getMessage());
    }
  }

  private static Grantee group(String uri) {
    Group g = Group.ofUri(uri);
    if (g == null) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Unknown group: " + uri);
    }
    return Grantee.of(g);
  }

  private static Permission permission(String name) {
    try {
      return Permission.valueOf(name.strip());
    } catch (IllegalArgumentException e) {
      throw new S3Exception(S3Error.MALFORMED_XML, "Unknown permission: " + name);
    }
  }

  private static S3Exception emailRefused() {
    return new S3Exception(
        S3Error.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS,
        "Grants by emailAddress are not supported: grant to a canonical id (id=...) instead");
  }
}
