package fr.coffre.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link LockoutStore} of the SQL stores. */
final class SqlLockouts implements LockoutStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqlLockouts.class);
  private final SqlDatabase db;

  SqlLockouts(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public Failures updateFailures(
      String realm,
      String accessKey,
      String source,
      Instant now,
      int maxTracked,
      Instant quietBefore,
      UnaryOperator<Failures> change) {
    return db.transaction(
        "updateFailures",
        s -> {
          FailureRows rows = s.failures();
          if (rows.insertIfAbsent(realm, accessKey, source, now)
              && rows.count(realm) > maxTracked) {
            int forgotten = rows.makeRoom(realm, accessKey, source, maxTracked, quietBefore, now);
            LOG.warn(
                "failed-authentication table '{}' full ({} subjects): forgot {} of them",
                realm,
                maxTracked,
                forgotten);
          }
          Failures old = rows.find(realm, accessKey, source, true).orElseThrow();
          Failures changed = change.apply(old);
          rows.update(changed);
          return changed;
        });
  }

  @Override
  public Optional<Failures> failures(String realm, String accessKey, String source) {
    return db.read("failures", s -> s.failures().find(realm, accessKey, source, false));
  }

  @Override
  public List<Failures> failuresOf(String realm, String accessKey) {
    return db.read("failuresOf", s -> s.failures().ofKey(realm, accessKey));
  }

  @Override
  public List<Failures> allFailures(String realm) {
    return db.read("allFailures", s -> s.failures().all(realm));
  }

  @Override
  public List<Failures> lockedFailures(String realm, Instant now) {
    return db.read("lockedFailures", s -> s.failures().locked(realm, now));
  }

  @Override
  public int clearFailures(String realm, String accessKey) {
    return db.transaction("clearFailures", s -> s.failures().delete(realm, accessKey));
  }

  @Override
  public int forgetQuietFailures(Instant quietBefore, Instant now) {
    return db.transaction("forgetQuietFailures", s -> s.failures().forgetQuiet(quietBefore, now));
  }

  @Override
  public int countFailures(String realm) {
    return db.read("countFailures", s -> s.failures().count(realm));
  }
}
