package fr.coffre.s3.handlers;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.BucketName;
import fr.coffre.core.CustomerKeyException;
import fr.coffre.core.ObjectChecksum;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.PartRecord;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import java.util.List;

/** ListParts: the parts uploaded so far, paginated by part number. */
public final class ListPartsHandler implements S3Action {
  private final ApiContext ctx;

  public ListPartsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    int max = Requests.intParam(request, "max-parts", 1000, 1000);
    int marker = Requests.intParam(request, "part-number-marker", 0, PartRecord.MAX_PART_NUMBER);
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    String uploadId = request.queryParam("uploadId");
    List<PartRecord> parts = ctx.multipart().parts(bucket, key, uploadId, marker, max);
    ObjectChecksum chosen = chosenChecksum(bucket, key, uploadId);
    boolean truncated = parts.size() > max;
    Documents.Owner owner =
        ApiContext.owner(
            ctx.multipart()
                .aclOf(bucket, uploadId)
                .map(AccessControlList::owner)
                .orElseGet(() -> ctx.bucketOwner(bucket)));
    List<PartRecord> page = truncated ? parts.subList(0, max) : parts;
    int next = page.isEmpty() ? marker : page.get(page.size() - 1).partNumber();
    return S3Response.xml(
        new Documents.ListPartsResult(
            request.bucket(),
            request.key(),
            uploadId,
            owner,
            owner,
            "STANDARD",
            marker,
            next,
            max,
            truncated,
            chosen == null ? null : chosen.algorithm(),
            chosen == null ? null : chosen.type(),
            page.stream()
                .map(
                    p ->
                        new Documents.Part(
                            p.partNumber(),
                            HttpDates.xml(p.lastModified()),
                            p.etag().quoted(),
                            p.blob().size(),
                            chosen == null || p.checksum() == null
                                ? null
                                : ChecksumHeaders.document(chosen.algorithm(), p.checksum(), null)))
                .toList()));
  }

  /** The upload's checksum choice; unknown for an SSE-C upload, whose attributes need its key. */
  private ObjectChecksum chosenChecksum(BucketName bucket, ObjectKey key, String uploadId) {
    try {
      return ctx.multipart().checksumOf(bucket, key, uploadId).orElse(null);
    } catch (CustomerKeyException e) {
      return null;
    }
  }
}
