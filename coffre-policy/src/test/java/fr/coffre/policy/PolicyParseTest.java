package fr.coffre.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyParseTest {
  private static final String ALLOW =
      "'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'";
  private static final String ANYONE = "'Principal':'*',";

  /** Policy text with single quotes for readability; they become double quotes. */
  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /** A 2012-10-17 policy with the given statements (each a JSON object body). */
  static String policy(String... statements) {
    StringBuilder b = new StringBuilder("{'Version':'2012-10-17','Statement':[");
    for (int i = 0; i < statements.length; i++) {
      b.append(i > 0 ? "," : "").append('{').append(statements[i]).append('}');
    }
    return json(b.append("]}").toString());
  }

  static Stream<Arguments> malformedIdentityPolicies() {
    return Stream.of(
        Arguments.of("", "policy is empty"),
        Arguments.of("[]", "policy must be a JSON object, got an array"),
        Arguments.of(
            json("{'Version':'2012-10-18','Statement':{" + ALLOW + "}}"),
            "Version must be 2012-10-17 or 2008-10-17, got '2012-10-18'"),
        Arguments.of(
            json("{'Version':20121017,'Statement':{" + ALLOW + "}}"),
            "Version must be a string, got the number 20121017"),
        Arguments.of(
            json("{'Id':5,'Statement':{" + ALLOW + "}}"), "Id must be a string, got the number 5"),
        Arguments.of(
            json("{'Statements':{" + ALLOW + "}}"), "unknown top-level element 'Statements'"),
        Arguments.of(
            json("{'statement':{" + ALLOW + "}}"),
            "unknown top-level element 'statement' (did you mean 'Statement'? element names are case-sensitive)"),
        Arguments.of(json("{'Version':'2012-10-17'}"), "Statement is missing"),
        Arguments.of(json("{'Statement':[]}"), "Statement must not be an empty array"),
        Arguments.of(
            json("{'Statement':'x'}"),
            "Statement must be an object or an array of objects, got 'x'"),
        Arguments.of(
            json("{'Statement':[{" + ALLOW + "},3]}"),
            "Statement[1] must be an object, got the number 3"),
        Arguments.of(
            policy(ALLOW + ",'Resources':'x'"), "Statement[0]: unknown element 'Resources'"),
        Arguments.of(
            policy("'effect':'Allow','Action':'s3:GetObject','Resource':'*'"),
            "Statement[0]: unknown element 'effect' (did you mean 'Effect'? element names are case-sensitive)"),
        Arguments.of(
            policy("'Action':'s3:GetObject','Resource':'*'"), "Statement[0]: Effect is missing"),
        Arguments.of(
            policy("'Effect':'allow','Action':'s3:GetObject','Resource':'*'"),
            "Statement[0]: Effect must be Allow or Deny, got 'allow'"),
        Arguments.of(
            policy("'Effect':true,'Action':'s3:GetObject','Resource':'*'"),
            "Statement[0]: Effect must be Allow or Deny, got the boolean true"),
        Arguments.of(
            policy("'Sid':'A'," + ALLOW, "'Sid':'A'," + ALLOW),
            "Statement[1]: Sid 'A' is already used by Statement[0]"),
        Arguments.of(
            policy("'Sid':1," + ALLOW), "Statement[0]: Sid must be a string, got the number 1"),
        Arguments.of(
            policy(ALLOW + ",'NotAction':'s3:PutObject'"),
            "Statement[0]: has both Action and NotAction; use one"),
        Arguments.of(
            policy("'Effect':'Allow','Resource':'*'"), "Statement[0]: needs Action or NotAction"),
        Arguments.of(
            policy(ALLOW, "'Effect':'Allow','Action':'ec2:RunInstances','Resource':'*'"),
            "Statement[1]: Action 'ec2:RunInstances' is not an s3, iam, sts (or coffre) action"),
        Arguments.of(
            policy("'Effect':'Deny','NotAction':['s3:Get*','s3'],'Resource':'*'"),
            "Statement[0]: NotAction 's3' is not an s3, iam, sts (or coffre) action"),
        Arguments.of(
            policy("'Effect':'Allow','Action':'s3:Get Object','Resource':'*'"),
            "Statement[0]: Action 's3:Get Object' is not an s3, iam, sts (or coffre) action"),
        Arguments.of(
            policy("'Effect':'Allow','Action':[],'Resource':'*'"),
            "Statement[0]: Action must be a string or a non-empty array of strings"),
        Arguments.of(
            policy("'Effect':'Allow','Action':['s3:GetObject',7],'Resource':'*'"),
            "Statement[0]: Action must be a string or a non-empty array of strings"),
        Arguments.of(
            policy("'Effect':'Allow','Action':'s3:GetObject'"),
            "Statement[0]: needs Resource or NotResource"),
        Arguments.of(
            policy("'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s4:::b'"),
            "Statement[0]: Resource 'arn:aws:s4:::b' is not \"*\" or an arn:aws:s3::: ARN"),
        Arguments.of(
            policy("'Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::'"),
            "Statement[0]: NotResource 'arn:aws:s3:::' is not \"*\" or an arn:aws:s3::: ARN"),
        Arguments.of(
            policy(ANYONE + ALLOW),
            "Statement[0]: Principal is not allowed in an identity policy (the user it is attached to is the principal)"),
        Arguments.of(
            policy("'NotPrincipal':'*'," + ALLOW),
            "Statement[0]: NotPrincipal is not allowed in an identity policy (the user it is attached to is the principal)"),
        Arguments.of(
            policy(
                ALLOW + ",'Condition':{'StringEquals':{'s3:prefix':'a'}}",
                ALLOW + ",'Condition':{'Bool':{'aws:SecureTransport':true}}",
                ALLOW + ",'Condition':{'StringEqualz':{'s3:prefix':'a'}}"),
            "Statement[2]: unknown condition operator 'StringEqualz'"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'stringequals':{'s3:prefix':'a'}}"),
            "Statement[0]: unknown condition operator 'stringequals' (did you mean 'StringEquals'?)"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'ForAnyValue:StringNotLikeIfExist':{'s3:prefix':'a'}}"),
            "Statement[0]: unknown condition operator 'ForAnyValue:StringNotLikeIfExist'"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'NullIfExists':{'s3:prefix':'true'}}"),
            "Statement[0]: condition operator 'NullIfExists': Null takes neither IfExists nor ForAnyValue/ForAllValues"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'StringEquals':{'ec2:Region':'eu-west-3'}}"),
            "Statement[0]: StringEquals: condition key 'ec2:Region' is not an aws: or s3: key"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'StringLike':{'s3:prefx':'home/*'}}"),
            "Statement[0]: StringLike: unknown condition key 's3:prefx' (did you mean 's3:prefix'?)"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'Bool':{'aws:SecureTransprot':'true'}}"),
            "Statement[0]: Bool: unknown condition key 'aws:SecureTransprot' (did you mean"
                + " 'aws:SecureTransport'?)"),
        Arguments.of(
            policy("'Effect':'Alow','Action':'s3:GetObject','Resource':'*'"),
            "Statement[0]: Effect must be Allow or Deny, got 'Alow'"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/33'}}"),
            "Statement[0]: IpAddress aws:SourceIp: '10.0.0.0/33': the prefix length must be at most 32"),
        Arguments.of(
            policy(
                ALLOW
                    + ",'Condition':{'NotIpAddress':{'aws:SourceIp':['10.0.0.0/8','10.0.0.300']}}"),
            "Statement[0]: NotIpAddress aws:SourceIp: '10.0.0.300' is not an IPv4 or IPv6 address or CIDR block"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'IpAddress':{'aws:SourceIp':'2001:db8::/129'}}"),
            "Statement[0]: IpAddress aws:SourceIp: '2001:db8::/129': the prefix length must be at most 128"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'NumericLessThan':{'s3:max-keys':'ten'}}"),
            "Statement[0]: NumericLessThan s3:max-keys: 'ten' is not a number"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'DateLessThan':{'aws:CurrentTime':'2025-13-01'}}"),
            "Statement[0]: DateLessThan aws:CurrentTime: '2025-13-01' is not a date "
                + "(ISO-8601 such as 2025-01-31T12:00:00Z, or epoch seconds)"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'Bool':{'aws:SecureTransport':'yes'}}"),
            "Statement[0]: Bool aws:SecureTransport: 'yes' is not true or false"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'StringEquals':{'s3:prefix':{'a':'b'}}}"),
            "Statement[0]: StringEquals s3:prefix must be a string, number or boolean, or a non-empty array of them"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'StringEquals':{'s3:prefix':[]}}"),
            "Statement[0]: StringEquals s3:prefix must be a string, number or boolean, or a non-empty array of them"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'StringEquals':{}}"),
            "Statement[0]: StringEquals must be a non-empty object of condition keys"),
        Arguments.of(
            policy(ALLOW + ",'Condition':[]"),
            "Statement[0]: Condition must be an object of condition operators, got an array"),
        Arguments.of(
            policy(
                "'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/${aws:username'"),
            "Statement[0]: Resource 'arn:aws:s3:::b/${aws:username' has a ${ without its closing }"),
        Arguments.of(
            policy(
                "'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/${ec2:x}/*'"),
            "Statement[0]: Resource 'arn:aws:s3:::b/${ec2:x}/*': policy variable ${ec2:x} is not an aws: or s3: key"),
        Arguments.of(
            policy(ALLOW + ",'Condition':{'StringLike':{'s3:prefix':'${aws:username, shared}/*'}}"),
            "Statement[0]: StringLike s3:prefix: '${aws:username, shared}/*': the default value of "
                + "${aws:username} must be in single quotes"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws:SourceVpc",
        "aws:PrincipalOrgID",
        "s3:ExistingObjectTag/prefx",
        "s3:signatureversion"
      })
  void parse_conditionKeyFarFromCoffres_isAccepted(String key) throws Exception {
    Policy.parse(
        policy(ALLOW + ",'Condition':{'StringEquals':{'" + key + "':'x'}}"), PolicyKind.IDENTITY);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("malformedIdentityPolicies")
  void parse_malformedIdentityPolicy_namesTheFault(String json, String message) {
    assertThatThrownBy(() -> Policy.parse(json, PolicyKind.IDENTITY))
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> malformedBucketPolicies() {
    return Stream.of(
        Arguments.of(
            policy(ALLOW),
            "Statement[0]: a bucket policy statement needs Principal or NotPrincipal"),
        Arguments.of(
            policy("'Principal':'*','NotPrincipal':'*'," + ALLOW),
            "Statement[0]: has both Principal and NotPrincipal; use one"),
        Arguments.of(
            policy("'Principal':'111122223333'," + ALLOW),
            "Statement[0]: Principal must be \"*\" or {\"AWS\": ...}, got '111122223333'"),
        Arguments.of(
            policy("'Principal':{}," + ALLOW),
            "Statement[0]: Principal must be \"*\" or {\"AWS\": ...}, got an object"),
        Arguments.of(
            policy("'Principal':{'Federated':'cognito-identity.amazonaws.com'}," + ALLOW),
            "Statement[0]: Principal type 'Federated' is not supported (Coffre knows \"AWS\" and"
                + " \"Service\")"),
        Arguments.of(
            policy("'Principal':{'Service':[]}," + ALLOW),
            "Statement[0]: Principal Service must be a string or a non-empty array of strings"),
        Arguments.of(
            policy("'Principal':{'AWS':[]}," + ALLOW),
            "Statement[0]: Principal AWS must be a string or a non-empty array of strings"),
        Arguments.of(
            policy("'NotPrincipal':{'AWS':['111122223333','arn:aws:iam::123:user/x']}," + ALLOW),
            "Statement[0]: NotPrincipal 'arn:aws:iam::123:user/x' is not \"*\", a 12-digit account id, "
                + KNOWN_PRINCIPALS),
        Arguments.of(
            policy("'Principal':{'AWS':'arn:aws:iam::111122223333:group/g'}," + ALLOW),
            "Statement[0]: Principal 'arn:aws:iam::111122223333:group/g' is not \"*\", a 12-digit"
                + " account id, "
                + KNOWN_PRINCIPALS));
  }

  private static final String KNOWN_PRINCIPALS =
      "arn:aws:iam::<account>:root, arn:aws:iam::<account>:user/<name>,"
          + " arn:aws:iam::<account>:role/<name> or"
          + " arn:aws:sts::<account>:assumed-role/<role>/<session>";

  @ParameterizedTest(name = "{1}")
  @MethodSource("malformedBucketPolicies")
  void parse_malformedBucketPolicy_namesTheFault(String json, String message) {
    assertThatThrownBy(() -> Policy.parse(json, PolicyKind.BUCKET))
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*",
        "arn:aws:s3:::other/*",
        "arn:aws:s3:::b*",
        "arn:aws:s3:::b?/*",
        "arn:aws:s3:::bb/k",
        "arn:aws:s3:::*/k",
        "arn:aws:s3:::${aws:username}/k"
      })
  void parseBucketPolicy_resourceThatCanLeaveTheBucket_isInvalid(String resource) {
    String json =
        policy(ANYONE + "'Effect':'Allow','Action':'s3:GetObject','Resource':'" + resource + "'");
    assertThatThrownBy(() -> Policy.parseBucketPolicy(json, "b"))
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessage(
            "Statement[0]: Policy has invalid resource: "
                + resource
                + " (a policy on bucket 'b' may only name arn:aws:s3:::b and arn:aws:s3:::b/...)");
  }

  @Test
  void parseBucketPolicy_notResourceInAnotherBucket_isInvalid() {
    String json =
        policy(
            ANYONE
                + "'Effect':'Deny','Action':'s3:*','NotResource':['arn:aws:s3:::b/*','arn:aws:s3:::other/*']");
    assertThatThrownBy(() -> Policy.parseBucketPolicy(json, "b"))
        .hasMessageContaining("Policy has invalid resource: arn:aws:s3:::other/*");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:s3:::b",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/",
        "arn:aws:s3:::b/home/${aws:username}/*",
        "arn:aws:s3:::b/*/x?y"
      })
  void parseBucketPolicy_resourceInsideTheBucket_isAccepted(String resource) throws Exception {
    String json =
        policy(ANYONE + "'Effect':'Allow','Action':'s3:GetObject','Resource':'" + resource + "'");
    assertThat(Policy.parseBucketPolicy(json, "b").statements()).hasSize(1);
  }

  @Test
  void parse_invalidJson_saysWhere() {
    String json =
        "{\"Version\": \"2012-10-17\",\n \"Statement\": [\n    {\"Effect\": \"Allow\",, }\n]}";
    assertThatThrownBy(() -> Policy.parse(json, PolicyKind.IDENTITY))
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessageStartingWith("invalid JSON at line 3 column 24: Unexpected character (','");
  }

  @Test
  void parse_duplicateElement_isInvalidJson() {
    String json =
        json("{'Statement':{'Effect':'Deny','Effect':'Allow','Action':'s3:*','Resource':'*'}}");
    assertThatThrownBy(() -> Policy.parse(json, PolicyKind.IDENTITY))
        .hasMessageStartingWith("invalid JSON at line 1 column ")
        .hasMessageContaining("Duplicate field 'Effect'");
  }

  @Test
  void parse_textAfterThePolicy_isInvalidJson() {
    String json = policy(ALLOW) + " {}";
    assertThatThrownBy(() -> Policy.parse(json, PolicyKind.IDENTITY))
        .hasMessageStartingWith("invalid JSON at line 1");
  }

  @Test
  void parse_overTheSizeLimit_isRefused() throws Exception {
    String head = json("{'Id':'");
    String tail = json("','Statement':{" + ALLOW + "}}");
    String exact = head + "x".repeat(Policy.MAX_BYTES - head.length() - tail.length()) + tail;
    assertThat(Policy.parse(exact, PolicyKind.IDENTITY).json()).hasSize(Policy.MAX_BYTES);
    // Bytes, not characters: one 'é' is two bytes in UTF-8.
    String over = exact.replaceFirst("x", "é");
    assertThatThrownBy(() -> Policy.parse(over, PolicyKind.IDENTITY))
        .hasMessage("policy is 20481 bytes; the limit is 20480");
  }

  @Test
  void parse_validPolicy_keepsTextAndStatements() throws Exception {
    String json =
        json(
            """
        {'Version':'2012-10-17','Id':'home',
         'Statement':[
           {'Sid':'List','Effect':'Allow','Action':['s3:ListBucket'],'Resource':'arn:aws:s3:::b',
            'Condition':{'StringLike':{'s3:prefix':['home/${aws:username}/*']}}},
           {'Effect':'Deny','NotAction':'S3:get*','NotResource':['arn:aws:s3:::b/*']}]}
        """);
    Policy p = Policy.parse(json, PolicyKind.IDENTITY);
    assertThat(p.json()).isEqualTo(json);
    assertThat(p.kind()).isEqualTo(PolicyKind.IDENTITY);
    assertThat(p.version()).contains("2012-10-17");
    assertThat(p.id()).contains("home");
    assertThat(p.statements()).hasSize(2);
    Statement first = p.statements().get(0);
    assertThat(first.sid()).contains("List");
    assertThat(first.effect()).isEqualTo(Effect.ALLOW);
    assertThat(first.conditional()).isTrue();
    assertThat(first.label()).isEqualTo("statement 'List'");
    Statement second = p.statements().get(1);
    assertThat(second.sid()).isEmpty();
    assertThat(second.effect()).isEqualTo(Effect.DENY);
    assertThat(second.conditional()).isFalse();
    assertThat(second.label()).isEqualTo("Statement[1]");
  }

  @Test
  void parse_singleStatementObjectWithoutVersion_isAccepted() throws Exception {
    Policy p = Policy.parse(json("{'Statement':{" + ALLOW + "}}"), PolicyKind.IDENTITY);
    assertThat(p.version()).isEmpty();
    assertThat(p.statements()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'*'",
        "{'AWS':'*'}",
        "{'AWS':'111122223333'}",
        "{'AWS':'arn:aws:iam::111122223333:root'}",
        "{'AWS':['arn:aws:iam::111122223333:user/alice','444455556666']}"
      })
  void parse_principalForms_areAccepted(String principal) throws Exception {
    Policy p = Policy.parse(policy("'Principal':" + principal + "," + ALLOW), PolicyKind.BUCKET);
    assertThat(p.statements()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "StringEquals",
        "StringNotEqualsIfExists",
        "ForAnyValue:StringLike",
        "ForAllValues:StringNotEqualsIgnoreCase",
        "ForAllValues:StringEqualsIfExists",
        "NumericGreaterThanEqualsIfExists",
        "DateNotEquals",
        "BoolIfExists",
        "NotIpAddressIfExists",
        "Null"
      })
  void parse_operatorWithQualifiers_isAccepted(String operator) throws Exception {
    String value =
        operator.contains("Numeric")
            ? "5"
            : operator.contains("Date")
                ? "2025-01-01"
                : operator.contains("Ip") ? "10.0.0.0/8" : "true";
    Policy p =
        Policy.parse(
            policy(ALLOW + ",'Condition':{'" + operator + "':{'aws:x':'" + value + "'}}"),
            PolicyKind.IDENTITY);
    assertThat(p.statements().get(0).conditional()).isTrue();
  }

  @Test
  void parse_conditionValuesOfJsonTypes_areAccepted() throws Exception {
    Policy p =
        Policy.parse(
            policy(
                ALLOW
                    + ",'Condition':{'NumericLessThan':{'s3:max-keys':10},"
                    + "'Bool':{'aws:SecureTransport':true},'DateLessThan':{'aws:EpochTime':1767225600},"
                    + "'StringEquals':{'s3:x-amz-acl':['private',1,false]}}"),
            PolicyKind.IDENTITY);
    assertThat(p.statements()).hasSize(1);
  }

  @Test
  void parse_variablesInAnOldVersion_areLiteralText() throws Exception {
    // Before 2012-10-17 "${" means nothing, so an unclosed one is just text.
    String json =
        json(
            "{'Version':'2008-10-17','Statement':{'Effect':'Allow','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::b/${aws:username'}}");
    assertThat(Policy.parse(json, PolicyKind.IDENTITY).statements()).hasSize(1);
  }
}
