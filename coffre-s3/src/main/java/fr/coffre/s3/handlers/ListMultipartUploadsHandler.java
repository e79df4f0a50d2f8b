package fr.coffre.s3.handlers;

import fr.coffre.core.UploadRecord;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import java.util.ArrayList;
import java.util.List;

/**
 * ListMultipartUploads: uploads in progress by key, with prefix and delimiter roll-up. Uploads are
 * few (they are completed or aborted), so the roll-up is done over the page in memory.
 */
public final class ListMultipartUploadsHandler implements S3Action {
  private final ApiContext ctx;

  public ListMultipartUploadsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    boolean url = Listings.urlEncoding(request);
    int max = Requests.intParam(request, "max-uploads", 1000, 1000);
    String prefix = request.queryParam("prefix") == null ? "" : request.queryParam("prefix");
    String delimiter = Listings.emptyToNull(request.queryParam("delimiter"));
    String keyMarker = Listings.emptyToNull(request.queryParam("key-marker"));
    String idMarker =
        keyMarker == null ? null : Listings.emptyToNull(request.queryParam("upload-id-marker"));
    var bucket = Requests.bucket(request);
    List<UploadRecord> found = ctx.multipart().uploads(bucket, prefix, keyMarker, idMarker, max);
    Documents.Owner bucketOwner = ApiContext.owner(ctx.bucketOwner(bucket));
    List<Documents.Upload> uploads = new ArrayList<>();
    List<Documents.CommonPrefix> prefixes = new ArrayList<>();
    String lastPrefix = null;
    UploadRecord last = null;
    int count = 0;
    boolean truncated = false;
    for (UploadRecord u : found) {
      if (count == max) {
        truncated = true;
        break;
      }
      String key = u.key().value();
      if (delimiter != null) {
        int at = key.indexOf(delimiter, prefix.length());
        if (at >= 0) {
          String cp = key.substring(0, at + delimiter.length());
          if (!cp.equals(lastPrefix)) {
            prefixes.add(new Documents.CommonPrefix(Listings.encode(cp, url)));
            lastPrefix = cp;
            count++;
          }
          last = u;
          continue;
        }
      }
      // The owner of the object the upload becomes: the writer's tenant when another tenant started
      // it in an ObjectWriter bucket (as ListParts says), else the bucket's owner.
      Documents.Owner owner =
          ctx.multipart()
              .aclOf(bucket, u.uploadId())
              .map(acl -> ApiContext.owner(acl.owner()))
              .orElse(bucketOwner);
      uploads.add(
          new Documents.Upload(
              Listings.encode(key, url),
              u.uploadId(),
              owner,
              owner,
              "STANDARD",
              HttpDates.xml(u.initiated())));
      last = u;
      count++;
    }
    return S3Response.xml(
        new Documents.ListMultipartUploadsResult(
            request.bucket(),
            Listings.encode(keyMarker == null ? "" : keyMarker, url),
            idMarker == null ? "" : idMarker,
            truncated && last != null ? Listings.encode(last.key().value(), url) : null,
            truncated && last != null ? last.uploadId() : null,
            prefix,
            delimiter,
            max,
            truncated,
            uploads,
            prefixes));
  }
}
