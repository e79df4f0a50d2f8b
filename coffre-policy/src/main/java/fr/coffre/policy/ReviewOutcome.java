package fr.coffre.policy;

import org.jspecify.annotations.Nullable;

/**
 * What one policy says about an action for a caller when the request's keys are unknown: how surely
 * a Deny applies and how surely an Allow does (directly or through the caller's account), with the
 * strongest statement of each kind for the reason.
 */
final class ReviewOutcome {
  Certainty deny = Certainty.NEVER;
  Certainty directAllow = Certainty.NEVER;
  Certainty delegatedAllow = Certainty.NEVER;
  @Nullable Statement denyBy;
  @Nullable Statement directBy;
  @Nullable Statement delegatedBy;

  void add(Statement s, int how, Certainty c) {
    if (c == Certainty.NEVER || how == PrincipalMatcher.NONE) {
      return;
    }
    if (s.effect() == Effect.DENY) {
      if (c.compareTo(deny) > 0) {
        deny = c;
        denyBy = s;
      }
    } else if (how == PrincipalMatcher.DIRECT) {
      if (c.compareTo(directAllow) > 0) {
        directAllow = c;
        directBy = s;
      }
    } else if (c.compareTo(delegatedAllow) > 0) {
      delegatedAllow = c;
      delegatedBy = s;
    }
  }

  Certainty anyAllow() {
    return directAllow.or(delegatedAllow);
  }

  @Nullable Statement allowBy() {
    return directAllow.compareTo(delegatedAllow) >= 0 ? directBy : delegatedBy;
  }
}
