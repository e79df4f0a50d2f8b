package fr.coffre.s3;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides which S3 action a request is, from its method, whether it names a bucket and a key, its
 * sub-resource query parameters and a few headers. Sub-resources Coffre does not implement yet
 * route to NOT_IMPLEMENTED so that no client ever gets a wrong success.
 */
final class Router {
  /** {@code GET /?coffre-audit}: the caller's tenant's audit trail. */
  static final String AUDIT_QUERY = "coffre-audit";

  // Sub-resources of AWS S3 that select another action than the plain one; any of them on a
  // request means "not the plain object/bucket action".
  private static final Set<String> SUBRESOURCES =
      Set.of(
          "accelerate",
          "acl",
          "analytics",
          "attributes",
          "cors",
          "encryption",
          "intelligent-tiering",
          "inventory",
          "legal-hold",
          "lifecycle",
          "logging",
          "metadataTable",
          "metrics",
          "notification",
          "object-lock",
          "ownershipControls",
          "policy",
          "policyStatus",
          "publicAccessBlock",
          "replication",
          "requestPayment",
          "restore",
          "retention",
          "select",
          "session",
          "tagging",
          "torrent",
          "uploadId",
          "uploads",
          "versioning",
          "versions",
          "website",
          "renameObject");

  private Router() {}

  /** S3 Control's path of the account-level Block Public Access. */
  static final String ACCOUNT_BLOCK_PATH = "v20180820/configuration/publicAccessBlock";

  /**
   * The S3 Control action a request is, or null. S3 Control requests name the account in the {@code
   * x-amz-account-id} header and go to {@code /v20180820/configuration/publicAccessBlock} (path
   * style: read as bucket {@code v20180820}; with the SDK's account host prefix and a virtual-host
   * domain: bucket = the account id). Only the account-level Block Public Access is served.
   */
  static @Nullable S3Operation accountControl(
      String method, @Nullable String bucket, @Nullable String key, @Nullable String accountId) {
    if (accountId == null || bucket == null || key == null) {
      return null;
    }
    String path = bucket + "/" + key;
    if (!path.equals(ACCOUNT_BLOCK_PATH) && !path.equals(accountId + "/" + ACCOUNT_BLOCK_PATH)) {
      return null;
    }
    return switch (method) {
      case "GET" -> S3Operation.GET_ACCOUNT_PUBLIC_ACCESS_BLOCK;
      case "PUT" -> S3Operation.PUT_ACCOUNT_PUBLIC_ACCESS_BLOCK;
      case "DELETE" -> S3Operation.DELETE_ACCOUNT_PUBLIC_ACCESS_BLOCK;
      default -> notAllowed();
    };
  }

  static S3Operation route(
      String method, String bucket, String key, Map<String, String> query, String copySource) {
    return route(method, bucket, key, query, copySource, null);
  }

  /**
   * @param contentType the request's Content-Type, which tells a browser form upload (POST
   *     multipart/form-data on the bucket) from other POSTs
   */
  static S3Operation route(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      String copySource,
      String contentType) {
    if (method.equals("OPTIONS") && bucket != null) {
      return S3Operation.PREFLIGHT;
    }
    S3Operation multipart = multipart(method, bucket, key, query, copySource);
    if (multipart != null) {
      return multipart;
    }
    if (bucket == null && method.equals("GET") && query.containsKey(AUDIT_QUERY)) {
      return S3Operation.EXPORT_AUDIT_TRAIL;
    }
    S3Operation configuration = subresource(method, bucket, key, query);
    if (configuration != null) {
      return configuration;
    }
    for (String sub : SUBRESOURCES) {
      if (query.containsKey(sub)) {
        return S3Operation.NOT_IMPLEMENTED;
      }
    }
    if (bucket == null) {
      return method.equals("GET") ? S3Operation.LIST_BUCKETS : notAllowed();
    }
    if (key == null) {
      return switch (method) {
        case "GET" -> {
          if (query.containsKey("location")) {
            yield S3Operation.GET_BUCKET_LOCATION;
          }
          yield "2".equals(query.get("list-type"))
              ? S3Operation.LIST_OBJECTS_V2
              : S3Operation.LIST_OBJECTS;
        }
        case "PUT" -> S3Operation.CREATE_BUCKET;
        case "HEAD" -> S3Operation.HEAD_BUCKET;
        case "DELETE" -> S3Operation.DELETE_BUCKET;
        case "POST" -> {
          if (query.containsKey("delete")) {
            yield S3Operation.DELETE_OBJECTS;
          }
          yield contentType != null
                  && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
              ? S3Operation.POST_OBJECT
              : S3Operation.NOT_IMPLEMENTED;
        }
        default -> notAllowed();
      };
    }
    return switch (method) {
      case "GET" -> S3Operation.GET_OBJECT;
      case "HEAD" -> S3Operation.HEAD_OBJECT;
      case "PUT" -> copySource != null ? S3Operation.COPY_OBJECT : S3Operation.PUT_OBJECT;
      case "DELETE" -> S3Operation.DELETE_OBJECT;
      case "POST" -> S3Operation.NOT_IMPLEMENTED;
      default -> notAllowed();
    };
  }

