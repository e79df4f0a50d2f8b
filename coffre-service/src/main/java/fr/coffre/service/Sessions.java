package fr.coffre.service;

import fr.coffre.metadata.SessionStore;
import fr.coffre.metadata.SessionStore.Bounds;
import fr.coffre.metadata.SessionStore.StoredSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Server-side web sessions: a random id in an HttpOnly cookie, a CSRF token the page sends back in
 * a header, an idle and an absolute lifetime. A session remembers who signed in (an access key id,
 * or the operator), never a secret.
 *
 * <p>Kept in the metadata database ({@link SessionStore}), in a realm of their own per population
 * (tenant console, operator console, named operators): every node of a cluster finds a session
 * another node opened, closing it on any node ends it everywhere, and a restart signs nobody out.
 * Only the SHA-256 of the id is stored, so a copy of the database opens no session. Finding a
 * session is one indexed read; its last-seen instant is written only when it moved by more than
 * {@link #TOUCH_AFTER}, so a page's burst of calls costs no write (the idle end may then come up to
 * that much earlier than the last request plus the idle time).
 *
 * <p>Bounded so that nobody can sign anyone else out: at most {@value #MAX_PER_SUBJECT} sessions
 * per subject and {@value #MAX_PER_GROUP} per group (a tenant) — beyond them the subject's, then
 * the group's, own least recently seen session ends — and at most {@value #MAX_SESSIONS} in all,
 * beyond which a new sign-in is refused ({@link SessionLimitException}) rather than ending another
 * tenant's session. Expired sessions are swept at each sign-in of the realm.
 */
public final class Sessions {
  /** At most this many live sessions in all; beyond, new sign-ins are refused. */
  static final int MAX_SESSIONS = 10_000;

  /** At most this many live sessions per subject (access key); its oldest ends beyond it. */
  static final int MAX_PER_SUBJECT = 20;

  /** At most this many live sessions per group (tenant); the group's oldest ends beyond it. */
  static final int MAX_PER_GROUP = 1_000;

  /** A session's last-seen instant is written when it moved by more than this. */
  static final Duration TOUCH_AFTER = Duration.ofMinutes(1);

  /** Raised when the server-wide bound is reached: the sign-in is refused, nobody is signed out. */
  public static final class SessionLimitException extends RuntimeException {
    public SessionLimitException() {
      super("too many console sessions on this server; try again later");
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SessionStore store;
  private final String realm;
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;
  private final Bounds bounds;

  /**
   * @param realm the population these sessions belong to (its sessions never mix with another's)
   */
  public Sessions(SessionStore store, String realm, Clock clock, Duration idle, Duration absolute) {
    this(store, realm, clock, idle, absolute, MAX_SESSIONS, MAX_PER_SUBJECT, MAX_PER_GROUP);
  }

  Sessions(
      SessionStore store,
      String realm,
      Clock clock,
      Duration idle,
      Duration absolute,
      int maxSessions,
      int maxPerSubject,
      int maxPerGroup) {
    this.bounds = new Bounds(maxSessions, maxPerSubject, maxPerGroup);
    this.store = store;
    this.realm = realm;
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
    private final Instant lastSeen;

    Session(String id, String subject, String csrf, Instant created, Instant lastSeen) {
      this.id = id;
      this.subject = subject;
      this.csrf = csrf;
      this.created = created;
      this.lastSeen = lastSeen;
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
  public Session open(String subject, String group) {
    Instant now = clock.instant();
    String id = random();
    String csrf = random();
    StoredSession row =
        new StoredSession(realm, hash(id), subject, group, csrf, now, now, expiry(now, now));
    if (!store.openSession(row, bounds, now)) {
      throw new SessionLimitException();
    }
    return new Session(id, subject, csrf, now, now);
  }

  /** The live session of that id, touched; empty if unknown or expired. */
  public Optional<Session> find(@Nullable String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    String hash = hash(id);
    Optional<StoredSession> found = store.session(realm, hash, now);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    StoredSession s = found.get();
    if (!now.isBefore(expiry(s.created(), s.lastSeen()))) {
      return Optional.empty(); // stored with another idle time, or the clock moved back
    }
    Instant seen = s.lastSeen();
    if (Duration.between(seen, now).compareTo(TOUCH_AFTER) > 0
        && store.touchSession(realm, hash, now, expiry(s.created(), now))) {
      seen = now;
    }
    return Optional.of(new Session(id, s.subject(), s.csrf(), s.created(), seen));
  }

  /** When a session ends if nothing more happens. */
  public Instant expiresAt(Session s) {
    return expiry(s.created, s.lastSeen);
  }

  /** Ends a session on every node. */
  public void close(@Nullable String id) {
    if (id != null && !id.isEmpty() && id.length() <= 128) {
      store.closeSession(realm, hash(id));
    }
  }

  private Instant expiry(Instant created, Instant lastSeen) {
    Instant byIdle = lastSeen.plus(idle);
    Instant byAge = created.plus(absolute);
    return byIdle.isBefore(byAge) ? byIdle : byAge;
  }

  /** The hex SHA-256 of a session id: what the database keeps. */
  static String hash(String id) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
