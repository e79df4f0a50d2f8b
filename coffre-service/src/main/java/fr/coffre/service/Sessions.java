package fr.coffre.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side console sessions: a random id in an HttpOnly cookie, a CSRF token the page sends
 * back in a header, an idle and an absolute lifetime. A session remembers who signed in (an access
 * key id, or the operator), never a secret. Kept in memory: a restart signs everyone out.
 */
public final class Sessions {
  /** At most this many live sessions; the oldest go first beyond it. */
  static final int MAX_SESSIONS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;

  public Sessions(Clock clock, Duration idle, Duration absolute) {
    this.clock = clock;
    this.idle = idle;
    this.absolute = absolute;
  }

  /** One session. {@code subject} is the access key id (tenant console) or the operator's name. */
  public static final class Session {
    private final String id;
    private final String subject;
    private final String csrf;
    private final Instant created;
    private volatile Instant lastSeen;

    Session(String id, String subject, String csrf, Instant created) {
      this.id = id;
      this.subject = subject;
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

  public Session open(String subject) {
    Instant now = clock.instant();
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.values().removeIf(s -> expired(s, now));
      if (sessions.size() >= MAX_SESSIONS) {
        sessions.values().stream().min(java.util.Comparator.comparing(s -> s.lastSeen))
            .ifPresent(s -> sessions.remove(s.id));
      }
    }
    Session s = new Session(random(), subject, random(), now);
    sessions.put(s.id, s);
    return s;
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
