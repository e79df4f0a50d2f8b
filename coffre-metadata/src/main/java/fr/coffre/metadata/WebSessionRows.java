package fr.coffre.metadata;

import fr.coffre.metadata.SessionStore.StoredSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** SQL for web sessions ({@link SessionStore}), run in the caller's {@link Session}. */
final class WebSessionRows {
  private static final String COLUMNS =
      "realm, id_hash, subject, grp, csrf, created_ms, seen_ms, expires_ms";

  private final Connection c;

  WebSessionRows(Connection c) {
    this.c = c;
  }

  int sweep(String realm, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM web_sessions WHERE realm = ? AND expires_ms <= ?")) {
      ps.setString(1, realm);
      ps.setLong(2, now.toEpochMilli());
      return ps.executeUpdate();
    }
  }

  int deleteAll() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_sessions")) {
      return ps.executeUpdate();
    }
  }

  int sweepAll(Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM web_sessions WHERE expires_ms <= ?")) {
      ps.setLong(1, now.toEpochMilli());
      return ps.executeUpdate();
    }
  }

  /** How many sessions the realm holds, or of those whose {@code column} is {@code value}. */
  int count(String realm, @Nullable String column, @Nullable String value) throws SQLException {
    String where = column == null ? "" : " AND " + column + " = ?";
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM web_sessions WHERE realm = ?" + where)) {
      ps.setString(1, realm);
      if (column != null) {
        ps.setString(2, value);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Ends the {@code n} least recently seen sessions whose {@code column} is {@code value}. */
  void endOldest(String realm, String column, String value, int n) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM web_sessions WHERE realm = ? AND id_hash IN (SELECT id_hash FROM"
                + " web_sessions WHERE realm = ? AND "
                + column
                + " = ? ORDER BY seen_ms, seq LIMIT ?)")) {
      ps.setString(1, realm);
      ps.setString(2, realm);
      ps.setString(3, value);
      ps.setInt(4, n);
      ps.executeUpdate();
    }
  }

  void insert(StoredSession s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO web_sessions ("
                + COLUMNS
                + ", seq) SELECT ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(MAX(seq), 0) + 1"
                + " FROM web_sessions WHERE realm = ?")) {
      ps.setString(1, s.realm());
      ps.setString(2, s.idHash());
      ps.setString(3, s.subject());
      ps.setString(4, s.group());
      ps.setString(5, s.csrf());
      ps.setLong(6, s.created().toEpochMilli());
      ps.setLong(7, s.lastSeen().toEpochMilli());
      ps.setLong(8, s.expires().toEpochMilli());
      ps.setString(9, s.realm());
      ps.executeUpdate();
    }
  }

  Optional<StoredSession> find(String realm, String idHash, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM web_sessions WHERE realm = ? AND id_hash = ? AND expires_ms > ?")) {
      ps.setString(1, realm);
      ps.setString(2, idHash);
      ps.setLong(3, now.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new StoredSession(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)),
                Instant.ofEpochMilli(rs.getLong(7)),
                Instant.ofEpochMilli(rs.getLong(8))));
      }
    }
  }

  boolean touch(String realm, String idHash, Instant seen, Instant expires) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE web_sessions SET seen_ms = ?, expires_ms = ? WHERE realm = ? AND id_hash = ?")) {
      ps.setLong(1, seen.toEpochMilli());
      ps.setLong(2, expires.toEpochMilli());
      ps.setString(3, realm);
      ps.setString(4, idHash);
      return ps.executeUpdate() == 1;
    }
  }

  boolean delete(String realm, String idHash) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM web_sessions WHERE realm = ? AND id_hash = ?")) {
      ps.setString(1, realm);
      ps.setString(2, idHash);
      return ps.executeUpdate() == 1;
    }
  }
}
