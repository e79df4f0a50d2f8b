package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes one page of a version listing: the rows of {@code objects} and {@code object_versions}
 * merged in (key, newest first) order by one query per batch, with common prefixes skipped by a
 * seek as {@link Lister} does.
 *
 * <p>A position in the listing is a pair (key, seq): the scan reads the rows after it, those of a
 * greater key or of the same key with a smaller seq (older). Starting at a key means (key, +∞);
 * starting after a whole key means (key, −∞).
 */
final class VersionLister {
  private final Connection connection;
  private final Sealing sealing;

  VersionLister(Connection connection, Sealing sealing) {
    this.connection = connection;
    this.sealing = sealing;
  }

  VersionPage list(BucketName bucket, VersionQuery q) throws SQLException {
    if (q.maxKeys() == 0) {
      return new VersionPage(List.of(), List.of(), false, null, null);
    }
    byte[] prefix = utf8(q.prefix());
    byte[] delimiter = q.delimiter() == null ? null : utf8(q.delimiter());
    byte[] upper = prefix.length == 0 ? null : Lister.successor(prefix);
    byte[] lowerKey = prefix;
    long lowerSeq = Long.MAX_VALUE;
    if (q.keyMarker() != null) {
      byte[] marker = utf8(q.keyMarker());
      byte[] rolled = delimiter == null ? null : Lister.commonPrefix(marker, prefix, delimiter);
      byte[] key = marker;
      long seq = Long.MIN_VALUE;
      if (rolled != null) {
        key = Lister.successor(rolled);
        seq = Long.MAX_VALUE;
        if (key == null) {
          return new VersionPage(List.of(), List.of(), false, null, null);
        }
      } else if (q.versionIdMarker() != null) {
        long found = seqOf(bucket, marker, q.versionIdMarker());
        seq = found < 0 ? Long.MIN_VALUE : found;
      }
      int c = Arrays.compareUnsigned(key, lowerKey);
      if (c > 0 || (c == 0 && seq < lowerSeq)) {
        lowerKey = key;
        lowerSeq = seq;
      }
    }
    // Rows of the key the scan starts inside of are not the key's latest.
    byte[] midKey = lowerSeq != Long.MAX_VALUE ? lowerKey : null;
    List<VersionPage.Entry> entries = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    byte[] lastKey = null;
    String lastVersion = null;
    String lastPrefix = null;
    int wanted = q.maxKeys();
    while (true) {
      int batch = Math.min(1000, wanted - entries.size() - prefixes.size() + 1);
      boolean jumped = false;
      int rows = 0;
      try (PreparedStatement ps = query(bucket, lowerKey, lowerSeq, upper, batch);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows++;
          byte[] key = rs.getBytes(1);
          long seq = rs.getLong(ObjectRows.COLUMN_COUNT + 2);
          byte[] rolled = delimiter == null ? null : Lister.commonPrefix(key, prefix, delimiter);
          if (entries.size() + prefixes.size() == wanted) {
            return lastPrefix != null
                ? new VersionPage(entries, prefixes, true, lastPrefix, null)
                : new VersionPage(
                    entries,
                    prefixes,
                    true,
                    new String(lastKey, StandardCharsets.UTF_8),
                    lastVersion);
          }
          if (rolled != null) {
            lastPrefix = new String(rolled, StandardCharsets.UTF_8);
            prefixes.add(lastPrefix);
            lowerKey = Lister.successor(rolled);
            lowerSeq = Long.MAX_VALUE;
            jumped = true;
            break;
          }
          ObjectVersion v = VersionRows.version(bucket, rs, sealing);
          boolean latest =
              (lastKey == null || !Arrays.equals(lastKey, key))
                  && (midKey == null || !Arrays.equals(midKey, key));
          entries.add(new VersionPage.Entry(v, latest));
          lastKey = key;
          lastVersion = v.versionId();
          lastPrefix = null;
          lowerKey = key;
          lowerSeq = seq;
        }
      }
      if (jumped) {
        if (lowerKey == null) {
          return new VersionPage(entries, prefixes, false, null, null);
        }
        continue;
      }
      if (rows < batch) {
        return new VersionPage(entries, prefixes, false, null, null);
      }
    }
  }

  /** The seq of a version of a key, or -1 if there is no such version. */
  private long seqOf(BucketName bucket, byte[] key, String versionId) throws SQLException {
    for (String table : ObjectRows.TABLES) {
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT seq FROM " + table + " WHERE bucket = ? AND key = ? AND version_id = ?")) {
        ps.setString(1, bucket.value());
        ps.setBytes(2, key);
        ps.setString(3, versionId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getLong(1);
          }
        }
      }
    }
    return -1;
  }

  private PreparedStatement query(
      BucketName bucket, byte[] lowerKey, long lowerSeq, byte[] upper, int limit)
      throws SQLException {
    String where =
        " WHERE bucket = ? AND (key > ? OR (key = ? AND seq < ?))"
            + (upper == null ? "" : " AND key < ?");
    String sql =
        "SELECT * FROM (SELECT "
            + ObjectRows.COLUMNS
            + ", 0 AS delete_marker, seq FROM objects"
            + where
            + " UNION ALL SELECT "
            + VersionRows.COLUMNS
            + " FROM object_versions"
            + where
            + ") v ORDER BY key, seq DESC LIMIT ?";
    PreparedStatement ps = connection.prepareStatement(sql);
    int i = 1;
    for (int table = 0; table < 2; table++) {
      ps.setString(i++, bucket.value());
      ps.setBytes(i++, lowerKey);
      ps.setBytes(i++, lowerKey);
      ps.setLong(i++, lowerSeq);
      if (upper != null) {
        ps.setBytes(i++, upper);
      }
    }
    ps.setInt(i, limit);
    return ps;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
