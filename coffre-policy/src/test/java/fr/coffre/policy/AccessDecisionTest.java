package fr.coffre.policy;

import static fr.coffre.policy.Requests.ALICE;
import static fr.coffre.policy.Requests.ANONYMOUS;
import static fr.coffre.policy.Requests.BOB;
import static fr.coffre.policy.Requests.CAROL;
import static fr.coffre.policy.Requests.OTHER_ROOT;
import static fr.coffre.policy.Requests.OWNER;
import static fr.coffre.policy.Requests.OWNER_ROOT;
import static fr.coffre.policy.Requests.bucket;
import static fr.coffre.policy.Requests.identity;
import static fr.coffre.policy.Requests.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identity and bucket policies combined, as a table. Expected results follow the IAM evaluation
 * logic (explicit deny wins; same account: either side allows; cross-account: both sides must; an
 * account principal delegates to the account) and S3's rules (anonymous access only through the
 * bucket policy; the owner's root may always manage the bucket policy).
 */
class AccessDecisionTest {
  private static final String B = "arn:aws:s3:::b";
  private static final String GET = "s3:GetObject";

  record Case(
      String rule,
      RequestContext request,
      List<Policy> identity,
      Policy bucketPolicy,
      boolean allowed,
      String reason) {
    @Override
    public String toString() {
      return rule;
    }
  }

  private static final List<Case> CASES = new ArrayList<>();

  private static void row(
      String rule,
      RequestContext request,
      List<Policy> identity,
      Policy bucketPolicy,
      boolean allowed,
      String reason) {
    CASES.add(new Case(rule, request, identity, bucketPolicy, allowed, reason));
  }

