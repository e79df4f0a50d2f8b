package fr.coffre.console;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.EntityTooLargeException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.Principal;
import fr.coffre.core.Usage;
import fr.coffre.core.WriteCondition;
import fr.coffre.service.BucketEncryption;
import fr.coffre.service.MultipartService;
import fr.coffre.service.ObjectInfo;
import fr.coffre.service.ObjectService;
import fr.coffre.service.PutRequest;
import fr.coffre.service.ReadConditions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant console's buckets, objects and uploads. Each call is authorized with the IAM action
 * its S3 equivalent uses, so a user's policies and bucket policies apply unchanged.
 */
final class StorageApi {
  /** The largest single upload through the console, as for an S3 PUT. */
  static final long MAX_PUT = 5L * 1024 * 1024 * 1024;

  /**
   * The largest file sent in one request ({@code PUT /object}); larger ones go as multipart
   * uploads, as the console's page does (docs/console.md).
   */
  static final long MAX_SINGLE_PUT = 8L * 1024 * 1024;

  /** The largest refused upload whose body is read to its end before the 413 (see discardBody). */
  static final long DISCARD_AT_MOST = 64L * 1024 * 1024;

  private final ConsoleServices s;

  StorageApi(ConsoleServices s) {
    this.s = s;
  }

  /** Routes {@code /api/buckets...}; null when the path names nothing here. */
  Call route(String method, List<String> p) {
    if (p.size() == 1) {
      return switch (method) {
        case "GET" -> new Call("ListBuckets", null, null, false, (who, in) -> listBuckets(who, in));
        case "POST" ->
            new Call("CreateBucket", null, null, true, (who, in) -> createBucket(who, in));
        default -> null;
      };
    }
    String bucket = p.get(1);
    if (p.size() == 2) {
      return method.equals("DELETE")
          ? new Call(
              "DeleteBucket",
              bucket,
              null,
              true,
              (who, in) -> {
                BucketName b = new BucketName(bucket);
                authorize(who, in, "s3:DeleteBucket", b, null);
                s.buckets().delete(b);
                return Reply.noContent();
              })
          : null;
    }
    String what = p.get(2);
    if (p.size() == 3) {
      return switch (method + " " + what) {
        case "GET objects" ->
            new Call("ListObjects", bucket, null, false, (who, in) -> list(who, in, bucket));
        case "GET object" ->
            new Call("HeadObject", bucket, null, false, (who, in) -> describe(who, in, bucket));
        case "GET download" ->
            new Call("GetObject", bucket, null, false, (who, in) -> download(who, in, bucket));
        case "PUT object" ->
            new Call("PutObject", bucket, null, true, (who, in) -> put(who, in, bucket));
        case "DELETE object" ->
            new Call(
                "DeleteObject",
                bucket,
                null,
                true,
                (who, in) -> {
                  BucketName b = new BucketName(bucket);
                  String key = key(in);
                  authorize(who, in, "s3:DeleteObject", b, key);
                  s.objects().delete(b, new ObjectKey(key));
                  return Reply.noContent();
                });
        case "POST uploads" ->
            new Call(
                "CreateMultipartUpload",
                bucket,
                null,
                true,
                (who, in) -> createUpload(who, in, bucket));
        default -> null;
      };
    }
    if (!what.equals("uploads")) {
      return null;
    }
    String id = p.get(3);
    if (p.size() == 4) {
      return switch (method) {
        case "GET" ->
            new Call("ListParts", bucket, null, false, (who, in) -> parts(who, in, bucket, id));
        case "DELETE" ->
            new Call(
                "AbortMultipartUpload",
                bucket,
                null,
                true,
                (who, in) -> {
                  BucketName b = new BucketName(bucket);
                  String key = key(in);
                  authorize(who, in, "s3:AbortMultipartUpload", b, key);
                  s.multipart().abort(b, new ObjectKey(key), id);
                  return Reply.noContent();
                });
        default -> null;
      };
    }
    if (p.size() == 5 && p.get(4).equals("complete") && method.equals("POST")) {
      return new Call(
          "CompleteMultipartUpload",
          bucket,
          null,
          true,
          (who, in) -> complete(who, in, bucket, id));
    }
    if (p.size() == 6 && p.get(4).equals("parts") && method.equals("PUT")) {
      return new Call(
          "UploadPart", bucket, null, true, (who, in) -> uploadPart(who, in, bucket, id, p.get(5)));
    }
    return null;
  }

