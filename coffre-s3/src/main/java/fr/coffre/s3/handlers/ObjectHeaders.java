package fr.coffre.s3.handlers;

import fr.coffre.core.ObjectAttributes;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ObjectInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Reads an object's stored headers from a write request and writes them back on GET and HEAD. */
final class ObjectHeaders {
  static final String META = "x-amz-meta-";
  // S3's limit on user-defined metadata: names and values together, in UTF-8 bytes.
  static final int MAX_USER_METADATA_BYTES = 2048;
  static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

  private ObjectHeaders() {}

  static ObjectAttributes attributes(S3Request request) {
    Map<String, String> meta = new TreeMap<>();
    int bytes = 0;
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META) && name.length() > META.length()) {
        String key = name.substring(META.length());
        String value = String.join(",", h.getValue());
        meta.put(key, value);
        bytes += key.getBytes(StandardCharsets.UTF_8).length;
        bytes += value.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (bytes > MAX_USER_METADATA_BYTES) {
      throw new S3Exception(S3Error.METADATA_TOO_LARGE)
          .with("Size", Integer.toString(bytes))
          .with("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
    }
    return new ObjectAttributes(
            request.header("content-type"),
            contentEncoding(request.header("content-encoding")),
            request.header("content-disposition"),
            request.header("content-language"),
            request.header("cache-control"),
            request.header("expires"),
            meta)
        .withTags(Tags.fromHeader(request));
  }

  /** The stored Content-Encoding: the client's, without the aws-chunked transfer framing. */
  private static String contentEncoding(String header) {
    if (header == null) {
      return null;
    }
    StringBuilder kept = new StringBuilder();
    for (String coding : header.split(",")) {
      String c = coding.strip();
      if (!c.isEmpty() && !c.equalsIgnoreCase("aws-chunked")) {
        kept.append(kept.isEmpty() ? "" : ", ").append(c);
      }
    }
    return kept.isEmpty() ? null : kept.toString();
  }

  /** Writes the stored headers, with response-* query overrides applied as S3 does for GET. */
  static void write(S3Response response, ObjectInfo info, S3Request request) {
    ObjectAttributes a = info.attributes();
    response
        .header("ETag", info.etag().quoted())
        .header("Last-Modified", HttpDates.header(info.lastModified()))
        .header("Accept-Ranges", "bytes")
        .header(
            "x-amz-server-side-encryption",
            request.header(CustomerKeys.HEADERS + "algorithm") != null
                ? null
                : info.kmsKeyArn() != null ? ServerSideEncryption.KMS : "AES256")
        .header(ServerSideEncryption.KMS_KEY_ID, info.kmsKeyArn())
        .header(
            "Content-Type",
            override(
                request,
                "response-content-type",
                a.contentType() == null ? DEFAULT_CONTENT_TYPE : a.contentType()))
        .header(
            "Content-Encoding", override(request, "response-content-encoding", a.contentEncoding()))
        .header(
            "Content-Disposition",
            override(request, "response-content-disposition", a.contentDisposition()))
        .header(
            "Content-Language", override(request, "response-content-language", a.contentLanguage()))
        .header("Cache-Control", override(request, "response-cache-control", a.cacheControl()))
        .header("Expires", override(request, "response-expires", a.expires()));
    ObjectLockHeaders.versionId(response, info);
    ObjectLockHeaders.write(response, info);
    for (Map.Entry<String, String> m : a.userMetadata().entrySet()) {
      response.header(META + m.getKey(), m.getValue());
    }
    if (!a.tags().isEmpty()) {
      response.header("x-amz-tagging-count", Integer.toString(a.tags().size()));
    }
  }

  private static String override(S3Request request, String param, String stored) {
    String v = request.queryParam(param);
    return v != null ? v : stored;
  }
}