  static {
    Policy readB =
        identity(
            "{'Sid':'ReadB','Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    Policy denyGet =
        identity("{'Sid':'NoGet','Effect':'Deny','Action':'s3:GetObject','Resource':'*'}");
    Policy bucketAlice =
        bucket(
            "{'Sid':'Alice','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:user/alice'},"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    Policy bucketCarol =
        bucket(
            "{'Sid':'Carol','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::444455556666:user/carol'},"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    Policy bucketOtherAccount =
        bucket(
            "{'Sid':'Partner','Effect':'Allow','Principal':{'AWS':'444455556666'},"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    Policy bucketOwnAccount =
        bucket(
            "{'Sid':'Own','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:root'},"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
    Policy bucketDenyAlice =
        bucket(
            "{'Sid':'DenyAlice','Effect':'Deny','Principal':{'AWS':'arn:aws:iam::111122223333:user/alice'},"
                + "'Action':'s3:*','Resource':'arn:aws:s3:::b/*'}");
    Policy publicRead =
        bucket(
            "{'Sid':'Public','Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::b/*'}");
    Policy denyHttp =
        bucket(
            "{'Sid':'DenyHttp','Effect':'Deny','Principal':'*','Action':'s3:*',"
                + "'Resource':['arn:aws:s3:::b','arn:aws:s3:::b/*'],'Condition':{'Bool':{'aws:SecureTransport':'false'}}}");
    Policy lockOut =
        bucket(
            "{'Sid':'LockOut','Effect':'Deny','Principal':'*','Action':'s3:*',"
                + "'Resource':['arn:aws:s3:::b','arn:aws:s3:::b/*']}");

    row(
        "same account: an identity policy alone allows",
        req(ALICE, GET, B + "/k"),
        List.of(readB),
        null,
        true,
        "identity policy #0 statement 'ReadB' allows s3:GetObject on arn:aws:s3:::b/k");
    row(
        "same account: a bucket policy naming the user alone allows",
        req(ALICE, GET, B + "/k"),
        List.of(),
        bucketAlice,
        true,
        "bucket policy statement 'Alice' allows s3:GetObject on arn:aws:s3:::b/k");
    row(
        "same account: nothing allows -> implicit deny",
        req(ALICE, "s3:PutObject", B + "/k"),
        List.of(readB),
        bucketAlice,
        false,
        "no policy allows s3:PutObject on arn:aws:s3:::b/k");
    row(
        "same account: a bucket policy naming the account delegates; without an identity policy, denied",
        req(BOB, GET, B + "/k"),
        List.of(),
        bucketOwnAccount,
        false,
        "bucket policy statement 'Own' grants s3:GetObject on arn:aws:s3:::b/k to account 111122223333, which "
            + "delegates to its users, but no identity policy of arn:aws:iam::111122223333:user/bob allows it");
    row(
        "an explicit deny in the bucket policy overrides an identity Allow",
        req(ALICE, GET, B + "/k"),
        List.of(readB),
        bucketDenyAlice,
        false,
        "explicit deny in bucket policy statement 'DenyAlice'");
    row(
        "an explicit deny in an identity policy overrides a bucket Allow",
        req(ALICE, GET, B + "/k"),
        List.of(readB, denyGet),
        bucketAlice,
        false,
        "explicit deny in identity policy #1 statement 'NoGet'");
    row(
        "Bool aws:SecureTransport false: plain HTTP is denied despite the identity Allow",
        req(ALICE, GET, B + "/k", "aws:SecureTransport", "false"),
        List.of(readB),
        denyHttp,
        false,
        "explicit deny in bucket policy statement 'DenyHttp'");
    row(
        "Bool aws:SecureTransport false: TLS passes",
        req(ALICE, GET, B + "/k", "aws:SecureTransport", "true"),
        List.of(readB),
        denyHttp,
        true,
        "identity policy #0 statement 'ReadB' allows s3:GetObject on arn:aws:s3:::b/k");
    row(
        "cross-account: the bucket policy alone is not enough",
        req(CAROL, GET, B + "/k"),
        List.of(),
        bucketCarol,
        false,
        "cross-account request: bucket policy statement 'Carol' allows s3:GetObject on arn:aws:s3:::b/k, but no "
            + "identity policy of arn:aws:iam::444455556666:user/carol does");
    row(
        "cross-account: the identity policy alone is not enough",
        req(CAROL, GET, B + "/k"),
        List.of(readB),
        null,
        false,
        "cross-account request: no bucket policy statement allows arn:aws:iam::444455556666:user/carol to do "
            + "s3:GetObject on arn:aws:s3:::b/k");
    row(
        "cross-account: both sides allow",
        req(CAROL, GET, B + "/k"),
        List.of(readB),
        bucketCarol,
        true,
        "bucket policy statement 'Carol' and identity policy #0 statement 'ReadB' allow s3:GetObject on "
            + "arn:aws:s3:::b/k");
    row(
        "cross-account: a bucket policy naming the account, plus the user's identity policy",
        req(CAROL, GET, B + "/k"),
        List.of(readB),
        bucketOtherAccount,
        true,
        "bucket policy statement 'Partner' and identity policy #0 statement 'ReadB' allow s3:GetObject on "
            + "arn:aws:s3:::b/k");
    row(
        "cross-account: the other account's root needs only the bucket policy",
        req(OTHER_ROOT, GET, B + "/k"),
        List.of(),
        bucketOtherAccount,
        true,
        "bucket policy statement 'Partner' allows account 444455556666 "
            + "s3:GetObject on arn:aws:s3:::b/k");
    row(
        "cross-account: a public bucket policy plus the user's identity policy",
        req(CAROL, GET, B + "/k"),
        List.of(readB),
        publicRead,
        true,
        "bucket policy statement 'Public' and identity policy #0 statement 'ReadB' allow s3:GetObject on "
            + "arn:aws:s3:::b/k");
    row(
        "anonymous: a bucket policy with Principal \"*\" allows",
        req(ANONYMOUS, GET, B + "/k"),
        List.of(),
        publicRead,
        true,
        "bucket policy statement 'Public' allows anonymous s3:GetObject on arn:aws:s3:::b/k");
    row(
        "anonymous: identity policies never apply",
        req(ANONYMOUS, GET, B + "/k"),
        List.of(readB),
        null,
        false,
        "no bucket policy statement allows anonymous s3:GetObject on arn:aws:s3:::b/k");
    row(
        "anonymous: a bucket policy naming an account does not cover anonymous callers",
        req(ANONYMOUS, GET, B + "/k"),
        List.of(),
        bucketOwnAccount,
        false,
        "no bucket policy statement allows anonymous s3:GetObject on " + "arn:aws:s3:::b/k");
    row(
        "the owner's root user needs no policy",
        req(OWNER_ROOT, "s3:PutObject", B + "/k"),
        List.of(),
        null,
        true,
        "the root user of the bucket owner's account may do s3:PutObject on arn:aws:s3:::b/k");
    row(
        "the owner's root user is subject to an explicit deny in the bucket policy",
        req(OWNER_ROOT, GET, B + "/k"),
        List.of(),
        lockOut,
        false,
        "explicit deny in bucket policy statement 'LockOut'");
    row(
        "the owner's root user may always delete the bucket policy (lock-out guard)",
        req(OWNER_ROOT, "s3:DeleteBucketPolicy", B),
        List.of(),
        lockOut,
        true,
        "the bucket owner's root user may always DeleteBucketPolicy (explicit deny in bucket policy statement "
            + "'LockOut' does not apply)");
    row(
        "the lock-out guard is for the owner's root only",
        req(ALICE, "s3:PutBucketPolicy", B),
        List.of(identity("{'Effect':'Allow','Action':'s3:*','Resource':'*'}")),
        lockOut,
        false,
        "explicit deny in bucket policy statement 'LockOut'");
  }

  static List<Case> cases() {
    return CASES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decide_tableCase_matchesAwsSemantics(Case c) {
    Decision d = AccessDecision.decide(c.request(), OWNER, c.identity(), c.bucketPolicy());
    assertThat(d.allowed()).as(c.rule()).isEqualTo(c.allowed());
    assertThat(d.reason()).isEqualTo(c.reason());
  }

  @Test
  void decide_policiesOfTheWrongKind_areRefused() {
    Policy b = bucket("{'Effect':'Allow','Principal':'*','Action':'s3:*','Resource':'*'}");
    Policy i = identity("{'Effect':'Allow','Action':'s3:*','Resource':'*'}");
    RequestContext ctx = req(BOB, GET, B + "/k");
    assertThatThrownBy(() -> AccessDecision.decide(ctx, OWNER, List.of(b), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an identity policy");
    assertThatThrownBy(() -> AccessDecision.decide(ctx, OWNER, List.of(), i))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a bucket policy");
  }

  @Test
  void decide_identityPolicyWithId_isCitedById() throws Exception {
    Policy quarantine =
        Policy.parse(
            "{\"Id\":\"quarantine\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
            PolicyKind.IDENTITY);
    Decision d = AccessDecision.decide(req(BOB, GET, B + "/k"), OWNER, List.of(quarantine), null);
    assertThat(d)
        .isEqualTo(
            new Decision(false, "explicit deny in identity policy 'quarantine' Statement[0]"));
  }
}
