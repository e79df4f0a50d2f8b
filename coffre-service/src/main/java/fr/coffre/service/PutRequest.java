package fr.coffre.service;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.LockState;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectChecksum;
import fr.coffre.core.WriteCondition;
import java.util.function.Supplier;

/**
 * What accompanies an object's content on a write.
 *
 * @param contentMd5 the 16-byte digest the client sent (Content-MD5), or null
 * @param checksum asked once the body has been read to its end (and so verified): the checksum to
 *     store with the object, or null for none; null supplier for none
 * @param customerKey the client's key (SSE-C) wrapping the object's data key, or null
 * @param kmsKey the KMS key (id, ARN or alias) wrapping the object's data key (SSE-KMS), or null;
 *     with neither, the root key wraps it (SSE-S3)
 * @param lock the retention and legal hold asked for the new version, or null for the bucket's
 *     default
 * @param acl the access control list of the new version, or null for the default one
 */
public record PutRequest(
    ObjectAttributes attributes,
    byte[] contentMd5,
    WriteCondition condition,
    Supplier<ObjectChecksum> checksum,
    CustomerKey customerKey,
    String kmsKey,
    LockState lock,
    AccessControlList acl) {
  public PutRequest {
    condition = condition == null ? WriteCondition.NONE : condition;
    checksum = checksum == null ? () -> null : checksum;
  }

  public PutRequest(
      ObjectAttributes attributes,
      byte[] contentMd5,
      WriteCondition condition,
      Supplier<ObjectChecksum> checksum,
      CustomerKey customerKey,
      String kmsKey) {
    this(attributes, contentMd5, condition, checksum, customerKey, kmsKey, null, null);
  }

  /** A request with the default ACL. */
  public PutRequest(
      ObjectAttributes attributes,
      byte[] contentMd5,
      WriteCondition condition,
      Supplier<ObjectChecksum> checksum,
      CustomerKey customerKey,
      String kmsKey,
      LockState lock) {
    this(attributes, contentMd5, condition, checksum, customerKey, kmsKey, lock, null);
  }

  /** This request with an Object Lock state asked for the new version. */
  public PutRequest withLock(LockState requested) {
    return new PutRequest(
        attributes, contentMd5, condition, checksum, customerKey, kmsKey, requested, acl);
  }

  /** This request with an access control list for the new version. */
  public PutRequest withAcl(AccessControlList newAcl) {
    return new PutRequest(
        attributes, contentMd5, condition, checksum, customerKey, kmsKey, lock, newAcl);
  }

  public PutRequest(ObjectAttributes attributes, byte[] contentMd5, WriteCondition condition) {
    this(attributes, contentMd5, condition, null, null, null);
  }

  public static PutRequest of(ObjectAttributes attributes) {
    return new PutRequest(attributes, null, WriteCondition.NONE);
  }

  /** The attributes to store: the request's, with the verified checksum if there is one. */
  ObjectAttributes attributesAfterBody() {
    ObjectChecksum c = checksum.get();
    return c == null ? attributes : attributes.withChecksum(c);
  }
}