  private Reply listBuckets(Principal who, Call.In in) {
    authorize(who, in, "s3:ListAllMyBuckets", null, null);
    List<Map<String, Object>> out = new ArrayList<>();
    for (BucketRecord b : s.buckets().list(who.tenant())) {
      out.add(bucketJson(b));
    }
    return Reply.ok(Map.of("buckets", out));
  }

  private Map<String, Object> bucketJson(BucketRecord b) {
    Usage usage = s.buckets().usage(b.name());
    BucketEncryption enc = BucketEncryption.of(s.buckets(), s.keys(), b.name());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", b.name().value());
    m.put("created", b.created().toString());
    m.put("class", b.sensitivityClass());
    m.put("encryption", enc.mode());
    m.put("kmsKey", enc.kmsKey());
    m.put("objects", usage.objects());
    m.put("bytes", usage.bytes());
    return m;
  }

  private Reply createBucket(Principal who, Call.In in) throws IOException {
    JsonNode body = in.json();
    String name = text(body, "name");
    if (name == null) {
      throw new InvalidArgumentException("name is required");
    }
    BucketName b = new BucketName(name);
    authorize(who, in, "s3:CreateBucket", b, null);
    BucketRecord created = s.buckets().create(b, s.region(), who.tenant(), text(body, "class"));
    return Reply.created(bucketJson(created));
  }

