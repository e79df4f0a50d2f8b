package fr.coffre.service;

import fr.coffre.core.InvalidArgumentException;
import org.jspecify.annotations.Nullable;

/**
 * A bucket's Object Ownership setting (S3's OwnershipControls): who owns the objects others write
 * into it, and whether ACLs are in force at all. A bucket without the setting behaves as {@link
 * #OBJECT_WRITER}, as S3 buckets did before 2023 and as Ceph RGW's do.
 */
public enum ObjectOwnership {
  /** ACLs are disabled: the bucket owner owns every object, only policies decide access. */
  BUCKET_OWNER_ENFORCED("BucketOwnerEnforced"),
  /** The bucket owner owns objects written with the bucket-owner-full-control canned ACL. */
  BUCKET_OWNER_PREFERRED("BucketOwnerPreferred"),
  /** The writer's tenant owns the objects it writes. */
  OBJECT_WRITER("ObjectWriter");

  private final String awsName;

  ObjectOwnership(String awsName) {
    this.awsName = awsName;
  }

  /** The name S3 documents ({@code BucketOwnerEnforced}, ...). */
  public String awsName() {
    return awsName;
  }

  /** The setting S3 names {@code name}; InvalidArgumentException otherwise. */
  public static ObjectOwnership of(@Nullable String name) {
    for (ObjectOwnership o : values()) {
      if (o.awsName.equals(name)) {
        return o;
      }
    }
    throw new InvalidArgumentException(
        "ObjectOwnership must be BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, not "
            + name);
  }
}
