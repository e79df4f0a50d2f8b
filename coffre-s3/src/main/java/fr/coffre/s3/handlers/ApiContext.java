package fr.coffre.s3.handlers;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.BucketName;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.auth.CredentialLookup;
import fr.coffre.s3.xml.Documents.Owner;
import fr.coffre.service.AccessService;
import fr.coffre.service.AclService;
import fr.coffre.service.BucketService;
import fr.coffre.service.KeyService;
import fr.coffre.service.MultipartService;
import fr.coffre.service.Notifications;
import fr.coffre.service.ObjectService;

/**
 * What every action handler may use: the services, and the few settings that show in responses.
 *
 * @param region the region this server answers for (GetBucketLocation, LocationConstraint)
 * @param credentials the secrets of access keys, for the signatures form uploads carry
 * @param keys the KMS keys SSE-KMS writes name
 * @param customerKeysOverHttp whether SSE-C keys may come over plain HTTP (a loopback listener);
 *     otherwise they must come over TLS, as S3 requires
 * @param access who a request's principal is and what it may do, for handlers that authorize key by
 *     key (DeleteObjects, form uploads)
 * @param policies the bucket policies
 * @param notifications the targets the operator declared, and the outbox of object events
 */
public record ApiContext(
    BucketService buckets,
    ObjectService objects,
    MultipartService multipart,
    KeyService keys,
    String region,
    CredentialLookup credentials,
    boolean customerKeysOverHttp,
    AccessControl access,
    AccessService policies,
    Notifications notifications) {

  /** ACLs, Object Ownership and Block Public Access. */
  public AclService acls() {
    return policies.acls();
  }

  /** The owner shown for what the request's caller owns: its tenant's canonical user. */
  public Owner callerOwner(S3Request request) {
    return owner(acls().ownerOf(request.principal()));
  }

  /** The owner of a bucket: its tenant's canonical user. */
  public AccessControlList.Grantee bucketOwner(BucketName bucket) {
    return acls().tenantGrantee(buckets.get(bucket).tenant());
  }

  /** A canonical user as S3 documents show it. */
  public static Owner owner(AccessControlList.Grantee g) {
    return new Owner(g.id(), g.displayName());
  }
}
