package fr.coffre.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration documents read as AWS clients write them and written as they parse them. */
class ConfigDocumentsTest {
  private static <T> T read(String xml, Class<T> type) {
    return S3Xml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), type);
  }

  @Test
  void tagging_asSdksSendIt_isRead() {
    var t =
        read(
            """
        <Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>
        <Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag>
        </TagSet></Tagging>""",
            ConfigDocuments.Tagging.class);
    assertThat(t.tags()).extracting(ConfigDocuments.Tag::key).containsExactly("a", "b");
    var empty = read("<Tagging><TagSet/></Tagging>", ConfigDocuments.Tagging.class);
    assertThat(empty.tags()).isEmpty();
  }

  @Test
  void tagging_written_readsBack() {
    var t =
        new ConfigDocuments.Tagging(
            new ConfigDocuments.TagSet(List.of(new ConfigDocuments.Tag("k", "v"))));
    String xml = new String(S3Xml.write(t), StandardCharsets.UTF_8);
    assertThat(xml).contains("<TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet>");
    assertThat(read(xml, ConfigDocuments.Tagging.class)).isEqualTo(t);
  }

  @Test
  void cors_withSeveralRules_isRead() {
    var c =
        read(
            """
        <CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>
        <AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>300</MaxAgeSeconds>
        <ExposeHeader>ETag</ExposeHeader></CORSRule>
        <CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>POST</AllowedMethod></CORSRule>
        </CORSConfiguration>""",
            ConfigDocuments.CorsConfiguration.class);
    assertThat(c.rules()).hasSize(2);
    assertThat(c.rules().get(0).allowedMethods()).containsExactly("GET", "PUT");
    assertThat(c.rules().get(0).maxAgeSeconds()).isEqualTo(300);
    assertThat(c.rules().get(1).allowedHeaders()).isNull();
  }

  @Test
  void acl_grantee_carriesTheXsiTypeInItsNamespace() {
    var owner = new Documents.Owner("abc", "root");
    var acl =
        new ConfigDocuments.AccessControlPolicy(
            owner,
            new ConfigDocuments.AccessControlList(
                List.of(
                    new ConfigDocuments.Grant(
                        new ConfigDocuments.Grantee(
                            "http://www.w3.org/2001/XMLSchema-instance",
                            "CanonicalUser",
                            "abc",
                            "root",
                            null,
                            null),
                        "FULL_CONTROL"))));
    String xml = new String(S3Xml.write(acl), StandardCharsets.UTF_8);
    assertThat(xml)
        .contains("xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
        .contains("xsi:type=\"CanonicalUser\"")
        .contains("<AccessControlList><Grant>");
    var back = read(xml, ConfigDocuments.AccessControlPolicy.class);
    assertThat(back.grants())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.permission()).isEqualTo("FULL_CONTROL");
              assertThat(g.grantee().id()).isEqualTo("abc");
            });
  }
}
