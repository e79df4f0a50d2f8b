package fr.coffre.service;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.InvalidArgumentException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An ACL as a request states it, before the service knows whom it is for: a canned ACL by name
 * ({@code x-amz-acl}), or grants ({@code x-amz-grant-*} headers or an AccessControlPolicy body),
 * whose canonical ids the service checks and whose display names it fills in.
 *
 * @param canned the canned ACL's name, or null
 * @param grants the explicit grants (empty with a canned ACL)
 */
public record AclRequest(@Nullable String canned, List<AccessControlList.Grant> grants) {
  /** The canned ACLs S3 defines. */
  public static final List<String> CANNED =
      List.of(
          "private",
          "public-read",
          "public-read-write",
          "authenticated-read",
          "aws-exec-read",
          "bucket-owner-read",
          "bucket-owner-full-control",
          "log-delivery-write");

  public AclRequest {
    grants = List.copyOf(grants);
    if (canned != null && !CANNED.contains(canned)) {
      throw new InvalidArgumentException("Unknown canned ACL: " + canned);
    }
    if (canned != null && !grants.isEmpty()) {
      throw new InvalidArgumentException(
          "Specifying both a canned ACL and grant headers is not allowed");
    }
    if (grants.size() > AccessControlList.MAX_GRANTS) {
      throw new InvalidArgumentException(
          "An ACL may have at most " + AccessControlList.MAX_GRANTS + " grants");
    }
  }

  public static AclRequest canned(String name) {
    return new AclRequest(name, List.of());
  }

  public static AclRequest grants(List<AccessControlList.Grant> grants) {
    return new AclRequest(null, grants);
  }
}
