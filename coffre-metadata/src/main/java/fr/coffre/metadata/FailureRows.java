package fr.coffre.metadata;

import fr.coffre.metadata.LockoutStore.Failures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** SQL for failed authentications ({@link LockoutStore}), run in the caller's {@link Session}. */
final class FailureRows {
  private static final String COLUMNS =
      "realm, access_key, source, recent, total, last_ms, last_source, locked_until_ms, lockouts";

  /** Locked subjects last, the locks that end soonest first; unlocked by oldest failure. */
  private static final String EVICTION_ORDER =
      " ORDER BY CASE WHEN locked_until_ms > ? THEN 1 ELSE 0 END,"
          + " CASE WHEN locked_until_ms > ? THEN locked_until_ms ELSE last_ms END";

  private final Connection c;
  private final Dialect dialect;

  FailureRows(Connection c, Dialect dialect) {
    this.c = c;
    this.dialect = dialect;
  }

  /** Inserts an empty row for the subject; true if it was new. */
  boolean insertIfAbsent(String realm, String key, String source, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO auth_failures ("
                + COLUMNS
                + ") VALUES (?, ?, ?, '', 0, ?, NULL, NULL, 0) ON CONFLICT DO NOTHING")) {
      ps.setString(1, realm);
      ps.setString(2, key);
      ps.setString(3, source);
      ps.setLong(4, now.toEpochMilli());
      return ps.executeUpdate() == 1;
    }
  }

  Optional<Failures> find(String realm, String key, String source, boolean forUpdate)
      throws SQLException {
    String lock = forUpdate && dialect == Dialect.POSTGRESQL ? Dialect.FOR_UPDATE : "";
    List<Failures> found =
        query(
            "SELECT "
                + COLUMNS
                + " FROM auth_failures WHERE realm = ? AND access_key = ? AND source = ?"
                + lock,
            realm,
            key,
            source);
    return found.stream().findFirst();
  }

  List<Failures> ofKey(String realm, String key) throws SQLException {
    return query(
        "SELECT " + COLUMNS + " FROM auth_failures WHERE realm = ? AND access_key = ?", realm, key);
  }

  List<Failures> all(String realm) throws SQLException {
    return query("SELECT " + COLUMNS + " FROM auth_failures WHERE realm = ?", realm);
  }

  List<Failures> locked(String realm, Instant now) throws SQLException {
    return query(
        "SELECT " + COLUMNS + " FROM auth_failures WHERE realm = ? AND locked_until_ms > ?",
        realm,
        now.toEpochMilli());
  }

  void update(Failures f) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE auth_failures SET recent = ?, total = ?, last_ms = ?, last_source = ?,"
                + " locked_until_ms = ?, lockouts = ?"
                + " WHERE realm = ? AND access_key = ? AND source = ?")) {
      ps.setString(
          1, f.recent().stream().map(t -> Long.toString(t.toEpochMilli())).collect(joining()));
      ps.setLong(2, f.total());
      ps.setLong(3, f.last().toEpochMilli());
      if (f.lastSource() == null) {
        ps.setNull(4, Types.VARCHAR);
      } else {
        ps.setString(4, f.lastSource());
      }
      if (f.lockedUntil() == null) {
        ps.setNull(5, Types.BIGINT);
      } else {
        ps.setLong(5, f.lockedUntil().toEpochMilli());
      }
      ps.setInt(6, f.lockouts());
      ps.setString(7, f.realm());
      ps.setString(8, f.accessKey());
      ps.setString(9, f.source());
      ps.executeUpdate();
    }
  }

  int delete(String realm, String key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM auth_failures WHERE realm = ? AND access_key = ?")) {
      ps.setString(1, realm);
      ps.setString(2, key);
      return ps.executeUpdate();
    }
  }

  int forgetQuiet(Instant quietBefore, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM auth_failures WHERE (locked_until_ms IS NULL OR locked_until_ms <= ?)"
                + " AND last_ms < ?")) {
      ps.setLong(1, now.toEpochMilli());
      ps.setLong(2, quietBefore.toEpochMilli());
      return ps.executeUpdate();
    }
  }

  int count(String realm) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM auth_failures WHERE realm = ?")) {
      ps.setString(1, realm);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Frees room in a realm over {@code max} subjects, sparing the subject {@code key}/{@code
   * source}: quiet unlocked subjects first, then (down to nine tenths of {@code max}) unlocked ones
   * by oldest failure, then locks by soonest end. How many subjects were forgotten.
   */
  int makeRoom(String realm, String key, String source, int max, Instant quietBefore, Instant now)
      throws SQLException {
    int forgotten;
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM auth_failures WHERE realm = ?"
                + " AND (locked_until_ms IS NULL OR locked_until_ms <= ?) AND last_ms < ?"
                + " AND NOT (access_key = ? AND source = ?)")) {
      ps.setString(1, realm);
      ps.setLong(2, now.toEpochMilli());
      ps.setLong(3, quietBefore.toEpochMilli());
      ps.setString(4, key);
      ps.setString(5, source);
      forgotten = ps.executeUpdate();
    }
    int excess = count(realm) - (max - max / 10);
    if (excess <= 0) {
      return forgotten;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM auth_failures WHERE realm = ? AND (access_key, source) IN"
                + " (SELECT access_key, source FROM auth_failures WHERE realm = ?"
                + " AND NOT (access_key = ? AND source = ?)"
                + EVICTION_ORDER
                + " LIMIT ?)")) {
      ps.setString(1, realm);
      ps.setString(2, realm);
      ps.setString(3, key);
      ps.setString(4, source);
      ps.setLong(5, now.toEpochMilli());
      ps.setLong(6, now.toEpochMilli());
      ps.setInt(7, excess);
      forgotten += ps.executeUpdate();
    }
    return forgotten;
  }

  private List<Failures> query(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Long l) {
          ps.setLong(i + 1, l);
        } else {
          ps.setString(i + 1, (String) args[i]);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<Failures> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs));
        }
        return out;
      }
    }
  }

  private static Failures read(ResultSet rs) throws SQLException {
    String recent = rs.getString(4);
    long until = rs.getLong(8);
    boolean unlocked = rs.wasNull();
    return new Failures(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        recent.isEmpty()
            ? List.of()
            : Arrays.stream(recent.split(","))
                .map(ms -> Instant.ofEpochMilli(Long.parseLong(ms)))
                .toList(),
        rs.getLong(5),
        Instant.ofEpochMilli(rs.getLong(6)),
        rs.getString(7),
        unlocked ? null : Instant.ofEpochMilli(until),
        rs.getInt(9));
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(",");
  }
}
