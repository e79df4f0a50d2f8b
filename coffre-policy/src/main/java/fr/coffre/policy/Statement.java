package fr.coffre.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One compiled statement of a {@link Policy}: its effect, and matchers for principal, action,
 * resource and conditions built at parse time so that evaluating a request compiles nothing.
 */
public final class Statement {
  private final int index;
  private final @Nullable String sid;
  private final Effect effect;
  private final @Nullable PrincipalMatcher
      principal; // null in identity policies: the holder is the principal
  private final ActionMatcher actions;
  private final ResourceMatcher resources;
  private final Condition[] conditions;

  Statement(
      int index,
      @Nullable String sid,
      Effect effect,
      @Nullable PrincipalMatcher principal,
      ActionMatcher actions,
      ResourceMatcher resources,
      Condition[] conditions) {
    this.index = index;
    this.sid = sid;
    this.effect = Objects.requireNonNull(effect);
    this.principal = principal;
    this.actions = actions;
    this.resources = resources;
    this.conditions = conditions;
  }

  /** The statement's position in the policy, counting from 0 as error messages do. */
  public int index() {
    return index;
  }

  public Optional<String> sid() {
    return Optional.ofNullable(sid);
  }

  /** ALLOW or DENY. */
  public Effect effect() {
    return effect;
  }

  /** Whether the statement has a Condition, so that only some requests can match it. */
  public boolean conditional() {
    return conditions.length > 0;
  }

  /** How reasons name it: {@code statement 'Sid'}, or {@code Statement[2]} when it has no Sid. */
  public String label() {
    return sid != null ? "statement '" + sid + "'" : "Statement[" + index + "]";
  }

  /**
   * Whether the statement applies to the request: PrincipalMatcher.NONE, or DIRECT / DELEGATED
   * saying how the caller matched. Cheapest tests first: the action rules out most statements.
   */
  int match(RequestContext ctx) {
    if (!actions.matches(ctx.action())) {
      return PrincipalMatcher.NONE;
    }
    int how = principal == null ? PrincipalMatcher.DIRECT : principal.match(ctx.caller());
    if (how == PrincipalMatcher.NONE || !resources.matches(ctx.resource(), ctx)) {
      return PrincipalMatcher.NONE;
    }
    for (Condition c : conditions) {
      if (!c.holds(ctx)) {
        return PrincipalMatcher.NONE;
      }
    }
    return how;
  }

  /**
   * Whether this is an Allow for everyone (S3's "public" statement): its principal matches an
   * anonymous caller and no condition pins it to fixed callers or networks.
   */
  boolean allowsEveryone() {
    if (effect != Effect.ALLOW
        || principal == null
        || principal.match(Caller.anonymousCaller()) == PrincipalMatcher.NONE) {
      return false;
    }
    for (Condition c : conditions) {
      if (PINNING_KEYS.contains(c.key().toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  /** Condition keys whose fixed values make a statement not public, as S3 judges it. */
  private static final Set<String> PINNING_KEYS =
      Set.of(
          "aws:sourceip",
          "aws:sourcearn",
          "aws:sourcevpc",
          "aws:sourcevpce",
          "aws:sourceaccount",
          "aws:sourceowner",
          "aws:principalaccount",
          "aws:principalarn",
          "aws:principalorgid",
          "aws:userid",
          "aws:username",
          "s3:dataaccesspointaccount",
          "s3:dataaccesspointarn");

  /** How the caller matches the principal, for a review (conditions cannot restrict principals). */
  int principalMatch(Caller caller) {
    return principal == null ? PrincipalMatcher.DIRECT : principal.match(caller);
  }

  /**
   * For an access review: ALWAYS if the statement applies whatever the request's keys, SOMETIMES if
   * it applies only to some requests (it has conditions, or its Resource needs a variable only a
   * live request can supply), NEVER otherwise. The principal is checked apart.
   */
  Certainty review(RequestContext ctx) {
    if (!actions.matches(ctx.action())) {
      return Certainty.NEVER;
    }
    Certainty r = resources.review(ctx.resource(), ctx);
    return conditions.length > 0 ? r.and(Certainty.SOMETIMES) : r;
  }

  @Override
  public String toString() {
    return label() + " (" + effect + ")";
  }
}
