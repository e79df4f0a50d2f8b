package fr.coffre.policy;

import static fr.coffre.policy.Effect.ALLOW;
import static fr.coffre.policy.Effect.DENY;
import static fr.coffre.policy.Effect.NOT_APPLICABLE;
import static fr.coffre.policy.Requests.ALICE;
import static fr.coffre.policy.Requests.ANONYMOUS;
import static fr.coffre.policy.Requests.BOB;
import static fr.coffre.policy.Requests.CAROL;
import static fr.coffre.policy.Requests.OWNER_ROOT;
import static fr.coffre.policy.Requests.bucket;
import static fr.coffre.policy.Requests.identity;
import static fr.coffre.policy.Requests.req;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One policy against one request, as a table. Every expected effect comes from AWS's documented
 * semantics (IAM User Guide: policy elements, condition operators, policy variables, evaluation
 * logic), cited in the row's rule; none was obtained by running this code.
 */
class PolicyEvaluationTest {

  record Case(String rule, Policy policy, RequestContext request, Effect expected) {
    @Override
    public String toString() {
      return rule;
    }
  }

  private static final List<Case> CASES = new ArrayList<>();

  private static void row(String rule, Policy policy, RequestContext request, Effect expected) {
    CASES.add(new Case(rule, policy, request, expected));
  }

  private static final String B = "arn:aws:s3:::b";
  private static final String GET = "s3:GetObject";
  private static final String PUT = "s3:PutObject";
  private static final String LIST = "s3:ListBucket";

  /** Allow GetObject on b/* when the condition block holds. */
  private static Policy allowGetWhen(String condition) {
    return identity(
        "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':"
            + condition
            + "}");
  }

