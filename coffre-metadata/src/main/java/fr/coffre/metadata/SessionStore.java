package fr.coffre.metadata;

import java.time.Instant;
import java.util.Optional;

/**
 * Signed-in web sessions (tenant console, operator console, named operators), shared by every node
 * through the metadata database: a session opened on one node is found on another, and closing it
 * anywhere ends it everywhere. Sessions live in <em>realms</em> (one per population, say {@code
 * console} or {@code operator}) that never see each other's rows.
 *
 * <p>Only a hash of the session id is stored (the id itself is a bearer secret in a cookie), with
 * the subject, its group, the CSRF token (worthless without the id), and when the session was
 * opened, last seen and when it expires. Each mutating method is one durable transaction.
 */
public interface SessionStore {

  /**
   * One stored session; {@code idHash} is the hex SHA-256 of the session id, {@code expires} when
   * it ends if nothing more happens (the earlier of its idle and absolute ends).
   */
  record StoredSession(
      String realm,
      String idHash,
      String subject,
      String group,
      String csrf,
      Instant created,
      Instant lastSeen,
      Instant expires) {}

  /** The bounds of one realm: in all, per subject, per group (growing from subject to all). */
  record Bounds(int total, int perSubject, int perGroup) {
    public Bounds {
      if (perSubject < 1 || perGroup < perSubject || total < perGroup) {
        throw new IllegalArgumentException(
            "session bounds must grow from subject ("
                + perSubject
                + ") to group ("
                + perGroup
                + ") to server ("
                + total
                + ")");
      }
    }
  }

  /**
   * Opens {@code session} in one transaction, serialized with the realm's other openings: forgets
   * the realm's sessions expired at {@code now}; ends the subject's oldest sessions (least recently
   * seen first, then first opened) so that fewer than {@code perSubject} remain, then the group's
   * likewise; then inserts it, unless the realm still holds {@code total} sessions.
   *
   * @return false (nothing inserted, nobody's session ended for it beyond the subject's and the
   *     group's own) when the realm is full
   */
  boolean openSession(StoredSession session, Bounds bounds, Instant now);

  /** The session of that realm and id hash, if it has not expired at {@code now}. */
  Optional<StoredSession> session(String realm, String idHash, Instant now);

  /** Records activity: its last-seen instant and new expiry; false if the session is gone. */
  boolean touchSession(String realm, String idHash, Instant lastSeen, Instant expires);

  /** Ends a session; false if there was none. */
  boolean closeSession(String realm, String idHash);

  /** Forgets every realm's sessions expired at {@code now}; how many. */
  int sweepSessions(Instant now);

  /**
   * Ends every session of every realm (a restored backup must not bring back sessions that were
   * signed out since); how many.
   */
  int endAllSessions();

  /** How many sessions the realm holds (expired ones not yet swept included). */
  int countSessions(String realm);
}
