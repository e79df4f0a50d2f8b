package fr.coffre.s3.handlers;

import fr.coffre.s3.auth.CredentialLookup;
import fr.coffre.s3.xml.Documents.Owner;
import fr.coffre.service.BucketService;
import fr.coffre.service.KeyService;
import fr.coffre.service.MultipartService;
import fr.coffre.service.ObjectService;

/**
 * What every action handler may use: the services, and the few settings that show in responses.
 *
 * @param region the region this server answers for (GetBucketLocation, LocationConstraint)
 * @param owner the owner shown in listings: the root identity (per-tenant canonical ids come with
 *     ACLs)
 * @param credentials the secrets of access keys, for the signatures form uploads carry
 * @param keys the KMS keys SSE-KMS writes name
 * @param customerKeysOverHttp whether SSE-C keys may come over plain HTTP (a loopback listener);
 *     otherwise they must come over TLS, as S3 requires
 * @param access who a request's principal is and what it may do, for handlers that authorize key by
 *     key (DeleteObjects, form uploads)
 * @param policies the bucket policies
 */
public record ApiContext(
    BucketService buckets,
    ObjectService objects,
    MultipartService multipart,
    KeyService keys,
    String region,
    Owner owner,
    CredentialLookup credentials,
    boolean customerKeysOverHttp,
    AccessControl access,
    fr.coffre.service.AccessService policies) {}