  static {
    // --- Allow, implicit deny, explicit deny (evaluation logic) ---
    Policy getB =
        identity("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    row("an Allow whose Action and Resource match applies", getB, req(ALICE, GET, B + "/k"), ALLOW);
    row(
        "an action no statement names is not allowed (implicit deny)",
        getB,
        req(ALICE, PUT, B + "/k"),
        NOT_APPLICABLE);
    row(
        "a resource no statement names is not allowed (implicit deny)",
        getB,
        req(ALICE, GET, "arn:aws:s3:::c/k"),
        NOT_APPLICABLE);
    Policy allowAllDenyDelete =
        identity(
            "{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
            "{'Effect':'Deny','Action':'s3:DeleteObject','Resource':'arn:aws:s3:::b/*'}");
    row(
        "an explicit Deny overrides an Allow in the same policy",
        allowAllDenyDelete,
        req(ALICE, "s3:DeleteObject", B + "/k"),
        DENY);
    row(
        "a Deny that does not match leaves the Allow",
        allowAllDenyDelete,
        req(ALICE, GET, B + "/k"),
        ALLOW);
    Policy denyFirst =
        identity(
            "{'Effect':'Deny','Action':'s3:*','Resource':'arn:aws:s3:::b/private/*'}",
            "{'Effect':'Allow','Action':'s3:*','Resource':'*'}");
    row(
        "statement order does not matter: Deny wins wherever it is",
        denyFirst,
        req(ALICE, GET, B + "/private/x"),
        DENY);

    // --- NotAction, NotResource, NotPrincipal (policy elements) ---
    Policy notAction =
        identity("{'Effect':'Allow','NotAction':'s3:DeleteObject','Resource':'arn:aws:s3:::b/*'}");
    row("NotAction: every action except those listed", notAction, req(ALICE, GET, B + "/k"), ALLOW);
    row(
        "NotAction: a listed action is not covered",
        notAction,
        req(ALICE, "s3:DeleteObject", B + "/k"),
        NOT_APPLICABLE);
    Policy denyNotAction = identity("{'Effect':'Deny','NotAction':'s3:Get*','Resource':'*'}");
    row(
        "Deny with NotAction denies everything else",
        denyNotAction,
        req(ALICE, PUT, B + "/k"),
        DENY);
    row(
        "Deny with NotAction leaves the listed actions",
        denyNotAction,
        req(ALICE, GET, B + "/k"),
        NOT_APPLICABLE);
    Policy notResource =
        identity("{'Effect':'Allow','Action':'s3:*','NotResource':'arn:aws:s3:::b/secret/*'}");
    row(
        "NotResource: every resource except those listed",
        notResource,
        req(ALICE, GET, B + "/public/x"),
        ALLOW);
    row(
        "NotResource: a listed resource is not covered",
        notResource,
        req(ALICE, GET, B + "/secret/x"),
        NOT_APPLICABLE);
    Policy notPrincipal =
        bucket(
            "{'Effect':'Deny','NotPrincipal':{'AWS':'arn:aws:iam::111122223333:user/alice'},"
                + "'Action':'s3:*','Resource':'arn:aws:s3:::b/*'}");
    row(
        "NotPrincipal: the Deny applies to everyone not listed",
        notPrincipal,
        req(BOB, GET, B + "/k"),
        DENY);
    row(
        "NotPrincipal: the listed user is spared",
        notPrincipal,
        req(ALICE, GET, B + "/k"),
        NOT_APPLICABLE);
    row(
        "NotPrincipal: anonymous callers are not listed, so are denied",
        notPrincipal,
        req(ANONYMOUS, GET, B + "/k"),
        DENY);

    Policy service =
        bucket(
            "{'Effect':'Allow','Principal':{'Service':'logging.s3.amazonaws.com'},"
                + "'Action':'s3:PutObject','Resource':'arn:aws:s3:::b/*'}");
    row(
        "Principal Service: an AWS service principal matches no caller of Coffre",
        service,
        req(ALICE, PUT, B + "/k"),
        NOT_APPLICABLE);
    row(
        "Principal Service: not anonymous callers either",
        service,
        req(ANONYMOUS, PUT, B + "/k"),
        NOT_APPLICABLE);

    // --- Principal forms (Principal element) ---
    Policy star =
        bucket(
            "{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    row("Principal \"*\" includes anonymous callers", star, req(ANONYMOUS, GET, B + "/k"), ALLOW);
    row("Principal \"*\" includes other accounts", star, req(CAROL, GET, B + "/k"), ALLOW);
    Policy awsStar =
        bucket(
            "{'Effect':'Allow','Principal':{'AWS':'*'},'Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::b/*'}");
    row(
        "{\"AWS\":\"*\"} is the same as \"*\": anonymous included",
        awsStar,
        req(ANONYMOUS, GET, B + "/k"),
        ALLOW);
    Policy account =
        bucket(
            "{'Effect':'Allow','Principal':{'AWS':'111122223333'},'Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::b/*'}");
    row(
        "an account id principal covers that account's users",
        account,
        req(ALICE, GET, B + "/k"),
        ALLOW);
    row(
        "an account id principal covers that account's root",
        account,
        req(OWNER_ROOT, GET, B + "/k"),
        ALLOW);
    row(
        "an account id principal does not cover other accounts",
        account,
        req(CAROL, GET, B + "/k"),
        NOT_APPLICABLE);
    row(
        "an account id principal does not cover anonymous callers",
        account,
        req(ANONYMOUS, GET, B + "/k"),
        NOT_APPLICABLE);
    Policy rootArn =
        bucket(
            "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:root'},"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    row(
        "the :root ARN means the whole account, not only its root user",
        rootArn,
        req(BOB, GET, B + "/k"),
        ALLOW);
    Policy userArn =
        bucket(
            "{'Effect':'Allow','Principal':{'AWS':['arn:aws:iam::111122223333:user/alice']},"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    row("a user ARN principal covers that user", userArn, req(ALICE, GET, B + "/k"), ALLOW);
    row(
        "a user ARN principal does not cover another user",
        userArn,
        req(BOB, GET, B + "/k"),
        NOT_APPLICABLE);
    row(
        "a user ARN principal does not cover the account root",
        userArn,
        req(OWNER_ROOT, GET, B + "/k"),
        NOT_APPLICABLE);

    // --- Wildcards (Action: case-insensitive; Resource: case-sensitive; * spans '/', ? one char)
    // ---
    Policy getStar = identity("{'Effect':'Allow','Action':'s3:Get*','Resource':'*'}");
    row("s3:Get* covers s3:GetObject", getStar, req(ALICE, GET, B + "/k"), ALLOW);
    row("s3:Get* does not cover s3:PutObject", getStar, req(ALICE, PUT, B + "/k"), NOT_APPLICABLE);
    Policy starObject = identity("{'Effect':'Allow','Action':'s3:*Object','Resource':'*'}");
    row(
        "s3:*Object covers s3:DeleteObject",
        starObject,
        req(ALICE, "s3:DeleteObject", B + "/k"),
        ALLOW);
    row(
        "s3:*Object does not cover s3:GetObjectAcl (the pattern is anchored)",
        starObject,
        req(ALICE, "s3:GetObjectAcl", B + "/k"),
        NOT_APPLICABLE);
    Policy question = identity("{'Effect':'Allow','Action':'s3:GetObjec?','Resource':'*'}");
    row("? matches exactly one character", question, req(ALICE, GET, B + "/k"), ALLOW);
    row(
        "? does not match zero characters",
        identity("{'Effect':'Allow','Action':'s3:GetObject?','Resource':'*'}"),
        req(ALICE, GET, B + "/k"),
        NOT_APPLICABLE);
    Policy upper = identity("{'Effect':'Allow','Action':'S3:GETOBJECT','Resource':'*'}");
    row(
        "actions compare without regard to case",
        upper,
        req(ALICE, "s3:getobject", B + "/k"),
        ALLOW);
    Policy photos =
        identity("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::b/Photos/*'}");
    row(
        "resources compare case-sensitively",
        photos,
        req(ALICE, GET, B + "/photos/x.jpg"),
        NOT_APPLICABLE);
    row("resources: same case matches", photos, req(ALICE, GET, B + "/Photos/x.jpg"), ALLOW);
    Policy everything =
        identity("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::b/*'}");
    row("* in a resource spans '/'", everything, req(ALICE, GET, B + "/a/b/c"), ALLOW);
    row("* matches the empty key", everything, req(ALICE, GET, B + "/"), ALLOW);
    row("b/* does not cover the bucket itself", everything, req(ALICE, LIST, B), NOT_APPLICABLE);
    Policy middle = identity("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::b/*/c'}");
    row("* in the middle spans several segments", middle, req(ALICE, GET, B + "/x/y/c"), ALLOW);
    row(
        "the text after * must still end the resource",
        middle,
        req(ALICE, GET, B + "/x/c/d"),
        NOT_APPLICABLE);
    Policy bStar = identity("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::b*'}");
    row("arn:aws:s3:::b* covers the bucket b", bStar, req(ALICE, LIST, B), ALLOW);
    row(
        "arn:aws:s3:::b* covers other buckets starting with b",
        bStar,
        req(ALICE, GET, "arn:aws:s3:::bucket2/k"),
        ALLOW);
    row("arn:aws:s3:::b* covers objects of b", bStar, req(ALICE, GET, B + "/k"), ALLOW);
    Policy fileQ =
        identity("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::b/file?.txt'}");
    row("? in a resource: one character", fileQ, req(ALICE, GET, B + "/file1.txt"), ALLOW);
    row("? in a resource: not two", fileQ, req(ALICE, GET, B + "/file10.txt"), NOT_APPLICABLE);
    row("? in a resource: not none", fileQ, req(ALICE, GET, B + "/file.txt"), NOT_APPLICABLE);
    row(
        "Action \"*\" covers every action",
        identity("{'Effect':'Allow','Action':'*','Resource':'*'}"),
        req(ALICE, "s3:PutBucketPolicy", B),
        ALLOW);

    // --- String operators (condition operators; missing key: false, negated: true, IfExists: true)
    // ---
    Policy aclPrivate = allowGetWhen("{'StringEquals':{'s3:x-amz-acl':'private'}}");
    row(
        "StringEquals: equal value",
        aclPrivate,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "private"),
        ALLOW);
    row(
        "StringEquals: other value",
        aclPrivate,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "public-read"),
        NOT_APPLICABLE);
    row("StringEquals: key absent -> false", aclPrivate, req(ALICE, GET, B + "/k"), NOT_APPLICABLE);
    row(
        "StringEquals: key names compare without regard to case",
        aclPrivate,
        req(ALICE, GET, B + "/k", "S3:X-Amz-ACL", "private"),
        ALLOW);
    row(
        "StringEquals: values compare case-sensitively",
        aclPrivate,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "Private"),
        NOT_APPLICABLE);
    Policy aclIfExists = allowGetWhen("{'StringEqualsIfExists':{'s3:x-amz-acl':'private'}}");
    row("StringEqualsIfExists: key absent -> true", aclIfExists, req(ALICE, GET, B + "/k"), ALLOW);
    row(
        "StringEqualsIfExists: key present is checked",
        aclIfExists,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "public-read"),
        NOT_APPLICABLE);
    Policy aclNot = allowGetWhen("{'StringNotEquals':{'s3:x-amz-acl':'public-read'}}");
    row(
        "StringNotEquals: other value",
        aclNot,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "private"),
        ALLOW);
    row(
        "StringNotEquals: equal value",
        aclNot,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "public-read"),
        NOT_APPLICABLE);
    row(
        "StringNotEquals: key absent -> true (negated operator)",
        aclNot,
        req(ALICE, GET, B + "/k"),
        ALLOW);
    row(
        "StringNotEqualsIfExists: key absent -> true",
        allowGetWhen("{'StringNotEqualsIfExists':{'s3:x-amz-acl':'public-read'}}"),
        req(ALICE, GET, B + "/k"),
        ALLOW);
    Policy ignoreCase = allowGetWhen("{'StringEqualsIgnoreCase':{'s3:x-amz-acl':'PRIVATE'}}");
    row(
        "StringEqualsIgnoreCase: other case",
        ignoreCase,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "private"),
        ALLOW);
    row(
        "StringEqualsIgnoreCase: other value",
        ignoreCase,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "public-read"),
        NOT_APPLICABLE);
    row(
        "StringEqualsIgnoreCase: key absent -> false",
        ignoreCase,
        req(ALICE, GET, B + "/k"),
        NOT_APPLICABLE);
    Policy notIgnoreCase = allowGetWhen("{'StringNotEqualsIgnoreCase':{'s3:x-amz-acl':'PRIVATE'}}");
    row(
        "StringNotEqualsIgnoreCase: same text in other case",
        notIgnoreCase,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "private"),
        NOT_APPLICABLE);
    row(
        "StringNotEqualsIgnoreCase: other value",
        notIgnoreCase,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "public-read"),
        ALLOW);
    row(
        "StringNotEqualsIgnoreCase: key absent -> true",
        notIgnoreCase,
        req(ALICE, GET, B + "/k"),
        ALLOW);
    Policy home =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'StringLike':{'s3:prefix':['home/*']}}}");
    row(
        "StringLike on s3:prefix: matching prefix",
        home,
        req(ALICE, LIST, B, "s3:prefix", "home/alice/"),
        ALLOW);
    row(
        "StringLike on s3:prefix: other prefix",
        home,
        req(ALICE, LIST, B, "s3:prefix", "docs/"),
        NOT_APPLICABLE);
    row("StringLike on s3:prefix: key absent -> false", home, req(ALICE, LIST, B), NOT_APPLICABLE);
    row(
        "StringLike is case-sensitive",
        home,
        req(ALICE, LIST, B, "s3:prefix", "HOME/x"),
        NOT_APPLICABLE);
    Policy arnLike =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'ArnLike':{'s3:prefix':'arn:aws:s3:::src-*'}}}");
    row(
        "ArnLike: a wildcard match, as StringLike",
        arnLike,
        req(ALICE, LIST, B, "s3:prefix", "arn:aws:s3:::src-logs"),
        ALLOW);
    row("ArnLike: key absent -> false", arnLike, req(ALICE, LIST, B), NOT_APPLICABLE);
    Policy arnNotEquals =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'ArnNotEquals':{'s3:prefix':'arn:aws:s3:::src'}}}");
    row(
        "ArnNotEquals: the named ARN does not hold",
        arnNotEquals,
        req(ALICE, LIST, B, "s3:prefix", "arn:aws:s3:::src"),
        NOT_APPLICABLE);
    Policy notLike =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'StringNotLike':{'s3:prefix':'secret/*'}}}");
    row(
        "StringNotLike: non-matching value",
        notLike,
        req(ALICE, LIST, B, "s3:prefix", "home/"),
        ALLOW);
    row(
        "StringNotLike: matching value",
        notLike,
        req(ALICE, LIST, B, "s3:prefix", "secret/x"),
        NOT_APPLICABLE);
    row("StringNotLike: key absent -> true", notLike, req(ALICE, LIST, B), ALLOW);
    row(
        "StringLikeIfExists: key absent -> true",
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket',"
                + "'Resource':'arn:aws:s3:::b','Condition':{'StringLikeIfExists':{'s3:prefix':'home/*'}}}"),
        req(ALICE, LIST, B),
        ALLOW);
    Policy twoAcls =
        allowGetWhen("{'StringEquals':{'s3:x-amz-acl':['private','bucket-owner-full-control']}}");
    row(
        "values of one key are ORed",
        twoAcls,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "bucket-owner-full-control"),
        ALLOW);
    Policy notTwo =
        allowGetWhen("{'StringNotEquals':{'s3:x-amz-acl':['public-read','public-read-write']}}");
    row(
        "a negated operator must match none of the values (NOR)",
        notTwo,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "public-read-write"),
        NOT_APPLICABLE);
    row(
        "a negated operator with a value matching none of them holds",
        notTwo,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "private"),
        ALLOW);
    Policy twoKeys =
        allowGetWhen(
            "{'StringEquals':{'s3:x-amz-acl':'private','s3:x-amz-server-side-encryption':'AES256'}}");
    row(
        "keys of one operator are ANDed: one missing",
        twoKeys,
        req(ALICE, GET, B + "/k", "s3:x-amz-acl", "private"),
        NOT_APPLICABLE);
    row(
        "keys of one operator are ANDed: both hold",
        twoKeys,
        req(
            ALICE,
            GET,
            B + "/k",
            "s3:x-amz-acl",
            "private",
            "s3:x-amz-server-side-encryption",
            "AES256"),
        ALLOW);
    Policy twoOperators =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'StringLike':{'s3:prefix':'home/*'},'NumericLessThanEquals':{'s3:max-keys':'100'}}}");
    row(
        "operators are ANDed: both hold",
        twoOperators,
        req(ALICE, LIST, B, "s3:prefix", "home/", "s3:max-keys", "50"),
        ALLOW);
    row(
        "operators are ANDed: one fails",
        twoOperators,
        req(ALICE, LIST, B, "s3:prefix", "home/", "s3:max-keys", "500"),
        NOT_APPLICABLE);

    // --- Numeric operators ---
    Policy maxKeys =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'NumericLessThan':{'s3:max-keys':'100'}}}");
    row(
        "NumericLessThan on s3:max-keys: smaller",
        maxKeys,
        req(ALICE, LIST, B, "s3:max-keys", "10"),
        ALLOW);
    row(
        "NumericLessThan: equal is not less",
        maxKeys,
        req(ALICE, LIST, B, "s3:max-keys", "100"),
        NOT_APPLICABLE);
    row(
        "NumericLessThan compares numbers, not text",
        maxKeys,
        req(ALICE, LIST, B, "s3:max-keys", "1000"),
        NOT_APPLICABLE);
    row("NumericLessThan: key absent -> false", maxKeys, req(ALICE, LIST, B), NOT_APPLICABLE);
    row(
        "NumericLessThan: a non-number does not match",
        maxKeys,
        req(ALICE, LIST, B, "s3:max-keys", "ten"),
        NOT_APPLICABLE);
    row(
        "NumericLessThanIfExists: key absent -> true",
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket',"
                + "'Resource':'arn:aws:s3:::b','Condition':{'NumericLessThanIfExists':{'s3:max-keys':100}}}"),
        req(ALICE, LIST, B),
        ALLOW);
    row(
        "NumericLessThanEquals: equal",
        numeric("NumericLessThanEquals", "100"),
        req(ALICE, LIST, B, "s3:max-keys", "100"),
        ALLOW);
    row(
        "NumericGreaterThan: greater",
        numeric("NumericGreaterThan", "10"),
        req(ALICE, LIST, B, "s3:max-keys", "11"),
        ALLOW);
    row(
        "NumericGreaterThan: equal is not greater",
        numeric("NumericGreaterThan", "10"),
        req(ALICE, LIST, B, "s3:max-keys", "10"),
        NOT_APPLICABLE);
    row(
        "NumericGreaterThanEquals: equal",
        numeric("NumericGreaterThanEquals", "10"),
        req(ALICE, LIST, B, "s3:max-keys", "10"),
        ALLOW);
    row(
        "NumericEquals compares values, not text",
        numeric("NumericEquals", "10"),
        req(ALICE, LIST, B, "s3:max-keys", "10.0"),
        ALLOW);
    row(
        "NumericNotEquals: other value",
        numeric("NumericNotEquals", "10"),
        req(ALICE, LIST, B, "s3:max-keys", "11"),
        ALLOW);
    row(
        "NumericNotEquals: equal value",
        numeric("NumericNotEquals", "10"),
        req(ALICE, LIST, B, "s3:max-keys", "10"),
        NOT_APPLICABLE);
    row(
        "NumericNotEquals: key absent -> true",
        numeric("NumericNotEquals", "10"),
        req(ALICE, LIST, B),
        ALLOW);

    // --- Date operators (aws:CurrentTime ISO-8601, aws:EpochTime epoch seconds) ---
    Policy until2030 = allowGetWhen("{'DateLessThan':{'aws:CurrentTime':'2030-01-01T00:00:00Z'}}");
    row(
        "DateLessThan on aws:CurrentTime: before",
        until2030,
        req(ALICE, GET, B + "/k", "aws:CurrentTime", "2026-06-01T12:00:00Z"),
        ALLOW);
    row(
        "DateLessThan on aws:CurrentTime: after",
        until2030,
        req(ALICE, GET, B + "/k", "aws:CurrentTime", "2031-01-01T00:00:00Z"),
        NOT_APPLICABLE);
    row("DateLessThan: key absent -> false", until2030, req(ALICE, GET, B + "/k"), NOT_APPLICABLE);
    row(
        "DateLessThanIfExists: key absent -> true",
        allowGetWhen("{'DateLessThanIfExists':{'aws:CurrentTime':'2030-01-01T00:00:00Z'}}"),
        req(ALICE, GET, B + "/k"),
        ALLOW);
    row(
        "DateGreaterThan with a date-only operand (midnight UTC)",
        allowGetWhen("{'DateGreaterThan':{'aws:CurrentTime':'2025-01-01'}}"),
        req(ALICE, GET, B + "/k", "aws:CurrentTime", "2025-01-01T00:00:01Z"),
        ALLOW);
    row(
        "DateGreaterThanEquals: the same instant",
        allowGetWhen("{'DateGreaterThanEquals':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}}"),
        req(ALICE, GET, B + "/k", "aws:CurrentTime", "2026-01-01T00:00:00Z"),
        ALLOW);
    row(
        "DateLessThanEquals: the same instant written with an offset",
        allowGetWhen("{'DateLessThanEquals':{'aws:CurrentTime':'2026-01-01T01:00:00+01:00'}}"),
        req(ALICE, GET, B + "/k", "aws:CurrentTime", "2026-01-01T00:00:00Z"),
        ALLOW);
    row(
        "DateEquals: epoch seconds and ISO-8601 name the same instant",
        allowGetWhen("{'DateEquals':{'aws:EpochTime':'2026-01-01T00:00:00Z'}}"),
        req(ALICE, GET, B + "/k", "aws:EpochTime", "1767225600"),
        ALLOW);
    row(
        "DateNotEquals: key absent -> true",
        allowGetWhen("{'DateNotEquals':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}}"),
        req(ALICE, GET, B + "/k"),
        ALLOW);
    row(
        "DateNotEquals: the same instant",
        allowGetWhen("{'DateNotEquals':{'aws:EpochTime':1767225600}}"),
        req(ALICE, GET, B + "/k", "aws:EpochTime", "1767225600"),
        NOT_APPLICABLE);

    // --- Bool ---
    Policy denyHttp =
        identity(
            "{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
            "{'Sid':'DenyHttp','Effect':'Deny','Action':'s3:*','Resource':'*',"
                + "'Condition':{'Bool':{'aws:SecureTransport':'false'}}}");
    row(
        "Bool aws:SecureTransport false: a plain-HTTP request is denied",
        denyHttp,
        req(ALICE, GET, B + "/k", "aws:SecureTransport", "false"),
        DENY);
    row(
        "Bool aws:SecureTransport false: a TLS request is not",
        denyHttp,
        req(ALICE, GET, B + "/k", "aws:SecureTransport", "true"),
        ALLOW);
    row(
        "Bool: key absent -> false, so the Deny does not apply",
        denyHttp,
        req(ALICE, GET, B + "/k"),
        ALLOW);
    row(
        "BoolIfExists: key absent -> true",
        allowGetWhen("{'BoolIfExists':{'aws:SecureTransport':true}}"),
        req(ALICE, GET, B + "/k"),
        ALLOW);

    // --- IP address operators ---
    Policy office = allowGetWhen("{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}");
    row(
        "IpAddress: inside the IPv4 block",
        office,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "203.0.113.7"),
        ALLOW);
    row(
        "IpAddress: outside the IPv4 block",
        office,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "198.51.100.1"),
        NOT_APPLICABLE);
    row("IpAddress: key absent -> false", office, req(ALICE, GET, B + "/k"), NOT_APPLICABLE);
    row(
        "IpAddressIfExists: key absent -> true",
        allowGetWhen("{'IpAddressIfExists':{'aws:SourceIp':'203.0.113.0/24'}}"),
        req(ALICE, GET, B + "/k"),
        ALLOW);
    Policy v6 =
        allowGetWhen("{'IpAddress':{'aws:SourceIp':['203.0.113.0/24','2001:DB8:1234::/48']}}");
    row(
        "IpAddress: inside the IPv6 block (hex in any case)",
        v6,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "2001:db8:1234:5678::1"),
        ALLOW);
    row(
        "IpAddress: outside the IPv6 block",
        v6,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "2001:db8:1235::1"),
        NOT_APPLICABLE);
    Policy bare = allowGetWhen("{'IpAddress':{'aws:SourceIp':['203.0.113.7','2001:db8::7']}}");
    row(
        "IpAddress: a bare IPv4 address is a /32",
        bare,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "203.0.113.7"),
        ALLOW);
    row(
        "IpAddress: a bare IPv4 address matches only itself",
        bare,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "203.0.113.8"),
        NOT_APPLICABLE);
    row(
        "IpAddress: a bare IPv6 address is a /128",
        bare,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "2001:0db8:0:0:0:0:0:7"),
        ALLOW);
    Policy notTen = allowGetWhen("{'NotIpAddress':{'aws:SourceIp':'10.0.0.0/8'}}");
    row(
        "NotIpAddress: outside the block",
        notTen,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "192.0.2.1"),
        ALLOW);
    row(
        "NotIpAddress: inside the block",
        notTen,
        req(ALICE, GET, B + "/k", "aws:SourceIp", "10.1.2.3"),
        NOT_APPLICABLE);
    row("NotIpAddress: key absent -> true", notTen, req(ALICE, GET, B + "/k"), ALLOW);

    // --- Null ---
    Policy noPrefix =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'Null':{'s3:prefix':'true'}}}");
    row("Null true: key absent", noPrefix, req(ALICE, LIST, B), ALLOW);
    row("Null true: key present", noPrefix, req(ALICE, LIST, B, "s3:prefix", "x/"), NOT_APPLICABLE);
    Policy hasPrefix =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'Null':{'s3:prefix':false}}}");
    row("Null false: key present", hasPrefix, req(ALICE, LIST, B, "s3:prefix", "x/"), ALLOW);
    row("Null false: key absent", hasPrefix, req(ALICE, LIST, B), NOT_APPLICABLE);

    // --- Set operators on a multivalued key (IAM "multivalued context keys" examples) ---
    Policy denyTags =
        identity(
            "{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
            "{'Effect':'Deny','Action':'s3:PutObjectTagging','Resource':'*',"
                + "'Condition':{'ForAllValues:StringNotLike':{'aws:TagKeys':'key1*'}}}");
    row(
        "ForAllValues:StringNotLike (AWS example): key1:legal -> no match",
        denyTags,
        req(ALICE, "s3:PutObjectTagging", B + "/k", "aws:TagKeys", "key1:legal"),
        ALLOW);
    row(
        "ForAllValues:StringNotLike (AWS example): key1:hr, key1:personnel -> no match",
        denyTags,
        req(ALICE, "s3:PutObjectTagging", B + "/k", "aws:TagKeys", "key1:hr|key1:personnel"),
        ALLOW);
    row(
        "ForAllValues:StringNotLike (AWS example): key2:audit -> match",
        denyTags,
        req(ALICE, "s3:PutObjectTagging", B + "/k", "aws:TagKeys", "key2:audit"),
        DENY);
    row(
        "ForAllValues:StringNotLike (AWS example): no key -> match",
        denyTags,
        req(ALICE, "s3:PutObjectTagging", B + "/k"),
        DENY);
    Policy anyAB = allowGetWhen("{'ForAnyValue:StringEquals':{'aws:TagKeys':['a','b']}}");
    row(
        "ForAnyValue: one request value in the set",
        anyAB,
        req(ALICE, GET, B + "/k", "aws:TagKeys", "a|z"),
        ALLOW);
    row(
        "ForAnyValue: no request value in the set",
        anyAB,
        req(ALICE, GET, B + "/k", "aws:TagKeys", "y|z"),
        NOT_APPLICABLE);
    row("ForAnyValue: key absent -> false", anyAB, req(ALICE, GET, B + "/k"), NOT_APPLICABLE);
    Policy allAB = allowGetWhen("{'ForAllValues:StringEquals':{'aws:TagKeys':['a','b']}}");
    row(
        "ForAllValues: every request value in the set",
        allAB,
        req(ALICE, GET, B + "/k", "aws:TagKeys", "a|b"),
        ALLOW);
    row(
        "ForAllValues: one request value outside the set",
        allAB,
        req(ALICE, GET, B + "/k", "aws:TagKeys", "a|z"),
        NOT_APPLICABLE);
    row("ForAllValues: key absent -> true", allAB, req(ALICE, GET, B + "/k"), ALLOW);
    row(
        "ForAnyValue with IfExists: key absent -> true",
        allowGetWhen("{'ForAnyValue:StringEqualsIfExists':{'aws:TagKeys':['a','b']}}"),
        req(ALICE, GET, B + "/k"),
        ALLOW);

    // --- Policy variables (2012-10-17 only) ---
    Policy ownHome =
        identity(
            "{'Effect':'Allow','Action':['s3:GetObject','s3:PutObject'],"
                + "'Resource':'arn:aws:s3:::b/home/${aws:username}/*'}");
    row(
        "${aws:username} in Resource: the user's own folder",
        ownHome,
        req(ALICE, GET, B + "/home/alice/x"),
        ALLOW);
    row(
        "${aws:username} in Resource: another user's folder",
        ownHome,
        req(ALICE, GET, B + "/home/bob/x"),
        NOT_APPLICABLE);
    row(
        "${aws:username} is absent for the root user, so the resource does not match",
        ownHome,
        req(OWNER_ROOT, GET, B + "/home//x"),
        NOT_APPLICABLE);
    Policy oldVersion =
        Requests.parse(
            PolicyKind.IDENTITY,
            "2008-10-17",
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/home/${aws:username}/*'}");
    row(
        "2008-10-17: variables are literal text, not substituted",
        oldVersion,
        req(ALICE, GET, B + "/home/alice/x"),
        NOT_APPLICABLE);
    row(
        "2008-10-17: the literal text matches itself",
        oldVersion,
        req(ALICE, GET, B + "/home/${aws:username}/x"),
        ALLOW);
    Policy noVersion =
        Requests.parse(
            PolicyKind.IDENTITY,
            null,
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/home/${aws:username}/*'}");
    row(
        "no Version (means 2008-10-17): variables are literal text",
        noVersion,
        req(ALICE, GET, B + "/home/alice/x"),
        NOT_APPLICABLE);
    Policy prefixVar =
        identity(
            "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
                + "'Condition':{'StringLike':{'s3:prefix':['home/${aws:username}/*']}}}");
    row(
        "${aws:username} in a StringLike value (AWS example): own prefix",
        prefixVar,
        req(ALICE, LIST, B, "s3:prefix", "home/alice/photos"),
        ALLOW);
    row(
        "${aws:username} in a StringLike value (AWS example): another prefix",
        prefixVar,
        req(BOB, LIST, B, "s3:prefix", "home/alice/photos"),
        NOT_APPLICABLE);
    Policy literalStar =
        identity("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/${*}'}");
    row("${*} is a literal '*'", literalStar, req(ALICE, GET, B + "/*"), ALLOW);
    row("${*} is not a wildcard", literalStar, req(ALICE, GET, B + "/x"), NOT_APPLICABLE);
    row(
        "a variable's default value stands in when the key is absent",
        fallbackPolicy(),
        req(OWNER_ROOT, GET, B + "/home/shared/x"),
        ALLOW);
    row(
        "a variable's default value is not used when the key is present",
        fallbackPolicy(),
        req(ALICE, GET, B + "/home/shared/x"),
        NOT_APPLICABLE);
    row(
        "${aws:PrincipalAccount} in a condition value",
        allowGetWhen("{'StringEquals':{'s3:ExistingObjectTag/owner':'${aws:PrincipalAccount}'}}"),
        req(ALICE, GET, B + "/k", "s3:ExistingObjectTag/owner", "111122223333"),
        ALLOW);
  }

  private static Policy numeric(String operator, String value) {
    return identity(
        "{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b',"
            + "'Condition':{'"
            + operator
            + "':{'s3:max-keys':'"
            + value
            + "'}}}");
  }

  /** Built by hand: the default value's single quotes must survive the quote swap. */
  private static Policy fallbackPolicy() {
    try {
      return Policy.parse(
          "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
              + "\"Resource\":\"arn:aws:s3:::b/home/${aws:username, 'shared'}/*\"}}",
          PolicyKind.IDENTITY);
    } catch (MalformedPolicyException e) {
      throw new AssertionError(e);
    }
  }

  static List<Case> cases() {
    return CASES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluate_tableCase_matchesAwsSemantics(Case c) {
    assertThat(c.policy().evaluate(c.request())).as(c.rule()).isEqualTo(c.expected());
  }
}
