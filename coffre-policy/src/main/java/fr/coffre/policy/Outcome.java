package fr.coffre.policy;

import org.jspecify.annotations.Nullable;

/**
 * What one policy says about one live request, with the statements that said it, for {@link
 * AccessDecision} to combine and cite. A Deny ends evaluation, so {@code deny} set means the allow
 * fields were not looked at.
 *
 * @param directAllow an Allow that names the caller (or everyone)
 * @param delegatedAllow an Allow that reaches the caller only by naming its account
 */
record Outcome(
    @Nullable Statement deny, @Nullable Statement directAllow, @Nullable Statement delegatedAllow) {
  static final Outcome NONE = new Outcome(null, null, null);

  boolean allows() {
    return directAllow != null || delegatedAllow != null;
  }
}
