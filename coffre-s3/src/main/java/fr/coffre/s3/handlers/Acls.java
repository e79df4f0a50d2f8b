package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.Documents;
import fr.coffre.s3.xml.S3Xml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one ACL Coffre has (access is granted by IAM and bucket policies, not ACLs, until ACL grants
 * come with the S3 last-mile issue): the owner has full control, nobody else has any access.
 * Putting exactly that is accepted; anything granting more is refused as not implemented rather
 * than silently ignored.
 */
final class Acls {
  static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  private Acls() {}

  static ConfigDocuments.AccessControlPolicy ownerOnly(Documents.Owner owner) {
    return new ConfigDocuments.AccessControlPolicy(
        owner,
        new ConfigDocuments.AccessControlList(
            List.of(
                new ConfigDocuments.Grant(
                    new ConfigDocuments.Grantee(
                        XSI, "CanonicalUser", owner.id(), owner.displayName(), null),
                    "FULL_CONTROL"))));
  }

  static void requirePrivate(S3Request request, Documents.Owner owner) {
    String canned = request.header("x-amz-acl");
    for (String grant :
        List.of(
            "x-amz-grant-read",
            "x-amz-grant-write",
            "x-amz-grant-read-acp",
            "x-amz-grant-write-acp",
            "x-amz-grant-full-control")) {
      if (request.header(grant) != null) {
        throw new S3Exception(
            S3Error.NOT_IMPLEMENTED, "ACL grants are not supported; only the private ACL is");
      }
    }
    if (canned != null) {
      if (!canned.equals("private") && !canned.equals("bucket-owner-full-control")) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Only the private canned ACL is supported");
      }
      return;
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
    List<ConfigDocuments.Grant> grants = policy.grants();
    for (ConfigDocuments.Grant g : grants) {
      boolean owners =
          g.grantee() != null && owner.id().equals(g.grantee().id()) && g.grantee().uri() == null;
      if (!owners || !"FULL_CONTROL".equals(g.permission())) {
        throw new S3Exception(
            S3Error.NOT_IMPLEMENTED, "Only the private ACL (owner FULL_CONTROL) is supported");
      }
    }
  }
}
