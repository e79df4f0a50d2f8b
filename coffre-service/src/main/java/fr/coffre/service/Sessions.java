package fr.coffre.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Server-side console sessions: a random id in an HttpOnly cookie, a CSRF token the page sends back
 * in a header, an idle and an absolute lifetime. A session remembers who signed in (an access key
 * id, or the operator), never a secret. Kept in memory: a restart signs everyone out.
 *
 * <p>Bounded so that nobody can sign anyone else out: at most {@value #MAX_PER_SUBJECT} sessions
 * per subject and {@value #MAX_PER_GROUP} per group (a tenant) — beyond them the subject's, then
 * the group's, own oldest session ends — and at most {@value #MAX_SESSIONS} in all, beyond which a
 * new sign-in is refused ({@link SessionLimitException}) rather than ending another tenant's
 * session.
 */
public final class Sessions {
  /** At most this many live sessions in all; beyond, new sign-ins are refused. */
  static final int MAX_SESSIONS = 10_000;

  /** At most this many live sessions per subject (access key); its oldest ends beyond it. */
  static final int MAX_PER_SUBJECT = 20;

  /** At most this many live sessions per group (tenant); the group's oldest ends beyond it. */
  static final int MAX_PER_GROUP = 1_000;

  /** Raised when the server-wide bound is reached: the sign-in is refused, nobody is signed out. */
  public static final class SessionLimitException extends RuntimeException {
    public SessionLimitException() {
      super("too many console sessions on this server; try again later");
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private long opened; // guarded by this
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;

  private final int maxSessions;
  private final int maxPerSubject;
  private final int maxPerGroup;

  public Sessions(Clock clock, Duration idle, Duration absolute) {
    this(clock, idle, absolute, MAX_SESSIONS, MAX_PER_SUBJECT, MAX_PER_GROUP);
  }

  Sessions(
      Clock clock,
      Duration idle,
      Duration absolute,
      int maxSessions,
      int maxPerSubject,
      int maxPerGroup) {
    if (maxPerSubject < 1 || maxPerGroup < maxPerSubject || maxSessions < maxPerGroup) {
      throw new IllegalArgumentException(
          "session bounds must grow from subject ("
              + maxPerSubject
              + ") to group ("
              + maxPerGroup
              + ") to server ("
              + maxSessions
              + ")");
    }
    this.clock = clock;
    this.idle = idle;
    this.absolute = absolute;
    this.maxSessions = maxSessions;
    this.maxPerSubject = maxPerSubject;
    this.maxPerGroup = maxPerGroup;
  }

  /** One session. {@code subject} is the access key id (tenant console) or the operator's name. */
  public static final class Session {
    private final String id;
    private final String subject;
    private final String group;
    private final String csrf;
    private final Instant created;
    private final long order; // opening order, to tell apart sessions opened in the same instant
    private volatile Instant lastSeen;

    Session(String id, String subject, String group, String csrf, Instant created, long order) {
      this.order = order;
      this.id = id;
      this.subject = subject;
      this.group = group;
      this.csrf = csrf;
      this.created = created;
      this.lastSeen = created;
    }

    public String id() {
      return id;
    }

    public String subject() {
      return subject;
    }

    public String csrf() {
      return csrf;
    }

    public Instant created() {
      return created;
    }
  }

  /** A session of {@code subject}, its own group. */
  public Session open(String subject) {
    return open(subject, subject);
  }

  /**
   * A new session of {@code subject} in {@code group} (its tenant).
   *
   * @throws SessionLimitException when the server-wide bound is reached
   */
  public synchronized Session open(String subject, String group) {
    Instant now = clock.instant();
    sessions
        .values()
        .removeIf(s -> expired(s, now) && (s.subject.equals(subject) || s.group.equals(group)));
    endOldestBeyond(s -> s.subject.equals(subject), maxPerSubject);
    endOldestBeyond(s -> s.group.equals(group), maxPerGroup);
    if (sessions.size() >= maxSessions) {
      sessions.values().removeIf(s -> expired(s, now));
      if (sessions.size() >= maxSessions) {
        throw new SessionLimitException();
      }
    }
    Session s = new Session(random(), subject, group, random(), now, ++opened);
    sessions.put(s.id, s);
    return s;
  }

  /** Ends the oldest sessions matching {@code which} until fewer than {@code max} remain. */
  private void endOldestBeyond(Predicate<Session> which, int max) {
    if (sessions.values().stream().filter(which).count() < max) {
      return;
    }
    List<Session> mine =
        sessions.values().stream()
            .filter(which)
            .sorted(Comparator.comparing((Session s) -> s.lastSeen).thenComparingLong(s -> s.order))
            .toList();
    for (int i = 0; i <= mine.size() - max; i++) {
      sessions.remove(mine.get(i).id);
    }
  }

  /** The live session of that id, touched; empty if unknown or expired (then forgotten). */
  public Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    s.lastSeen = now;
    return Optional.of(s);
  }

  /** When a session ends if nothing more happens. */
  public Instant expiresAt(Session s) {
    Instant byIdle = s.lastSeen.plus(idle);
    Instant byAge = s.created.plus(absolute);
    return byIdle.isBefore(byAge) ? byIdle : byAge;
  }

  public void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  private boolean expired(Session s, Instant now) {
    return !now.isBefore(s.lastSeen.plus(idle)) || !now.isBefore(s.created.plus(absolute));
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
