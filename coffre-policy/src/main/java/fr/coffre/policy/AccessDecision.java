package fr.coffre.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Combines a caller's identity policies with a bucket's policy into one decision, as S3 does.
 *
 * <ol>
 *   <li>An explicit Deny in any policy that applies refuses the request. (One exception, S3's
 *       lock-out guard: the root user of the bucket owner's account may always get, put and delete
 *       the bucket policy, whatever the bucket policy says.)
 *   <li>An anonymous caller is allowed only by the bucket policy.
 *   <li>The root user of the bucket owner's account is allowed.
 *   <li>Another caller of the owner's account is allowed if one of its identity policies allows, or
 *       the bucket policy allows it by naming the user (or everyone).
 *   <li>A caller of another account needs both: the bucket policy must allow it (naming the user,
 *       its account, or everyone), and the caller must be its account's root or be allowed by one
 *       of its identity policies.
 *   <li>Otherwise the request is refused (implicit deny).
 * </ol>
 *
 * <p>A bucket policy that names an <em>account</em> (an account id or {@code :root} ARN) delegates
 * to that account: it lets the account's root in, and lets the account's users in only if their
 * identity policies allow too, in the owner's account as in any other (IAM: "this delegates
 * authority to the account"). Identity policies are evaluated for users only: the root user and
 * anonymous callers have none.
 */
public final class AccessDecision {
  private static final List<String> POLICY_ACTIONS =
      List.of("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy");

  private AccessDecision() {}

  /**
   * Decides a live request.
   *
   * @param bucketOwnerAccount the 12-digit account that owns the bucket
   * @param identityPolicies the caller's identity policies (ignored for the root and anonymous)
   * @param bucketPolicyOrNull the bucket's policy, or null when it has none
   */
  public static Decision decide(
      RequestContext ctx,
      String bucketOwnerAccount,
      List<Policy> identityPolicies,
      @Nullable Policy bucketPolicyOrNull) {
    return decide(
        ctx, bucketOwnerAccount, identityPolicies, bucketPolicyOrNull, Optional::empty, false);
  }

  /**
   * Decides a live request with the resource's ACL too: a grant of the ACL counts as an Allow of a
   * resource policy (as in S3, where ACLs and bucket policies are both resource-based), so it lets
   * in an anonymous caller (AllUsers), a caller of the owner's account, or, with an allow of its
   * own identity policies (or as its account's root), a caller of another account. Explicit denies
   * still win.
   *
   * @param acl what the ACL grants the caller for this action (empty: nothing); asked only when the
   *     policies alone do not decide, since it may cost a read
   * @param ownerAccountOnly when the bucket policy's allows count only for callers of the owner's
   *     account (Block Public Access's RestrictPublicBuckets on a public policy); its denies count
   */
  public static Decision decide(
      RequestContext ctx,
      String bucketOwnerAccount,
      List<Policy> identityPolicies,
      @Nullable Policy bucketPolicyOrNull,
      Supplier<Optional<AclGrant>> acl,
      boolean ownerAccountOnly) {
    check(bucketOwnerAccount, identityPolicies, bucketPolicyOrNull);
    Caller caller = ctx.caller();
    boolean owner = !caller.anonymous() && bucketOwnerAccount.equals(caller.accountId());
    Outcome bucket = bucketPolicyOrNull == null ? Outcome.NONE : bucketPolicyOrNull.outcome(ctx);
    if (bucket.deny() != null) {
      if (!(owner && caller.accountRoot() && isPolicyAction(ctx.action()))) {
        return Decision.deny("explicit deny in bucket policy " + bucket.deny().label());
      }
      return Decision.allow(
          "the bucket owner's root user may always "
              + ctx.action().substring(3)
              + " (explicit deny in bucket policy "
              + bucket.deny().label()
              + " does not apply)");
    }
    Statement identityAllow = null;
    int identityIndex = -1;
    if (hasIdentityPolicies(caller)) {
      for (int i = 0; i < identityPolicies.size(); i++) {
        Outcome o = identityPolicies.get(i).outcome(ctx);
        if (o.deny() != null) {
          return Decision.deny(
              "explicit deny in " + name(identityPolicies, i) + " " + o.deny().label());
        }
        if (identityAllow == null && o.allows()) {
          identityAllow = o.directAllow();
          identityIndex = i;
        }
      }
    }
    if (ownerAccountOnly && !owner) {
      bucket = Outcome.NONE;
    }
    boolean decidedByPolicies =
        (owner && (caller.accountRoot() || identityAllow != null)) || bucket.directAllow() != null;
    AclGrant aclOrNull = decidedByPolicies ? null : acl.get().orElse(null);
    String direct =
        bucket.directAllow() != null
            ? "bucket policy " + bucket.directAllow().label()
            : aclOrNull != null && !aclOrNull.delegated() ? aclOrNull.label() : null;
    String delegated =
        bucket.delegatedAllow() != null
            ? "bucket policy " + bucket.delegatedAllow().label()
            : aclOrNull != null && aclOrNull.delegated() ? aclOrNull.label() : null;
    String what = ctx.action() + " on " + ctx.resource();
    if (caller.anonymous()) {
      return direct != null
          ? Decision.allow(direct + " allows anonymous " + what)
          : Decision.deny("no bucket policy statement allows anonymous " + what);
    }
    if (owner) {
      if (caller.accountRoot()) {
        return Decision.allow("the root user of the bucket owner's account may do " + what);
      }
      if (identityAllow != null) {
        return Decision.allow(
            name(identityPolicies, identityIndex)
                + " "
                + identityAllow.label()
                + " allows "
                + what);
      }
      if (direct != null) {
        return Decision.allow(direct + " allows " + what);
      }
      if (delegated != null) {
        return Decision.deny(
            delegated
                + " grants "
                + what
                + " to account "
                + caller.accountId()
                + ", which delegates to its users, but no identity policy of "
                + caller
                + " allows it");
      }
      return Decision.deny("no policy allows " + what);
    }
    String granted = direct != null ? direct : delegated;
    if (granted == null) {
      return Decision.deny(
          "cross-account request: no bucket policy statement allows " + caller + " to do " + what);
    }
    if (caller.accountRoot()) {
      return Decision.allow(granted + " allows account " + caller.accountId() + " " + what);
    }
    if (identityAllow == null) {
      return Decision.deny(
          "cross-account request: "
              + granted
              + " allows "
              + what
              + ", but no identity policy of "
              + caller
              + " does");
    }
    return Decision.allow(
        granted
            + " and "
            + name(identityPolicies, identityIndex)
            + " "
            + identityAllow.label()
            + " allow "
            + what);
  }

