package fr.coffre.policy;

import java.util.List;

/**
 * A statement's Action or NotAction: case-insensitive wildcard patterns such as {@code s3:Get*}.
 */
final class ActionMatcher {
  private final Glob[] patterns;
  private final boolean negated;

  ActionMatcher(List<String> actions, boolean negated) {
    this.patterns = new Glob[actions.size()];
    for (int i = 0; i < patterns.length; i++) {
      patterns[i] = Glob.compile(actions.get(i), true, false, true);
    }
    this.negated = negated;
  }

  boolean matches(String action) {
    for (Glob g : patterns) {
      if (g.matches(action)) {
        return !negated;
      }
    }
    return negated;
  }
}
