package fr.coffre.s3;

import java.util.Map;
import java.util.Set;

/**
 * Decides which S3 action a request is, from its method, whether it names a bucket and a key, its
 * sub-resource query parameters and a few headers. Sub-resources Coffre does not implement yet
 * route to NOT_IMPLEMENTED so that no client ever gets a wrong success.
 */
final class Router {
  // Sub-resources of AWS S3 that select another action than the plain one; any of them on a
  // request means "not the plain object/bucket action".
  private static final Set<String> SUBRESOURCES =
      Set.of(
          "accelerate", "acl", "analytics", "attributes", "cors", "encryption",
          "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "logging", "metadataTable",
          "metrics", "notification", "object-lock", "ownershipControls", "partNumber", "policy",
          "policyStatus", "publicAccessBlock", "replication", "requestPayment", "restore",
          "retention", "select", "session", "tagging", "torrent", "uploadId", "uploads",
          "versioning", "versions", "website", "renameObject");

  private Router() {}

  static S3Operation route(String method, String bucket, String key, Map<String, String> query, String copySource) {
    for (String sub : SUBRESOURCES) {
      if (query.containsKey(sub)) {
        return S3Operation.NOT_IMPLEMENTED;
      }
    }
    if (query.containsKey("versionId")) {
      // Coffre keeps one version per key; a versioned read or delete is not served wrongly.
      return S3Operation.NOT_IMPLEMENTED;
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
          yield "2".equals(query.get("list-type")) ? S3Operation.LIST_OBJECTS_V2 : S3Operation.LIST_OBJECTS;
        }
        case "PUT" -> S3Operation.CREATE_BUCKET;
        case "HEAD" -> S3Operation.HEAD_BUCKET;
        case "DELETE" -> S3Operation.DELETE_BUCKET;
        case "POST" -> query.containsKey("delete") ? S3Operation.DELETE_OBJECTS : S3Operation.NOT_IMPLEMENTED;
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

  private static S3Operation notAllowed() {
    throw new S3Exception(S3Error.METHOD_NOT_ALLOWED);
  }
}
