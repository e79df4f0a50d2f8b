package fr.coffre.s3.handlers;

import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.AclRequest;
import fr.coffre.service.ObjectOwnership;
import java.io.IOException;

/**
 * CreateBucket, with an optional LocationConstraint that names this server's region or a
 * sensitivity class (the class may also come in {@code x-coffre-sensitivity-class}).
 */
public final class CreateBucketHandler implements S3Action {
  /** Request (and response) header naming a bucket's sensitivity class. */
  public static final String CLASS_HEADER = "x-coffre-sensitivity-class";

  private final ApiContext ctx;

  public CreateBucketHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  private static final String US_EAST_1 = "us-east-1";

  @Override
  public S3Response handle(S3Request request) throws IOException {
    BucketName name = new BucketName(request.bucket());
    Documents.CreateBucketConfiguration config =
        S3Xml.readOptional(request.body(), Documents.CreateBucketConfiguration.class);
    String region = ctx.region();
    String sensitivityClass = request.header(CLASS_HEADER);
    String asked =
        config == null || config.locationConstraint() == null
            ? ""
            : config.locationConstraint().strip();
    if (!asked.isEmpty() && !asked.equals(region)) {
      // S3 clients can only say "where" through LocationConstraint (aws s3api
      // --create-bucket-configuration, rclone location_constraint, s3cmd --bucket-location):
      // a sensitivity class named there is where the bucket's data may live.
      if (sensitivityClass != null && !sensitivityClass.equals(asked)) {
        throw new S3Exception(
            S3Error.INVALID_ARGUMENT,
            "The LocationConstraint '"
                + asked
                + "' and the "
                + CLASS_HEADER
                + " header '"
                + sensitivityClass
                + "' disagree; give one of them");
      }
      if (!ctx.buckets().sensitivityClasses().contains(asked)) {
        throw new S3Exception(
            S3Error.ILLEGAL_LOCATION_CONSTRAINT,
            "The "
                + asked
                + " location constraint is incompatible for the region specific endpoint this"
                + " request was sent to. Use the region "
                + region
                + " or one of the sensitivity classes "
                + String.join(", ", ctx.buckets().sensitivityClasses())
                + ".");
      }
      sensitivityClass = asked;
    }
    String lock = request.header("x-amz-bucket-object-lock-enabled");
    boolean objectLock = lock != null && lock.strip().equalsIgnoreCase("true");
    AclRequest acl = Acls.fromHeaders(request);
    String ownershipHeader = request.header("x-amz-object-ownership");
    ObjectOwnership ownership =
        ownershipHeader == null ? null : ObjectOwnership.of(ownershipHeader.strip());
    // Coffre's own header: the sensitivity class that decides where the bucket's data may live.
    BucketRecord bucket;
    try {
      bucket =
          ctx.buckets()
              .create(name, region, request.principal().tenant(), sensitivityClass, objectLock);
    } catch (BucketAlreadyOwnedException e) {
      // us-east-1's legacy answer to re-creating one's own bucket is a success that changes
      // nothing; only when the request asks for nothing the bucket does not already have.
      bucket = ctx.buckets().get(name);
      if (e.byAnother()
          || !US_EAST_1.equals(region)
          || objectLock && !bucket.objectLock()
          || sensitivityClass != null && !sensitivityClass.equals(bucket.sensitivityClass())) {
        throw e;
      }
      if (!ctx.acls().bucketAclIs(name, acl)) {
        // Another ACL than the bucket has: refused as Ceph RGW and s3-tests expect.
        throw new BucketAlreadyOwnedException(name.value(), true);
      }
      return created(bucket);
    }
    try {
      if (ownership != null) {
        ctx.acls().putOwnership(name, ownership);
      }
      if (acl != null) {
        ctx.acls().putBucketAcl(name, acl);
      }
    } catch (RuntimeException e) {
      ctx.buckets().delete(name); // refused: nothing was created
      throw e;
    }
    return created(bucket);
  }

  private static S3Response created(BucketRecord bucket) {
    return S3Response.ok()
        .header("Location", "/" + bucket.name().value())
        .header(CLASS_HEADER, bucket.sensitivityClass());
  }
}
