package fr.coffre.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, validated IAM-style access policy: an identity policy attached to a user, or a
 * bucket policy.
 *
 * <h2>Design</h2>
 *
 * <p>Policies are written rarely and read on every S3 request, so all the work happens in {@link
 * #parse}: the JSON is validated as strictly as AWS does (unknown elements, a bad CIDR or date, an
 * action of another service are all {@link MalformedPolicyException}s with a message that names the
 * statement and the element), and every statement is compiled into matchers: wildcard patterns into
 * operation arrays, CIDR blocks into masks, dates into epoch milliseconds, numbers into longs.
 * {@link #evaluate} then only walks arrays: no regex, no parsing of policy text, and no allocation
 * unless a pattern has a policy variable to splice in.
 *
 * <p>A statement applies when its principal, action, resource and every condition match (see {@link
 * Condition} for the condition rules). Within one policy an applicable Deny wins over any Allow, so
 * evaluation stops at the first Deny, and once an Allow is found only Deny statements are still
 * looked at. Combining several policies the way S3 does (identity and bucket policies, same account
 * or not, anonymous callers) is {@link AccessDecision}'s job.
 *
 * <p>Policy variables ({@code ${aws:username}}, {@code ${key, 'default'}}, and the escapes {@code
 * ${*}}, {@code ${?}}, {@code ${$}}) are substituted in Resource and in String* condition values
 * when Version is 2012-10-17; in a 2008-10-17 policy, or one without Version, they are plain text,
 * as in AWS.
 */
public final class Policy {
  /** The largest policy accepted, in UTF-8 bytes: S3's limit for a bucket policy. */
  public static final int MAX_BYTES = 20_480;

  private final String json;
  private final PolicyKind kind;
  private final @Nullable String version;
  private final @Nullable String id;
  private final Statement[] statements;
  private final List<Statement> statementList;

  Policy(
      String json,
      PolicyKind kind,
      @Nullable String version,
      @Nullable String id,
      List<Statement> statements) {
    this.json = json;
    this.kind = kind;
    this.version = version;
    this.id = id;
    this.statements = statements.toArray(new Statement[0]);
    this.statementList = List.copyOf(statements);
  }

  /** Parses and validates a policy of the given kind. */
  public static Policy parse(String json, PolicyKind kind) throws MalformedPolicyException {
    return PolicyParser.parse(json, Objects.requireNonNull(kind, "kind"), null);
  }

  /**
   * Parses a bucket policy for {@code bucket}: besides the rules of {@link PolicyKind#BUCKET},
   * every Resource and NotResource must lie within that bucket ({@code arn:aws:s3:::bucket} or
   * {@code arn:aws:s3:::bucket/...}), as S3's PutBucketPolicy requires.
   */
  public static Policy parseBucketPolicy(String json, String bucket)
      throws MalformedPolicyException {
    Objects.requireNonNull(bucket, "bucket");
    if (bucket.isEmpty()
        || bucket.indexOf('*') >= 0
        || bucket.indexOf('?') >= 0
        || bucket.indexOf('/') >= 0) {
      throw new IllegalArgumentException("not a bucket name: " + bucket);
    }
    return PolicyParser.parse(json, PolicyKind.BUCKET, bucket);
  }

  /** The text this policy was parsed from, unchanged (what GetBucketPolicy returns). */
  public String json() {
    return json;
  }

  public PolicyKind kind() {
    return kind;
  }

  /** "2012-10-17", "2008-10-17", or empty when the policy has no Version. */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  public List<Statement> statements() {
    return statementList;
  }

  /**
   * Whether an Allow statement grants something to everyone without pinning it to fixed callers or
   * networks (S3's "public" policy: GetBucketPolicyStatus, Block Public Access).
   */
  public boolean isPublic() {
    for (Statement s : statements) {
      if (s.allowsEveryone()) {
        return true;
      }
    }
    return false;
  }

  /**
   * What this policy alone says about a request: DENY if an explicit Deny applies, ALLOW if an
   * Allow applies and no Deny does, NOT_APPLICABLE otherwise.
   */
  public Effect evaluate(RequestContext ctx) {
    boolean allowed = false;
    for (Statement s : statements) {
      if (allowed && s.effect() == Effect.ALLOW) {
        continue; // one Allow is enough; only a Deny could still change the answer
      }
      if (s.match(ctx) != PrincipalMatcher.NONE) {
        if (s.effect() == Effect.DENY) {
          return Effect.DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Effect.ALLOW : Effect.NOT_APPLICABLE;
  }

  /**
   * Reviews this policy alone for a caller, an action and a resource without a live request; see
   * {@link Review} for what each answer means. Conditions are not evaluated: a statement with a
   * Condition counts as applying "sometimes". Policy variables the caller determines (aws:username,
   * aws:userid, aws:PrincipalAccount...) are substituted; others make the statement "sometimes"
   * too.
   */
  public Review review(Caller caller, String action, String resource) {
    ReviewOutcome o = reviewOutcome(RequestContext.of(caller, action, resource));
    return Review.of(o.deny, o.anyAllow());
  }

  /** Like {@link #evaluate}, keeping the deciding statements and how the caller matched. */
  Outcome outcome(RequestContext ctx) {
    Statement direct = null;
    Statement delegated = null;
    for (Statement s : statements) {
      if (direct != null && s.effect() == Effect.ALLOW) {
        continue;
      }
      int how = s.match(ctx);
      if (how == PrincipalMatcher.NONE) {
        continue;
      }
      if (s.effect() == Effect.DENY) {
        return new Outcome(s, null, null);
      }
      if (how == PrincipalMatcher.DIRECT) {
        direct = s;
      } else if (delegated == null) {
        delegated = s;
      }
    }
    return direct == null && delegated == null
        ? Outcome.NONE
        : new Outcome(null, direct, delegated);
  }

  ReviewOutcome reviewOutcome(RequestContext ctx) {
    ReviewOutcome o = new ReviewOutcome();
    for (Statement s : statements) {
      int how = s.principalMatch(ctx.caller());
      if (how != PrincipalMatcher.NONE) {
        o.add(s, how, s.review(ctx));
      }
    }
    return o;
  }

  @Override
  public String toString() {
    return kind
        + " policy"
        + (id != null ? " '" + id + "'" : "")
        + " with "
        + statements.length
        + " statement(s)";
  }
}
