package fr.coffre.service.lifecycle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * A bucket's lifecycle rules and the pure decision of what is due for one version or upload at a
 * given instant. Nothing here reads a clock or a store: the job hands in the facts and {@code now}.
 *
 * <p>How S3 decides, and so how this does:
 *
 * <ul>
 *   <li>Days are counted as S3 counts them: the action is due at the first midnight UTC that
 *       follows the start instant plus the days ({@link #dueAfter}); an object written on 15
 *       January at 10:30 UTC under {@code Days 3} expires on 19 January at 00:00 UTC. A {@code
 *       Date} is due from that midnight on, for every matching object whatever its age.
 *   <li>Current versions: {@code Expiration} Days or Date. Noncurrent versions (and noncurrent
 *       delete markers): {@code NoncurrentVersionExpiration}, counted from when the version became
 *       noncurrent, keeping the {@code NewerNoncurrentVersions} newest. A delete marker that is
 *       current and the only version left ("expired object delete marker"): removed at once with
 *       {@code ExpiredObjectDeleteMarker}, or when an {@code Expiration} Days or Date is due for
 *       it.
 *   <li>Delete markers and uploads have no tags and no size: a rule whose filter names tags or
 *       bounds the size never applies to them. Uploads are matched on the prefix alone.
 *   <li>When several enabled rules apply, the action due earliest wins (ties: the first rule), as
 *       when S3 resolves overlapping expirations; disabled rules are ignored.
 *   <li>Safety: a version whose tags could not be read is never touched; a locked version (Object
 *       Lock retention or legal hold) is never removed. Expiring a locked current version is still
 *       decided: in a versioned bucket it only puts a delete marker on top, as S3 does.
 * </ul>
 */
public final class Lifecycle {
  private final List<LifecycleRule> rules;

  public Lifecycle(List<LifecycleRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<LifecycleRule> rules() {
    return rules;
  }

  /**
   * What is due, and by which rule.
   *
   * @param action what to do
   * @param ruleId the rule that decided it, or null for {@link LifecycleAction#NONE}
   * @param due since when it is due, or null for {@link LifecycleAction#NONE}
   */
  public record Decision(LifecycleAction action, String ruleId, Instant due) {
    public static final Decision NONE = new Decision(LifecycleAction.NONE, null, null);

    public boolean isNone() {
      return action == LifecycleAction.NONE;
    }
  }

  /**
   * The first midnight UTC after {@code start} plus {@code days} (S3's rounding: "to the next day
   * midnight UTC"); a sum that falls exactly on midnight still moves to the next one.
   */
  public static Instant dueAfter(Instant start, int days) {
    return start.plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
  }

  /** What is due for this version at {@code now}; NONE when its tags are unknown. */
  public Decision decide(ObjectFacts o, Instant now) {
    if (o.tags() == null) {
      return Decision.NONE;
    }
    return decide(o, now, true);
  }

  /**
   * Whether some rule could act on this version at {@code now} if its tags matched: lets the job
   * skip reading the tags (a decryption) of versions nothing can touch. Its tags are not looked at.
   */
  public boolean mayAct(ObjectFacts o, Instant now) {
    return !decide(o, now, false).isNone();
  }

  private Decision decide(ObjectFacts o, Instant now, boolean checkTags) {
    Objects.requireNonNull(now, "now");
    Decision best = Decision.NONE;
    for (LifecycleRule rule : rules) {
      if (!rule.enabled() || !applies(rule.filter(), o, checkTags)) {
        continue;
      }
      Decision d = decide(rule, o);
      if (!d.isNone() && !d.due().isAfter(now) && (best.isNone() || d.due().isBefore(best.due()))) {
        best = d;
      }
    }
    return best;
  }

  private static boolean applies(LifecycleFilter filter, ObjectFacts o, boolean checkTags) {
    if (!filter.matchesKey(o.key())) {
      return false;
    }
    if (o.deleteMarker()) {
      return !filter.hasTags() && !filter.hasSize();
    }
    return filter.matchesSize(o.size()) && (!checkTags || filter.matchesTags(o.tags()));
  }

  /** What this rule would do to the version, and from when; NONE if it has nothing for it. */
  private static Decision decide(LifecycleRule rule, ObjectFacts o) {
    if (!o.current()) {
      LifecycleRule.NoncurrentExpiration n = rule.noncurrentExpiration();
      if (n == null
          || o.locked()
          || (n.newerNoncurrentVersions() != null
              && o.newerNoncurrentVersions() < n.newerNoncurrentVersions())) {
        return Decision.NONE;
      }
      return new Decision(
          LifecycleAction.REMOVE_NONCURRENT,
          rule.id(),
          dueAfter(o.noncurrentSince(), n.noncurrentDays()));
    }
    LifecycleRule.Expiration e = rule.expiration();
    if (e == null) {
      return Decision.NONE;
    }
    if (o.deleteMarker()) {
      if (!o.onlyVersion()) {
        return Decision.NONE;
      }
      Instant due = e.expiredObjectDeleteMarker() ? o.lastModified() : expiry(e, o.lastModified());
      return due == null
          ? Decision.NONE
          : new Decision(LifecycleAction.REMOVE_DELETE_MARKER, rule.id(), due);
    }
    Instant due = expiry(e, o.lastModified());
    return due == null
        ? Decision.NONE
        : new Decision(LifecycleAction.EXPIRE_CURRENT, rule.id(), due);
  }

  /** When an expiration is due for a version written at {@code lastModified}; null: never. */
  private static Instant expiry(LifecycleRule.Expiration e, Instant lastModified) {
    if (e.days() != null) {
      return dueAfter(lastModified, e.days());
    }
    return e.date();
  }

  /**
   * Whether an unfinished multipart upload of {@code key}, initiated at {@code initiated}, is due
   * to be aborted at {@code now} ({@link LifecycleAction#ABORT_UPLOAD}), or NONE.
   */
  public Decision decideUpload(String key, Instant initiated, Instant now) {
    Decision best = Decision.NONE;
    for (LifecycleRule rule : rules) {
      LifecycleFilter f = rule.filter();
      if (!rule.enabled()
          || rule.abortAfterDays() == null
          || f.hasTags()
          || f.hasSize()
          || !f.matchesKey(key)) {
        continue;
      }
      Instant due = dueAfter(initiated, rule.abortAfterDays());
      if (!due.isAfter(now) && (best.isNone() || due.isBefore(best.due()))) {
        best = new Decision(LifecycleAction.ABORT_UPLOAD, rule.id(), due);
      }
    }
    return best;
  }

  /** Whether any enabled rule aborts uploads (else the job does not list them). */
  public boolean abortsUploads() {
    return rules.stream().anyMatch(r -> r.enabled() && r.abortAfterDays() != null);
  }

  /** Whether any enabled rule acts on versions (else the job does not walk the objects). */
  public boolean actsOnVersions() {
    return rules.stream()
        .anyMatch(r -> r.enabled() && (r.expiration() != null || r.noncurrentExpiration() != null));
  }
}
