package fr.coffre.policy;

import static fr.coffre.policy.Requests.ALICE;
import static fr.coffre.policy.Requests.ANONYMOUS;
import static fr.coffre.policy.Requests.BOB;
import static fr.coffre.policy.Requests.CAROL;
import static fr.coffre.policy.Requests.OWNER;
import static fr.coffre.policy.Requests.OWNER_ROOT;
import static fr.coffre.policy.Requests.bucket;
import static fr.coffre.policy.Requests.identity;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewTest {
  private static final String KEY = "arn:aws:s3:::b/k";
  private static final String GET = "s3:GetObject";

  private static final Policy READ =
      identity("{'Sid':'Read','Effect':'Allow','Action':'s3:Get*','Resource':'*'}");
  private static final Policy READ_FROM_OFFICE =
      identity(
          "{'Sid':'Office','Effect':'Allow','Action':'s3:GetObject',"
              + "'Resource':'*','Condition':{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}}");
  private static final Policy DENY_HTTP =
      bucket(
          "{'Sid':'DenyHttp','Effect':'Deny','Principal':'*','Action':'s3:*',"
              + "'Resource':'arn:aws:s3:::b/*','Condition':{'Bool':{'aws:SecureTransport':'false'}}}");
  private static final Policy DENY_ALL =
      bucket(
          "{'Sid':'Closed','Effect':'Deny','Principal':'*','Action':'s3:*',"
              + "'Resource':['arn:aws:s3:::b','arn:aws:s3:::b/*']}");
  private static final Policy PUBLIC =
      bucket(
          "{'Sid':'Public','Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
              + "'Resource':'arn:aws:s3:::b/*'}");

  @Test
  void review_unconditionalAllow_isAllowed() {
    assertThat(READ.review(ALICE, GET, KEY)).isEqualTo(Review.ALLOWED);
  }

  @Test
  void review_onlyAConditionalAllow_isConditional() {
    assertThat(READ_FROM_OFFICE.review(ALICE, GET, KEY)).isEqualTo(Review.CONDITIONAL);
  }

  @Test
  void review_nothingMatches_isNotGranted() {
    assertThat(READ.review(ALICE, "s3:PutObject", KEY)).isEqualTo(Review.NOT_GRANTED);
  }

  @Test
  void review_allowAndConditionalDeny_isConditionallyDenied() {
    Policy p =
        identity(
            "{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
            "{'Effect':'Deny','Action':'s3:*','Resource':'*','Condition':{'Bool':{'aws:SecureTransport':'false'}}}");
    assertThat(p.review(ALICE, GET, KEY)).isEqualTo(Review.CONDITIONALLY_DENIED);
  }

  @Test
  void review_onlyAConditionalDeny_isNotGranted() {
    assertThat(DENY_HTTP.review(ALICE, GET, KEY)).isEqualTo(Review.NOT_GRANTED);
  }

  @Test
  void review_unconditionalDeny_isDeniedWhateverAllows() {
    Policy p =
        identity(
            "{'Effect':'Allow','Action':'s3:*','Resource':'*'}",
            "{'Effect':'Deny','Action':'s3:GetObject','Resource':'*'}");
    assertThat(p.review(ALICE, GET, KEY)).isEqualTo(Review.DENIED);
  }

  @Test
  void review_variableTheCallerDetermines_isResolved() {
    Policy home =
        identity(
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/home/${aws:username}/*'}");
    assertThat(home.review(ALICE, GET, "arn:aws:s3:::b/home/alice/x")).isEqualTo(Review.ALLOWED);
    assertThat(home.review(ALICE, GET, "arn:aws:s3:::b/home/bob/x")).isEqualTo(Review.NOT_GRANTED);
  }

  @Test
  void review_variableOnlyARequestSupplies_isConditional() {
    Policy tagged =
        identity(
            "{'Effect':'Allow','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::b/${s3:ExistingObjectTag/project}/*'}");
    assertThat(tagged.review(ALICE, GET, "arn:aws:s3:::b/apollo/x")).isEqualTo(Review.CONDITIONAL);
  }

  @Test
  void combined_crossAccountWithConditionalIdentitySide_isConditional() {
    AccessReview r =
        AccessDecision.review(CAROL, GET, KEY, OWNER, List.of(READ_FROM_OFFICE), PUBLIC);
    assertThat(r)
        .isEqualTo(
            new AccessReview(
                Review.CONDITIONAL,
                "allowed when conditions hold: bucket policy statement 'Public' and identity policy #0 statement 'Office'"));
  }

  @Test
  void combined_crossAccountWithoutIdentityPolicy_isNotGranted() {
    AccessReview r = AccessDecision.review(CAROL, GET, KEY, OWNER, List.of(), PUBLIC);
    assertThat(r.review()).isEqualTo(Review.NOT_GRANTED);
    assertThat(r.reason())
        .isEqualTo(
            "nothing grants s3:GetObject on arn:aws:s3:::b/k for "
                + "arn:aws:iam::444455556666:user/carol");
  }

  @Test
  void combined_sameAccountEitherSide_takesTheStronger() {
    AccessReview r = AccessDecision.review(BOB, GET, KEY, OWNER, List.of(READ_FROM_OFFICE), PUBLIC);
    assertThat(r.review()).isEqualTo(Review.ALLOWED);
  }

  @Test
  void combined_anonymousOnAPublicBucketWithHttpDeny_isConditionallyDenied() {
    Policy both =
        bucket(
            "{'Sid':'Public','Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::b/*'}",
            "{'Sid':'DenyHttp','Effect':'Deny','Principal':'*','Action':'s3:*',"
                + "'Resource':'arn:aws:s3:::b/*','Condition':{'Bool':{'aws:SecureTransport':'false'}}}");
    AccessReview r = AccessDecision.review(ANONYMOUS, GET, KEY, OWNER, List.of(READ), both);
    assertThat(r)
        .isEqualTo(
            new AccessReview(
                Review.CONDITIONALLY_DENIED,
                "allowed, except when the conditions of bucket policy statement 'DenyHttp' hold"));
  }

  @Test
  void combined_unconditionalBucketDeny_isDenied() {
    AccessReview r = AccessDecision.review(ALICE, GET, KEY, OWNER, List.of(READ), DENY_ALL);
    assertThat(r)
        .isEqualTo(
            new AccessReview(
                Review.DENIED,
                "explicit deny in bucket policy statement 'Closed' (unconditional)"));
  }

  @Test
  void combined_ownerRoot_isAllowedAndKeepsThePolicyActions() {
    assertThat(AccessDecision.review(OWNER_ROOT, GET, KEY, OWNER, List.of(), null).review())
        .isEqualTo(Review.ALLOWED);
    assertThat(AccessDecision.review(OWNER_ROOT, GET, KEY, OWNER, List.of(), DENY_ALL).review())
        .isEqualTo(Review.DENIED);
    assertThat(
            AccessDecision.review(
                    OWNER_ROOT, "s3:PutBucketPolicy", "arn:aws:s3:::b", OWNER, List.of(), DENY_ALL)
                .review())
        .isEqualTo(Review.ALLOWED);
  }
}
