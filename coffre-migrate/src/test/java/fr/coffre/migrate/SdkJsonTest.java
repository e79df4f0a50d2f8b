package fr.coffre.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CORSConfiguration;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Type;

class SdkJsonTest {
  @Test
  void cors_roundTrips_withTheApisMemberNames() throws Exception {
    CORSConfiguration cors =
        CORSConfiguration.builder()
            .corsRules(
                CORSRule.builder()
                    .id("web")
                    .allowedOrigins("https://a.example.fr", "https://b.example.fr")
                    .allowedMethods("GET")
                    .exposeHeaders("ETag")
                    .maxAgeSeconds(600)
                    .build())
            .build();
    JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(SdkJson.toJson(cors)));
    assertThat(json.path("CORSRules").get(0).path("AllowedOrigins").get(1).asText())
        .isEqualTo("https://b.example.fr");
    assertThat(json.path("CORSRules").get(0).has("AllowedHeaders")).isFalse();
    assertThat(SdkJson.fromJson(json, CORSConfiguration.builder())).isEqualTo(cors);
  }

  @Test
  void lifecycle_nestedFiltersAndTags_roundTrip() throws Exception {
    BucketLifecycleConfiguration lifecycle =
        BucketLifecycleConfiguration.builder()
            .rules(
                LifecycleRule.builder()
                    .id("logs")
                    .status(ExpirationStatus.ENABLED)
                    .filter(
                        f ->
                            f.and(
                                a ->
                                    a.prefix("logs/")
                                        .tags(Tag.builder().key("k").value("v").build())))
                    .expiration(e -> e.days(30))
                    .noncurrentVersionExpiration(n -> n.noncurrentDays(7))
                    .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(2))
                    .build())
            .build();
    JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(SdkJson.toJson(lifecycle)));
    assertThat(SdkJson.fromJson(json, BucketLifecycleConfiguration.builder())).isEqualTo(lifecycle);
  }

  @Test
  void objectLockAndAcl_roundTrip() throws Exception {
    ObjectLockConfiguration lock =
        ObjectLockConfiguration.builder()
            .objectLockEnabled(ObjectLockEnabled.ENABLED)
            .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.COMPLIANCE).years(1)))
            .build();
    assertThat(SdkJson.fromJson(SdkJson.toJson(lock), ObjectLockConfiguration.builder()))
        .isEqualTo(lock);
    AccessControlPolicy acl =
        AccessControlPolicy.builder()
            .owner(o -> o.id("abc").displayName("me"))
            .grants(
                Grant.builder()
                    .grantee(g -> g.type(Type.CANONICAL_USER).id("abc"))
                    .permission(Permission.FULL_CONTROL)
                    .build(),
                Grant.builder()
                    .grantee(
                        g ->
                            g.type(Type.GROUP)
                                .uri("http://acs.amazonaws.com/groups/global/AllUsers"))
                    .permission(Permission.READ)
                    .build())
            .build();
    assertThat(SdkJson.fromJson(SdkJson.toJson(acl), AccessControlPolicy.builder())).isEqualTo(acl);
  }

  @Test
  void policyRename_rewritesOnlyTheBucketsOwnArns() {
    JsonNode policy =
        Json.MAPPER
            .getNodeFactory()
            .textNode(
                "{\"Resource\":[\"arn:aws:s3:::plain\",\"arn:aws:s3:::plain/*\","
                    + "\"arn:aws:s3:::plainer/*\"]}");
    assertThat(Importer.renamedPolicy(policy, "plain", "copy").asText())
        .isEqualTo(
            "{\"Resource\":[\"arn:aws:s3:::copy\",\"arn:aws:s3:::copy/*\","
                + "\"arn:aws:s3:::plainer/*\"]}");
  }
}
