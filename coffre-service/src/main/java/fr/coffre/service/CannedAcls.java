package fr.coffre.service;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.AccessControlList.Grant;
import fr.coffre.core.AccessControlList.Grantee;
import fr.coffre.core.AccessControlList.Group;
import fr.coffre.core.AccessControlList.Permission;
import fr.coffre.core.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/** S3's canned ACLs, as the grants each one stands for. */
final class CannedAcls {
  private CannedAcls() {}

  /**
   * The canned ACL {@code name} for a resource owned by {@code owner} in a bucket owned by {@code
   * bucketOwner} (the same for a bucket). aws-exec-read's grant to EC2 has no meaning here: it is
   * private. The owner's grant comes last, in the order S3 and Ceph RGW list grants.
   */
  private static Grant ownerGrant(Grantee owner) {
    return new Grant(owner, Permission.FULL_CONTROL);
  }

  static AccessControlList of(String name, Grantee owner, Grantee bucketOwner) {
    List<Grant> g = new ArrayList<>();
    switch (name) {
      case "private", "aws-exec-read" -> {}
      case "public-read" -> g.add(new Grant(Grantee.of(Group.ALL_USERS), Permission.READ));
      case "public-read-write" -> {
        g.add(new Grant(Grantee.of(Group.ALL_USERS), Permission.READ));
        g.add(new Grant(Grantee.of(Group.ALL_USERS), Permission.WRITE));
      }
      case "authenticated-read" ->
          g.add(new Grant(Grantee.of(Group.AUTHENTICATED_USERS), Permission.READ));
      case "bucket-owner-read" -> {
        if (!bucketOwner.id().equals(owner.id())) {
          g.add(new Grant(bucketOwner, Permission.READ));
        }
      }
      case "bucket-owner-full-control" -> {
        if (!bucketOwner.id().equals(owner.id())) {
          g.add(new Grant(bucketOwner, Permission.FULL_CONTROL));
        }
      }
      case "log-delivery-write" -> {
        g.add(new Grant(Grantee.of(Group.LOG_DELIVERY), Permission.WRITE));
        g.add(new Grant(Grantee.of(Group.LOG_DELIVERY), Permission.READ_ACP));
      }
      default -> throw new InvalidArgumentException("Unknown canned ACL: " + name);
    }
    g.add(g.size() > 0 && name.startsWith("bucket-owner") ? 0 : g.size(), ownerGrant(owner));
    return new AccessControlList(owner, g);
  }
}
