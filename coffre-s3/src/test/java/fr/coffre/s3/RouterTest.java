package fr.coffre.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  @Test
  void route_plainRequests_mapToActions() {
    assertThat(Router.route("GET", null, null, Map.of(), null)).isEqualTo(S3Operation.LIST_BUCKETS);
    assertThat(Router.route("PUT", "b", null, Map.of(), null)).isEqualTo(S3Operation.CREATE_BUCKET);
    assertThat(Router.route("GET", "b", null, Map.of("list-type", "2"), null))
        .isEqualTo(S3Operation.LIST_OBJECTS_V2);
    assertThat(Router.route("GET", "b", null, Map.of(), null)).isEqualTo(S3Operation.LIST_OBJECTS);
    assertThat(Router.route("GET", "b", null, Map.of("location", ""), null))
        .isEqualTo(S3Operation.GET_BUCKET_LOCATION);
    assertThat(Router.route("POST", "b", null, Map.of("delete", ""), null))
        .isEqualTo(S3Operation.DELETE_OBJECTS);
    assertThat(Router.route("PUT", "b", "k", Map.of(), "/a/b")).isEqualTo(S3Operation.COPY_OBJECT);
    assertThat(Router.route("PUT", "b", "k", Map.of("x-id", "PutObject"), null))
        .isEqualTo(S3Operation.PUT_OBJECT);
    assertThat(Router.route("GET", "b", null, Map.of("policy", ""), null))
        .isEqualTo(S3Operation.GET_BUCKET_POLICY);
    assertThat(Router.route("GET", "b", null, Map.of("policyStatus", ""), null))
        .isEqualTo(S3Operation.GET_BUCKET_POLICY_STATUS);
    assertThat(Router.route("PUT", "b", null, Map.of("ownershipControls", ""), null))
        .isEqualTo(S3Operation.PUT_BUCKET_OWNERSHIP_CONTROLS);
    assertThat(Router.route("DELETE", "b", null, Map.of("ownershipControls", ""), null))
        .isEqualTo(S3Operation.DELETE_BUCKET_OWNERSHIP_CONTROLS);
    assertThat(Router.route("GET", "b", null, Map.of("publicAccessBlock", ""), null))
        .isEqualTo(S3Operation.GET_PUBLIC_ACCESS_BLOCK);
    assertThat(Router.route("PUT", "b", null, Map.of("publicAccessBlock", ""), null))
        .isEqualTo(S3Operation.PUT_PUBLIC_ACCESS_BLOCK);
    assertThat(Router.route("PUT", "b", null, Map.of("policy", ""), null))
        .isEqualTo(S3Operation.PUT_BUCKET_POLICY);
    assertThat(Router.route("DELETE", "b", null, Map.of("policy", ""), null))
        .isEqualTo(S3Operation.DELETE_BUCKET_POLICY);
  }

  @Test
  void route_lifecycle_getPutDelete() {
    assertThat(Router.route("GET", "b", null, Map.of("lifecycle", ""), null))
        .isEqualTo(S3Operation.GET_BUCKET_LIFECYCLE_CONFIGURATION);
    assertThat(Router.route("PUT", "b", null, Map.of("lifecycle", ""), null))
        .isEqualTo(S3Operation.PUT_BUCKET_LIFECYCLE_CONFIGURATION);
    assertThat(Router.route("DELETE", "b", null, Map.of("lifecycle", ""), null))
        .isEqualTo(S3Operation.DELETE_BUCKET_LIFECYCLE);
    assertThat(S3Operation.DELETE_BUCKET_LIFECYCLE.iamAction())
        .isEqualTo("s3:PutLifecycleConfiguration");
  }

  @Test
  void route_unimplementedSubresource_isNotImplemented() {
    assertThat(Router.route("PUT", "b", null, Map.of("replication", ""), null))
        .isEqualTo(S3Operation.NOT_IMPLEMENTED);
    assertThat(Router.route("GET", "b", null, Map.of("website", ""), null))
        .isEqualTo(S3Operation.NOT_IMPLEMENTED);
    assertThat(Router.route("POST", "b", null, Map.of(), null, "application/xml"))
        .isEqualTo(S3Operation.NOT_IMPLEMENTED);
  }

  @Test
  void route_versionsAndObjectLock_mapByMethod() {
    assertThat(Router.route("GET", "b", "k", Map.of("versionId", "3"), null))
        .isEqualTo(S3Operation.GET_OBJECT);
    assertThat(Router.route("DELETE", "b", "k", Map.of("versionId", "3"), null))
        .isEqualTo(S3Operation.DELETE_OBJECT);
    assertThat(Router.route("PUT", "b", "k", Map.of("retention", ""), null))
        .isEqualTo(S3Operation.PUT_OBJECT_RETENTION);
    assertThat(Router.route("GET", "b", "k", Map.of("legal-hold", ""), null))
        .isEqualTo(S3Operation.GET_OBJECT_LEGAL_HOLD);
    assertThat(Router.route("PUT", "b", null, Map.of("object-lock", ""), null))
        .isEqualTo(S3Operation.PUT_OBJECT_LOCK_CONFIGURATION);
    assertThat(Router.route("GET", "b", null, Map.of("versions", ""), null))
        .isEqualTo(S3Operation.LIST_OBJECT_VERSIONS);
  }

  @Test
  void route_configurationSubresources_mapByMethod() {
    assertThat(Router.route("PUT", "b", "k", Map.of("tagging", ""), null))
        .isEqualTo(S3Operation.PUT_OBJECT_TAGGING);
    assertThat(Router.route("GET", "b", "k", Map.of("tagging", ""), null))
        .isEqualTo(S3Operation.GET_OBJECT_TAGGING);
    assertThat(Router.route("DELETE", "b", null, Map.of("tagging", ""), null))
        .isEqualTo(S3Operation.DELETE_BUCKET_TAGGING);
    assertThat(Router.route("PUT", "b", null, Map.of("cors", ""), null))
        .isEqualTo(S3Operation.PUT_BUCKET_CORS);
    assertThat(Router.route("PUT", "b", null, Map.of("notification", ""), null))
        .isEqualTo(S3Operation.PUT_BUCKET_NOTIFICATION);
    assertThat(Router.route("GET", "b", null, Map.of("notification", ""), null))
        .isEqualTo(S3Operation.GET_BUCKET_NOTIFICATION);
    assertThat(Router.route("PUT", "b", null, Map.of("logging", ""), null))
        .isEqualTo(S3Operation.PUT_BUCKET_LOGGING);
    assertThat(Router.route("GET", "b", null, Map.of("logging", ""), null))
        .isEqualTo(S3Operation.GET_BUCKET_LOGGING);
    assertThat(Router.route("GET", "b", null, Map.of("versioning", ""), null))
        .isEqualTo(S3Operation.GET_BUCKET_VERSIONING);
    assertThat(Router.route("GET", "b", null, Map.of("versions", ""), null))
        .isEqualTo(S3Operation.LIST_OBJECT_VERSIONS);
    assertThat(Router.route("GET", "b", "k", Map.of("attributes", ""), null))
        .isEqualTo(S3Operation.GET_OBJECT_ATTRIBUTES);
    assertThat(Router.route("GET", "b", "k", Map.of("partNumber", "1"), null))
        .isEqualTo(S3Operation.GET_OBJECT);
    assertThat(Router.route("DELETE", "b", "k", Map.of("versionId", "null"), null))
        .isEqualTo(S3Operation.DELETE_OBJECT);
    assertThat(Router.route("OPTIONS", "b", "k", Map.of(), null)).isEqualTo(S3Operation.PREFLIGHT);
    assertThat(Router.route("POST", "b", null, Map.of(), null, "multipart/form-data; boundary=x"))
        .isEqualTo(S3Operation.POST_OBJECT);
    assertThatThrownBy(() -> Router.route("POST", "b", null, Map.of("cors", ""), null))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.METHOD_NOT_ALLOWED));
  }

  @Test
  void route_multipartSubresources_mapToMultipartActions() {
    assertThat(Router.route("POST", "b", "k", Map.of("uploads", ""), null))
        .isEqualTo(S3Operation.CREATE_MULTIPART_UPLOAD);
    assertThat(Router.route("PUT", "b", "k", Map.of("uploadId", "u", "partNumber", "1"), null))
        .isEqualTo(S3Operation.UPLOAD_PART);
    assertThat(Router.route("PUT", "b", "k", Map.of("uploadId", "u", "partNumber", "1"), "/s/k"))
        .isEqualTo(S3Operation.UPLOAD_PART_COPY);
    assertThat(Router.route("POST", "b", "k", Map.of("uploadId", "u"), null))
        .isEqualTo(S3Operation.COMPLETE_MULTIPART_UPLOAD);
    assertThat(Router.route("DELETE", "b", "k", Map.of("uploadId", "u"), null))
        .isEqualTo(S3Operation.ABORT_MULTIPART_UPLOAD);
    assertThat(Router.route("GET", "b", "k", Map.of("uploadId", "u"), null))
        .isEqualTo(S3Operation.LIST_PARTS);
    assertThat(Router.route("GET", "b", null, Map.of("uploads", ""), null))
        .isEqualTo(S3Operation.LIST_MULTIPART_UPLOADS);
  }

  @Test
  void route_unknownMethod_isMethodNotAllowed() {
    assertThatThrownBy(() -> Router.route("PATCH", "b", "k", Map.of(), null))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.METHOD_NOT_ALLOWED));
  }
}