  private Reply list(Principal who, Call.In in, String bucket) {
    BucketName b = new BucketName(bucket);
    String prefix = orEmpty(in.query("prefix"));
    String delimiter = in.query("delimiter");
    Map<String, List<String>> conditions = new LinkedHashMap<>(in.conditions());
    conditions.put("s3:prefix", List.of(prefix));
    if (delimiter != null) {
      conditions.put("s3:delimiter", List.of(delimiter));
    }
    s.access().authorize(who, "s3:ListBucket", b, null, conditions);
    int max = parseInt(in.query("max"), 1000, 1, 1000);
    String after = in.query("after");
    ListPage page =
        s.objects()
            .list(
                b,
                new ListQuery(
                    prefix,
                    delimiter == null || delimiter.isEmpty() ? null : delimiter,
                    after == null || after.isEmpty() ? null : after,
                    max));
    List<Map<String, Object>> objects = new ArrayList<>();
    for (ObjectRecord o : page.objects()) {
      objects.add(
          Map.of(
              "key",
              o.key().value(),
              "size",
              o.size(),
              "lastModified",
              o.lastModified().toString(),
              "etag",
              o.etag().value()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("prefix", prefix);
    out.put("folders", page.commonPrefixes());
    out.put("objects", objects);
    out.put("next", page.truncated() ? page.last() : null);
    return Reply.ok(out);
  }

  private Reply describe(Principal who, Call.In in, String bucket) {
    BucketName b = new BucketName(bucket);
    String key = key(in);
    authorize(who, in, "s3:GetObject", b, key);
    ObjectInfo info = s.objects().head(b, new ObjectKey(key), ReadConditions.NONE);
    ObjectAttributes a = info.attributes();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", key);
    out.put("size", info.size());
    out.put("lastModified", info.lastModified().toString());
    out.put("etag", info.etag().value());
    out.put("contentType", a.contentType() == null ? "binary/octet-stream" : a.contentType());
    out.put("metadata", a.userMetadata());
    out.put("tags", a.tags());
    out.put("encryption", info.kmsKeyArn() == null ? "SSE-S3" : "SSE-KMS");
    out.put("kmsKey", info.kmsKeyArn());
    return Reply.ok(out);
  }

  private Reply download(Principal who, Call.In in, String bucket) {
    BucketName b = new BucketName(bucket);
    String key = key(in);
    authorize(who, in, "s3:GetObject", b, key);
    ObjectService.OpenObject open =
        s.objects().get(b, new ObjectKey(key), ReadConditions.NONE, null, false, null);
    String type = open.info().attributes().contentType();
    return Reply.download(
        open.content(),
        open.info().size(),
        type == null ? "application/octet-stream" : type,
        fileName(key));
  }

  private Reply put(Principal who, Call.In in, String bucket) throws BadBody {
    BucketName b = new BucketName(bucket);
    String key = key(in);
    authorize(who, in, "s3:PutObject", b, key);
    long length = parseLength(in.header("content-length"));
    if (length > MAX_SINGLE_PUT) {
      discardBody(in, length);
      throw new BadBody(
          413,
          "EntityTooLarge",
          "one upload request carries at most 8 MiB ("
              + MAX_SINGLE_PUT
              + " bytes); send larger files as a multipart upload (POST /api/buckets/{bucket}/uploads)");
    }
    ObjectInfo info =
        s.objects()
            .put(
                b,
                new ObjectKey(key),
                in.body(),
                new PutRequest(
                    attributes(in.header("content-type")),
                    null,
                    WriteCondition.NONE,
                    null,
                    null,
                    kmsKey(b)));
    return Reply.ok(Map.of("etag", info.etag().value()));
  }

  /**
   * Reads and drops a refused body of a size a browser may well send, so that the client, still
   * sending when the refusal is written, reads the 413 rather than a connection reset. A larger
   * body is not read: the connection is closed on it.
   */
  private static void discardBody(Call.In in, long length) {
    if (length > DISCARD_AT_MOST) {
      return;
    }
    try (InputStream body = in.body()) {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The client went away; the refusal is still the answer.
    }
  }

  private Reply createUpload(Principal who, Call.In in, String bucket) throws IOException {
    BucketName b = new BucketName(bucket);
    String key = key(in);
    authorize(who, in, "s3:PutObject", b, key);
    String id =
        s.multipart()
            .create(
                b, new ObjectKey(key), attributes(text(in.json(), "contentType")), null, kmsKey(b));
    return Reply.ok(Map.of("uploadId", id));
  }

  private Reply parts(Principal who, Call.In in, String bucket, String id) {
    BucketName b = new BucketName(bucket);
    String key = key(in);
    authorize(who, in, "s3:ListMultipartUploadParts", b, key);
    List<Map<String, Object>> parts = new ArrayList<>();
    for (PartRecord part : s.multipart().parts(b, new ObjectKey(key), id, 0, 10_000)) {
      parts.add(
          Map.of(
              "number",
              part.partNumber(),
              "size",
              part.blob().size(),
              "etag",
              part.etag().value()));
    }
    return Reply.ok(Map.of("parts", parts));
  }

  private Reply uploadPart(Principal who, Call.In in, String bucket, String id, String number) {
    BucketName b = new BucketName(bucket);
    String key = key(in);
    authorize(who, in, "s3:PutObject", b, key);
    int n = parseInt(number, -1, 1, 10_000);
    if (n < 0) {
      throw new InvalidArgumentException("a part number is between 1 and 10000");
    }
    if (parseLength(in.header("content-length")) > MAX_PUT) {
      throw new EntityTooLargeException(MAX_PUT);
    }
    var etag = s.multipart().uploadPart(b, new ObjectKey(key), id, n, in.body(), null, null, null);
    return Reply.ok(Map.of("etag", etag.value()));
  }

  private Reply complete(Principal who, Call.In in, String bucket, String id) throws IOException {
    BucketName b = new BucketName(bucket);
    String key = key(in);
    authorize(who, in, "s3:PutObject", b, key);
    List<MultipartService.CompletedPart> parts = new ArrayList<>();
    for (JsonNode part : in.json().path("parts")) {
      parts.add(
          new MultipartService.CompletedPart(
              part.path("number").asInt(-1), part.path("etag").asText("")));
    }
    if (parts.isEmpty()) {
      throw new InvalidArgumentException("parts is required");
    }
    ObjectInfo info =
        s.multipart()
            .complete(
                b,
                new ObjectKey(key),
                id,
                parts,
                WriteCondition.NONE,
                (chosen, done) -> chosen,
                null,
                null);
    return Reply.ok(Map.of("etag", info.etag().value()));
  }

  /** The KMS key the bucket's default encryption names, or null for SSE-S3. */
  private String kmsKey(BucketName b) {
    return BucketEncryption.of(s.buckets(), s.keys(), b).kmsKey();
  }

  private void authorize(Principal who, Call.In in, String action, BucketName bucket, String key) {
    s.access().authorize(who, action, bucket, key, in.conditions());
  }

  static String key(Call.In in) {
    String key = in.query("key");
    if (key == null || key.isEmpty()) {
      throw new InvalidArgumentException("key is required");
    }
    return key;
  }

  private static ObjectAttributes attributes(String contentType) {
    String type = contentType == null || contentType.isBlank() ? null : contentType.strip();
    return new ObjectAttributes(type, null, null, null, null, null, Map.of());
  }

  static String fileName(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    return name.isEmpty() ? "download" : name;
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  static int parseInt(String value, int fallback, int min, int max) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      return n < min || n > max ? fallback : n;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static long parseLength(String value) {
    if (value == null) {
      throw new InvalidArgumentException("Content-Length is required");
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("Content-Length is not a number");
    }
  }
}
