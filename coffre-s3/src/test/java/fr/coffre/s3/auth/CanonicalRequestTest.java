package fr.coffre.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalRequestTest {
  private static String query(String raw) {
    return CanonicalRequest.query(CanonicalRequest.parseQuery(raw), false);
  }

  @Test
  void uriCandidates_pathsEscapedDifferently_normalizeToTheAwsEncodingFirst() {
    assertThat(CanonicalRequest.uriCandidates("/test$file.text"))
        .containsExactly("/test%24file.text", "/test$file.text");
    assertThat(CanonicalRequest.uriCandidates("/b/a%7Eb%7e"))
        .containsExactly("/b/a~b~", "/b/a%7Eb%7e");
    assertThat(CanonicalRequest.uriCandidates("/b/x=1")).containsExactly("/b/x%3D1", "/b/x=1");
    assertThat(CanonicalRequest.uriCandidates("/b/a+b")).containsExactly("/b/a%2Bb", "/b/a+b");
    assertThat(CanonicalRequest.uriCandidates("/b/été"))
        .containsExactly("/b/%C3%A9t%C3%A9", "/b/été");
    assertThat(CanonicalRequest.uriCandidates("/b/%c3%a9"))
        .containsExactly("/b/%C3%A9", "/b/%c3%a9");
  }

  @Test
  void uriCandidates_alreadyCanonicalPath_isTheOnlyCandidate() {
    assertThat(CanonicalRequest.uriCandidates("/bucket/my%20key~1.txt"))
        .containsExactly("/bucket/my%20key~1.txt");
    assertThat(CanonicalRequest.uriCandidates("/")).containsExactly("/");
    assertThat(CanonicalRequest.uriCandidates("")).containsExactly("/");
  }

  @Test
  void uriCandidates_dotSegmentsAndSlashRuns_areKeptAsS3Keys() {
    assertThat(CanonicalRequest.uriCandidates("/b/a//b///c/./d/../e"))
        .containsExactly("/b/a//b///c/./d/../e");
  }

  @Test
  void uriCandidates_malformedEscape_keepsOnlyThePathAsSent() {
    assertThat(CanonicalRequest.uriCandidates("/b/100%")).containsExactly("/b/100%");
    assertThat(CanonicalRequest.uriCandidates("/b/%zz")).containsExactly("/b/%zz");
  }

  @Test
  void query_parameters_areEncodedAndSortedByNameThenValue() {
    assertThat(query("max-keys=2&prefix=J")).isEqualTo("max-keys=2&prefix=J");
    assertThat(query("prefix=J&max-keys=2")).isEqualTo("max-keys=2&prefix=J");
    assertThat(query("b=2&a=1&a=0")).isEqualTo("a=0&a=1&b=2");
    assertThat(query("a-b=2&a%20b=1")).isEqualTo("a%20b=1&a-b=2");
    assertThat(query("")).isEmpty();
    assertThat(query(null)).isEmpty();
  }

  @Test
  void query_valuelessParameter_getsAnEmptyValue() {
    assertThat(query("lifecycle")).isEqualTo("lifecycle=");
    assertThat(query("uploads=&x")).isEqualTo("uploads=&x=");
  }

  @Test
  void query_escapes_areNormalized() {
    assertThat(query("prefix=a+b")).isEqualTo("prefix=a%20b"); // '+' is a space in a query
    assertThat(query("prefix=a%2Bb")).isEqualTo("prefix=a%2Bb");
    assertThat(query("prefix=a%2bb")).isEqualTo("prefix=a%2Bb");
    assertThat(query("x=%7e&y=~")).isEqualTo("x=~&y=~");
    assertThat(query("k=a/b")).isEqualTo("k=a%2Fb");
    assertThat(query("k=é")).isEqualTo("k=%C3%A9");
    assertThat(query("k=a=b")).isEqualTo("k=a%3Db");
  }

  @Test
  void query_presigned_leavesOutOnlyTheSignature() {
    assertThat(
            CanonicalRequest.query(
                CanonicalRequest.parseQuery("X-Amz-Signature=abc&X-Amz-Date=1&x-amz-signature=k"),
                true))
        .isEqualTo("X-Amz-Date=1&x-amz-signature=k");
  }

  @Test
  void headers_values_areTrimmedCollapsedAndJoined() {
    SigV4Request request =
        TestRequest.of("GET", "/")
            .header("Host", "example.com")
            .header("X-Amz-Meta-A", "  two   words \t here  ")
            .header("x-amz-meta-b", "v1")
            .header("X-AMZ-META-B", " v2 ")
            .build();
    assertThat(
            CanonicalRequest.headers(
                request, java.util.List.of("host", "x-amz-meta-a", "x-amz-meta-b", "x-amz-meta-c")))
        .isEqualTo(
            "host:example.com\nx-amz-meta-a:two words here\nx-amz-meta-b:v1,v2\nx-amz-meta-c:\n");
  }

  @Test
  void percentDecode_malformedEscapes_areNull() {
    assertThat(CanonicalRequest.percentDecode("%", false)).isNull();
    assertThat(CanonicalRequest.percentDecode("a%4", false)).isNull();
    assertThat(CanonicalRequest.percentDecode("%g0", false)).isNull();
    assertThat(CanonicalRequest.percentDecode("%41+", false)).isEqualTo("A+".getBytes());
    assertThat(CanonicalRequest.percentDecode("%41+", true)).isEqualTo("A ".getBytes());
  }
}
