package fr.coffre.s3.query;

import static fr.coffre.s3.query.QueryXml.el;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.InvalidArgumentException;
import fr.coffre.s3.RawRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class QueryFormatsTest {
  private static RawRequest post(String path, String query, String contentType) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (contentType != null) {
      headers.put("Content-Type", List.of(contentType));
    }
    return new RawRequest("POST", path, query, headers, false);
  }

  @Test
  void handles_onlyFormPostsToTheRoot() {
    assertThat(
            QueryApi.handles(post("/", null, "application/x-www-form-urlencoded; charset=utf-8")))
        .isTrue();
    assertThat(QueryApi.handles(post("/bucket", null, "application/x-www-form-urlencoded")))
        .isFalse();
    assertThat(QueryApi.handles(post("/", "delete", "application/x-www-form-urlencoded")))
        .isFalse();
    assertThat(QueryApi.handles(post("/", null, "multipart/form-data; boundary=x"))).isFalse();
    assertThat(QueryApi.handles(post("/", null, null))).isFalse();
  }

  @Test
  void decode_plusAndPercent_firstValueWins_badEncodingRefused() {
    Map<String, String> form =
        QueryApi.decode(
            "Action=PutUserPolicy&PolicyDocument=%7B%22a%22%3A+1%7D&UserName=bob&UserName=eve&Flag");
    assertThat(form)
        .containsEntry("Action", "PutUserPolicy")
        .containsEntry("PolicyDocument", "{\"a\": 1}")
        .containsEntry("UserName", "bob")
        .containsEntry("Flag", "");
    assertThatThrownBy(() -> QueryApi.decode("Action=%ZZ"))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void xml_responseAndErrorInTheAwsShape_textEscaped() {
    String ok =
        new String(
            QueryXml.response(
                QueryXml.IAM_NS,
                "ListUsers",
                el(
                    "ListUsersResult",
                    QueryXml.members("Users", List.of(el("User", el("UserName", "a<b&c")))),
                    el("IsTruncated", "false")),
                "req-1"),
            StandardCharsets.UTF_8);
    assertThat(ok)
        .contains("<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">")
        .contains(
            "<ListUsersResult><Users><member><UserName>a&lt;b&amp;c</UserName></member></Users>")
        .contains("<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>");
    String error =
        new String(
            QueryXml.error(QueryXml.STS_NS, "AccessDenied", "no", true, "req-2"),
            StandardCharsets.UTF_8);
    assertThat(error)
        .contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains(
            "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error>")
        .contains("<RequestId>req-2</RequestId>");
  }
}
