package fr.coffre.metadata;

import java.time.Instant;
import java.util.Optional;

/** The {@link SessionStore} of the SQL stores. */
final class SqlSessions implements SessionStore {
  private final SqlDatabase db;

  SqlSessions(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public boolean openSession(StoredSession session, Bounds bounds, Instant now) {
    String realm = session.realm();
    return db.transaction(
        "openSession",
        s -> {
          // One opening at a time per realm, on every node: the bounds are counted, then kept.
          s.lockName("web_sessions|" + realm);
          WebSessionRows rows = s.webSessions();
          rows.sweep(realm, now);
          int mine = rows.count(realm, "subject", session.subject());
          if (mine >= bounds.perSubject()) {
            rows.endOldest(realm, "subject", session.subject(), mine - bounds.perSubject() + 1);
          }
          int group = rows.count(realm, "grp", session.group());
          if (group >= bounds.perGroup()) {
            rows.endOldest(realm, "grp", session.group(), group - bounds.perGroup() + 1);
          }
          if (rows.count(realm, null, null) >= bounds.total()) {
            return false;
          }
          rows.insert(session);
          return true;
        });
  }

  @Override
  public Optional<StoredSession> session(String realm, String idHash, Instant now) {
    return db.read("session", s -> s.webSessions().find(realm, idHash, now));
  }

  @Override
  public boolean touchSession(String realm, String idHash, Instant lastSeen, Instant expires) {
    return db.transaction(
        "touchSession", s -> s.webSessions().touch(realm, idHash, lastSeen, expires));
  }

  @Override
  public boolean closeSession(String realm, String idHash) {
    return db.transaction("closeSession", s -> s.webSessions().delete(realm, idHash));
  }

  @Override
  public int sweepSessions(Instant now) {
    return db.transaction("sweepSessions", s -> s.webSessions().sweepAll(now));
  }

  @Override
  public int endAllSessions() {
    return db.transaction("endAllSessions", s -> s.webSessions().deleteAll());
  }

  @Override
  public int countSessions(String realm) {
    return db.read("countSessions", s -> s.webSessions().count(realm, null, null));
  }
}