  /**
   * The configuration sub-resources Coffre serves ({@code ?tagging}, {@code ?cors}, ...), by
   * method; null when none of them is asked.
   */
  private static S3Operation subresource(
      String method, String bucket, String key, Map<String, String> query) {
    if (bucket == null) {
      return null;
    }
    if (key != null) {
      if (query.containsKey("tagging")) {
        return pick(
            method,
            S3Operation.GET_OBJECT_TAGGING,
            S3Operation.PUT_OBJECT_TAGGING,
            S3Operation.DELETE_OBJECT_TAGGING);
      }
      if (query.containsKey("acl")) {
        return pick(method, S3Operation.GET_OBJECT_ACL, S3Operation.PUT_OBJECT_ACL, null);
      }
      if (query.containsKey("attributes")) {
        return pick(method, S3Operation.GET_OBJECT_ATTRIBUTES, null, null);
      }
      if (query.containsKey("retention")) {
        return pick(
            method, S3Operation.GET_OBJECT_RETENTION, S3Operation.PUT_OBJECT_RETENTION, null);
      }
      if (query.containsKey("legal-hold")) {
        return pick(
            method, S3Operation.GET_OBJECT_LEGAL_HOLD, S3Operation.PUT_OBJECT_LEGAL_HOLD, null);
      }
      return null;
    }
    if (query.containsKey("tagging")) {
      return pick(
          method,
          S3Operation.GET_BUCKET_TAGGING,
          S3Operation.PUT_BUCKET_TAGGING,
          S3Operation.DELETE_BUCKET_TAGGING);
    }
    if (query.containsKey("cors")) {
      return pick(
          method,
          S3Operation.GET_BUCKET_CORS,
          S3Operation.PUT_BUCKET_CORS,
          S3Operation.DELETE_BUCKET_CORS);
    }
    if (query.containsKey("logging")) {
      return pick(method, S3Operation.GET_BUCKET_LOGGING, S3Operation.PUT_BUCKET_LOGGING, null);
    }
    if (query.containsKey("notification")) {
      return pick(
          method, S3Operation.GET_BUCKET_NOTIFICATION, S3Operation.PUT_BUCKET_NOTIFICATION, null);
    }
    if (query.containsKey("acl")) {
      return pick(method, S3Operation.GET_BUCKET_ACL, S3Operation.PUT_BUCKET_ACL, null);
    }
    if (query.containsKey("ownershipControls")) {
      return pick(
          method,
          S3Operation.GET_BUCKET_OWNERSHIP_CONTROLS,
          S3Operation.PUT_BUCKET_OWNERSHIP_CONTROLS,
          S3Operation.DELETE_BUCKET_OWNERSHIP_CONTROLS);
    }
    if (query.containsKey("publicAccessBlock")) {
      return pick(
          method,
          S3Operation.GET_PUBLIC_ACCESS_BLOCK,
          S3Operation.PUT_PUBLIC_ACCESS_BLOCK,
          S3Operation.DELETE_PUBLIC_ACCESS_BLOCK);
    }
    if (query.containsKey("policyStatus")) {
      return pick(method, S3Operation.GET_BUCKET_POLICY_STATUS, null, null);
    }
    if (query.containsKey("versioning")) {
      return pick(
          method, S3Operation.GET_BUCKET_VERSIONING, S3Operation.PUT_BUCKET_VERSIONING, null);
    }
    if (query.containsKey("encryption")) {
      return pick(
          method,
          S3Operation.GET_BUCKET_ENCRYPTION,
          S3Operation.PUT_BUCKET_ENCRYPTION,
          S3Operation.DELETE_BUCKET_ENCRYPTION);
    }
    if (query.containsKey("object-lock")) {
      return pick(
          method,
          S3Operation.GET_OBJECT_LOCK_CONFIGURATION,
          S3Operation.PUT_OBJECT_LOCK_CONFIGURATION,
          null);
    }
    if (query.containsKey("versions")) {
      return pick(method, S3Operation.LIST_OBJECT_VERSIONS, null, null);
    }
    if (query.containsKey("lifecycle")) {
      return pick(
          method,
          S3Operation.GET_BUCKET_LIFECYCLE_CONFIGURATION,
          S3Operation.PUT_BUCKET_LIFECYCLE_CONFIGURATION,
          S3Operation.DELETE_BUCKET_LIFECYCLE);
    }
    if (query.containsKey("policy")) {
      return pick(
          method,
          S3Operation.GET_BUCKET_POLICY,
          S3Operation.PUT_BUCKET_POLICY,
          S3Operation.DELETE_BUCKET_POLICY);
    }
    return null;
  }