  /**
   * Reviews whether a caller could do an action on a resource, combining policies by the same rules
   * as {@link #decide} but without a live request (see {@link Review}): a statement with conditions
   * counts as "sometimes", and the combination of "sometimes" with "always" follows the rules above
   * (both sides needed: the weaker; either side enough: the stronger).
   */
  public static AccessReview review(
      Caller caller,
      String action,
      String resource,
      String bucketOwnerAccount,
      List<Policy> identityPolicies,
      @Nullable Policy bucketPolicyOrNull) {
    check(bucketOwnerAccount, identityPolicies, bucketPolicyOrNull);
    RequestContext ctx = RequestContext.of(caller, action, resource);
    boolean owner = !caller.anonymous() && bucketOwnerAccount.equals(caller.accountId());
    ReviewOutcome bucket =
        bucketPolicyOrNull == null ? new ReviewOutcome() : bucketPolicyOrNull.reviewOutcome(ctx);
    Certainty deny = bucket.deny;
    Statement denyBy = bucket.denyBy;
    String denyIn = "bucket policy";
    if (owner && caller.accountRoot() && isPolicyAction(action)) {
      deny = Certainty.NEVER;
    }
    Certainty identity = Certainty.NEVER;
    String identityBy = null;
    if (hasIdentityPolicies(caller)) {
      for (int i = 0; i < identityPolicies.size(); i++) {
        ReviewOutcome o = identityPolicies.get(i).reviewOutcome(ctx);
        if (o.deny.compareTo(deny) > 0) {
          deny = o.deny;
          denyBy = o.denyBy;
          denyIn = name(identityPolicies, i);
        }
        if (o.anyAllow().compareTo(identity) > 0) {
          identity = o.anyAllow();
          identityBy =
              name(identityPolicies, i) + " " + Objects.requireNonNull(o.allowBy()).label();
        }
      }
    }
    Certainty grant;
    if (caller.anonymous()) {
      grant = bucket.directAllow;
    } else if (caller.accountRoot()) {
      grant = owner ? Certainty.ALWAYS : bucket.anyAllow();
    } else if (owner) {
      grant = identity.or(bucket.directAllow);
    } else {
      grant = identity.and(bucket.anyAllow());
    }
    Review r = Review.of(deny, grant);
    String what = action + " on " + resource + " for " + caller;
    String reason =
        switch (r) {
          case DENIED ->
              "explicit deny in "
                  + denyIn
                  + " "
                  + Objects.requireNonNull(denyBy).label()
                  + " (unconditional)";
          case CONDITIONALLY_DENIED ->
              "allowed, except when the conditions of "
                  + denyIn
                  + " "
                  + Objects.requireNonNull(denyBy).label()
                  + " hold";
          case NOT_GRANTED -> "nothing grants " + what;
          case ALLOWED, CONDITIONAL ->
              (r == Review.ALLOWED ? "allowed" : "allowed when conditions hold")
                  + ": "
                  + grantReason(caller, owner, bucket, identityBy);
        };
    return new AccessReview(r, reason);
  }

  private static @Nullable String grantReason(
      Caller caller, boolean owner, ReviewOutcome bucket, @Nullable String identityBy) {
    if (caller.accountRoot() && owner) {
      return "root user of the bucket owner's account";
    }
    String bucketBy = bucket.allowBy() == null ? null : "bucket policy " + bucket.allowBy().label();
    if (caller.anonymous() || caller.accountRoot()) {
      return bucketBy;
    }
    if (owner) {
      return identityBy != null
          ? identityBy
          : "bucket policy " + Objects.requireNonNull(bucket.directBy).label();
    }
    return bucketBy + " and " + identityBy;
  }

  private static boolean hasIdentityPolicies(Caller caller) {
    return !caller.anonymous() && !caller.accountRoot();
  }

  private static boolean isPolicyAction(String action) {
    for (String a : POLICY_ACTIONS) {
      if (a.equalsIgnoreCase(action)) {
        return true;
      }
    }
    return false;
  }

  private static String name(List<Policy> policies, int i) {
    return "identity policy " + policies.get(i).id().map(id -> "'" + id + "'").orElse("#" + i);
  }

  private static void check(
      String owner, List<Policy> identityPolicies, @Nullable Policy bucketPolicy) {
    Objects.requireNonNull(owner, "bucketOwnerAccount");
    Objects.requireNonNull(identityPolicies, "identityPolicies");
    for (Policy p : identityPolicies) {
      if (p.kind() != PolicyKind.IDENTITY) {
        throw new IllegalArgumentException("not an identity policy: " + p);
      }
    }
    if (bucketPolicy != null && bucketPolicy.kind() != PolicyKind.BUCKET) {
      throw new IllegalArgumentException("not a bucket policy: " + bucketPolicy);
    }
  }
}
