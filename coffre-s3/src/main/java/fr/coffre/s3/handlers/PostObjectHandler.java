package fr.coffre.s3.handlers;

import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectChecksum;
import fr.coffre.core.ObjectKey;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumInputStream;
import fr.coffre.s3.post.LengthRange;
import fr.coffre.s3.post.PostForm;
import fr.coffre.s3.post.PostPolicy;
import fr.coffre.s3.post.PostSignature;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.Documents;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.AclRequest;
import fr.coffre.service.ObjectInfo;
import fr.coffre.service.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * PostObject: a browser form upload. The form's signed policy is checked (signature, expiry,
 * conditions, no unsigned extra field) before the file is read; the file streams into a new object
 * held to the policy's length range; the answer follows success_action_redirect or
 * success_action_status as S3 does.
 */
public final class PostObjectHandler implements S3Action {
  private final ApiContext ctx;

  public PostObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    PostForm form = PostForm.read(request.body(), request.header("content-type"));
    Map<String, String> fields = form.fields();
    String signer = PostSignature.verify(fields, ctx.credentials());
    S3Request signed = request.withPrincipal(ctx.access().principal(signer), signer);
    PostPolicy policy = PostPolicy.parse(fields.get("policy"));
    String keyField = fields.get("key");
    if (keyField == null || keyField.isEmpty()) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "Bucket POST must contain a field named 'key'.")
          .with("ArgumentName", "key");
    }
    // The policy's conditions apply to the key the object gets, ${filename} replaced.
    String keyName = keyField.replace("${filename}", form.fileName());
    Map<String, String> checked = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    checked.putAll(fields);
    checked.put("key", keyName);
    policy.check(checked, request.bucket(), ctx.objects().now());
    ObjectKey key = new ObjectKey(keyName);
    ctx.access().authorizeKey(signed, "s3:PutObject", keyName);
    for (String f : fields.keySet()) {
      if (f.startsWith("x-amz-server-side-encryption-customer-")) {
        throw new S3Exception(
            S3Error.NOT_IMPLEMENTED, "SSE-C is not available for browser uploads yet");
      }
    }
    String acl = fields.get("acl");
    AclRequest aclRequest;
    try {
      aclRequest = acl == null ? null : AclRequest.canned(acl.strip());
    } catch (InvalidArgumentException e) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, e.getMessage());
    }
    String sse = fields.get("x-amz-server-side-encryption");
    if (sse != null && !sse.equals("AES256") && !sse.equals(ServerSideEncryption.KMS)) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "The encryption method specified is not supported")
          .with("ArgumentName", "x-amz-server-side-encryption")
          .with("ArgumentValue", sse);
    }
    if (fields.get(ServerSideEncryption.KMS_KEY_ID) != null
        && !ServerSideEncryption.KMS.equals(sse)) {
      throw new S3Exception(
          S3Error.INVALID_ARGUMENT,
          "Server Side Encryption with AWS KMS managed key requires x-amz-server-side-encryption: aws:kms");
    }
    String kmsKey = ServerSideEncryption.kmsKeyFor(fields::get, ctx, bucket);
    ObjectAttributes attributes = attributes(fields);
    long max = Math.min(policy.maxLength(), PutObjectHandler.MAX_SIZE);
    InputStream body = new LengthRange(form.file(), policy.minLength(), max);
    ChecksumInputStream verified = checksum(fields, body);
    ObjectInfo info =
        ctx.objects()
            .put(
                bucket,
                key,
                verified == null ? body : verified,
                new PutRequest(
                        attributes,
                        null,
                        null,
                        () ->
                            verified == null
                                ? null
                                : verified
                                    .verifiedValue()
                                    .map(
                                        v ->
                                            ObjectChecksum.fullObject(
                                                v.algorithm().awsName(), v.base64()))
                                    .orElse(null),
                        null,
                        kmsKey,
                        ObjectLockHeaders.requested(fields::get))
                    .withAcl(ctx.acls().forNewObject(bucket, signed.principal(), aclRequest)));
    new NotificationRules(ctx).created(request, signed.principal(), bucket, key, "Post", info);
    S3Response response = answer(request, fields, key.value(), info);
    ObjectLockHeaders.versionId(response, info);
    return response.auditAs(signed.principal(), keyName);
  }

  /** A checksum field ({@code x-amz-checksum-sha256}, ...) verifies the file as it streams. */
  private static ChecksumInputStream checksum(Map<String, String> fields, InputStream body) {
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      String value = fields.get(a.headerName());
      if (value != null) {
        return new ChecksumInputStream(body, a, value);
      }
    }
    return null;
  }

  private static ObjectAttributes attributes(Map<String, String> fields) {
    Map<String, String> meta = new TreeMap<>();
    fields.forEach(
        (name, value) -> {
          if (name.startsWith(ObjectHeaders.META) && name.length() > ObjectHeaders.META.length()) {
            meta.put(name.substring(ObjectHeaders.META.length()), value);
          }
        });
    ObjectAttributes a =
        new ObjectAttributes(
            fields.get("content-type"),
            fields.get("content-encoding"),
            fields.get("content-disposition"),
            null,
            fields.get("cache-control"),
            fields.get("expires"),
            meta);
    String tagging = fields.get("tagging");
    if (tagging != null && !tagging.isBlank()) {
      var doc =
          S3Xml.read(
              new ByteArrayInputStream(tagging.getBytes(StandardCharsets.UTF_8)),
              ConfigDocuments.Tagging.class);
      a = a.withTags(Tags.fromDocument(doc, Tags.MAX_OBJECT_TAGS));
    }
    return a;
  }

  private static S3Response answer(
      S3Request request, Map<String, String> fields, String key, ObjectInfo info) {
    String location =
        "/"
            + request.bucket()
            + "/"
            + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    String redirect = fields.get("success_action_redirect");
    if (redirect == null) {
      redirect = fields.get("redirect");
    }
    if (redirect != null && !redirect.isBlank()) {
      String target =
          redirect
              + (redirect.contains("?") ? "&" : "?")
              + "bucket="
              + URLEncoder.encode(request.bucket(), StandardCharsets.UTF_8)
              + "&key="
              + URLEncoder.encode(key, StandardCharsets.UTF_8)
              + "&etag="
              + URLEncoder.encode(info.etag().quoted(), StandardCharsets.UTF_8);
      return S3Response.status(303).header("Location", target).header("ETag", info.etag().quoted());
    }
    String status = fields.getOrDefault("success_action_status", "204");
    return switch (status) {
      case "200" ->
          S3Response.ok().header("ETag", info.etag().quoted()).header("Location", location);
      case "201" ->
          S3Response.xml(
                  201,
                  new Documents.PostResponse(location, request.bucket(), key, info.etag().quoted()))
              .header("ETag", info.etag().quoted())
              .header("Location", location);
      default ->
          S3Response.status(204).header("ETag", info.etag().quoted()).header("Location", location);
    };
  }
}