  private static S3Operation pick(
      String method, S3Operation get, S3Operation put, S3Operation delete) {
    S3Operation op =
        switch (method) {
          case "GET" -> get;
          case "PUT" -> put;
          case "DELETE" -> delete;
          default -> null;
        };
    return op != null ? op : notAllowed();
  }

  /**
   * The multipart actions, recognised by their uploads / uploadId sub-resources; null otherwise.
   */
  private static S3Operation multipart(
      String method, String bucket, String key, Map<String, String> query, String copySource) {
    if (bucket == null) {
      return null;
    }
    if (key == null) {
      return method.equals("GET")
              && query.containsKey("uploads")
              && query.size() == countListUploadsParams(query)
          ? S3Operation.LIST_MULTIPART_UPLOADS
          : null;
    }
    boolean uploadId = query.containsKey("uploadId");
    return switch (method) {
      case "POST" ->
          query.containsKey("uploads")
              ? S3Operation.CREATE_MULTIPART_UPLOAD
              : uploadId ? S3Operation.COMPLETE_MULTIPART_UPLOAD : null;
      case "PUT" ->
          uploadId && query.containsKey("partNumber")
              ? (copySource != null ? S3Operation.UPLOAD_PART_COPY : S3Operation.UPLOAD_PART)
              : null;
      case "GET" -> uploadId ? S3Operation.LIST_PARTS : null;
      case "DELETE" -> uploadId ? S3Operation.ABORT_MULTIPART_UPLOAD : null;
      default -> null;
    };
  }

  // ListMultipartUploads parameters: anything else (another sub-resource) is not this action.
  private static final Set<String> LIST_UPLOADS_PARAMS =
      Set.of(
          "uploads",
          "prefix",
          "delimiter",
          "key-marker",
          "upload-id-marker",
          "max-uploads",
          "encoding-type",
          "x-id");

  private static int countListUploadsParams(Map<String, String> query) {
    int n = 0;
    for (String k : query.keySet()) {
      if (LIST_UPLOADS_PARAMS.contains(k)) {
        n++;
      }
    }
    return n;
  }

  private static S3Operation notAllowed() {
    throw new S3Exception(S3Error.METHOD_NOT_ALLOWED);
  }
}
