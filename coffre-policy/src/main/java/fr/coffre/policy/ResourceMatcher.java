package fr.coffre.policy;

import java.util.List;

/**
 * A statement's Resource or NotResource: case-sensitive wildcard ARNs, with policy variables when
 * the Version allows them. An entry whose variable the request cannot supply matches nothing in
 * Resource; in NotResource it makes the statement not apply (AWS: an unresolvable variable may make
 * the whole statement invalid), so a missing value can never widen a statement's reach.
 */
final class ResourceMatcher {
  private final Glob[] patterns;
  private final boolean negated;

  ResourceMatcher(List<String> resources, boolean negated, boolean variables) {
    this.patterns = new Glob[resources.size()];
    for (int i = 0; i < patterns.length; i++) {
      patterns[i] = Glob.compile(resources.get(i), true, variables, false);
    }
    this.negated = negated;
  }

  boolean matches(String resource, RequestContext ctx) {
    return review(resource, ctx) == Certainty.ALWAYS;
  }

  /**
   * ALWAYS when the statement covers {@code resource}, NEVER when it does not, SOMETIMES when that
   * depends on a variable {@code ctx} cannot supply (only an access review sees SOMETIMES mean
   * "maybe"; a live request treats it as not covered).
   */
  Certainty review(String resource, RequestContext ctx) {
    boolean unresolved = false;
    for (Glob g : patterns) {
      int m = g.match(resource, ctx);
      if (m == Glob.MATCH) {
        return negated ? Certainty.NEVER : Certainty.ALWAYS;
      }
      unresolved |= m == Glob.UNRESOLVED;
    }
    if (unresolved) {
      return Certainty.SOMETIMES;
    }
    return negated ? Certainty.ALWAYS : Certainty.NEVER;
  }
}
