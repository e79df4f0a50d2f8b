package fr.coffre.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
    "*, '', true",
    "a*, a, true",
    "a*, ba, false",
    "*b, ab, true",
    "a*b*c, axxbyyc, true",
    "a*b*c, axxbyy, false",
    "a*b*c, abcbc, true",
    "a?c, abc, true",
    "a?c, ac, false",
    "*a*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
    "**, x/y/z, true",
    "a**b, ab, true",
  })
  void match_wildcards_behaveAsAwsDocuments(String pattern, String input, boolean expected) {
    assertThat(Glob.compile(pattern, true, false, false).matches(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
    "s3:get*, S3:GetObject, true",
    "S3:*OBJECT, s3:getobject, true",
    "s3:Get?bject, s3:GETOBJECT, true",
    "s3:GetObject, s3:getobjectx, false",
  })
  void match_ignoringCase_foldsBothSides(String pattern, String input, boolean expected) {
    assertThat(Glob.compile(pattern, true, false, true).matches(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
    "a*b, a*b, true",
    "a*b, axb, false",
    "a?, a?, true",
  })
  void match_withoutWildcards_isLiteral(String pattern, String input, boolean expected) {
    assertThat(Glob.compile(pattern, false, false, false).matches(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
    "'a${?}', 'a?', 1",
    "'a${?}', 'ab', 0",
    "'${$}{x}', '${x}', 1",
    "'h/${aws:username}/*', 'h/alice/k', 1",
    "'h/${aws:username}/*', 'h/bob/k', 0",
    "'h/${aws:userid}', 'h/alice', 1",
    "'h/${s3:prefix}', 'h/x', -1",
    "'h/${ s3:prefix , ''d''''q'' }', 'h/d''q', 1",
  })
  void match_variables_resolveFromTheRequest(String pattern, String input, int expected) {
    RequestContext ctx =
        RequestContext.of(Caller.user("111122223333", "alice"), "s3:GetObject", "arn:aws:s3:::b");
    assertThat(Glob.compile(pattern, true, true, false).match(input, ctx)).isEqualTo(expected);
  }

  @Test
  void match_substitutedValue_isLiteralText() {
    // IAM user names cannot hold '*', but request values can: they must not act as wildcards.
    RequestContext ctx =
        Requests.req(
            Caller.user("111122223333", "alice"),
            "s3:GetObject",
            "arn:aws:s3:::b",
            "s3:prefix",
            "*");
    Glob g = Glob.compile("h/${s3:prefix}", true, true, false);
    assertThat(g.match("h/*", ctx)).isEqualTo(Glob.MATCH);
    assertThat(g.match("h/anything", ctx)).isEqualTo(Glob.NO_MATCH);
  }
}
