package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.Quota;
import fr.coffre.core.Versioning;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** SQL for the {@code buckets} table, run in the caller's {@link Session}. */
final class BucketRows {
  private static final String COLUMNS =
      "name, created_ms, region, tenant, quota_bytes, quota_objects, class, versioning, object_lock";

  private final Connection c;
  private final Dialect dialect;

  BucketRows(Connection c, Dialect dialect) {
    this.c = c;
    this.dialect = dialect;
  }

  /** Inserts the bucket unless its name is taken (then false), in one statement. */
  boolean insertIfAbsent(BucketRecord bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO buckets ("
                + COLUMNS
                + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
      ps.setString(1, bucket.name().value());
      ps.setLong(2, bucket.created().toEpochMilli());
      ps.setString(3, bucket.region());
      ps.setString(4, bucket.tenant());
      IdentityRows.setLong(ps, 5, bucket.quota().maxBytes());
      IdentityRows.setLong(ps, 6, bucket.quota().maxObjects());
      ps.setString(7, bucket.sensitivityClass());
      ps.setString(8, bucket.versioning().name());
      ps.setInt(9, bucket.objectLock() ? 1 : 0);
      return ps.executeUpdate() == 1;
    }
  }

  Optional<BucketRecord> find(BucketName name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM buckets WHERE name = ?")) {
      ps.setString(1, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** Throws NoSuchBucketException unless the bucket exists. */
  void require(BucketName name) throws SQLException {
    require(name, "");
  }

  /**
   * The bucket's versioning state (NoSuchBucketException if there is no bucket), its row locked as
   * {@code lock} says until the transaction ends.
   */
  Versioning versioning(BucketName name, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT versioning FROM buckets WHERE name = ?" + dialect.lock(lock))) {
      ps.setString(1, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NoSuchBucketException(name.value());
        }
        return Versioning.valueOf(rs.getString(1));
      }
    }
  }

  void enableObjectLock(BucketName bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE buckets SET object_lock = 1 WHERE name = ?")) {
      ps.setString(1, bucket.value());
      ps.executeUpdate();
    }
  }

  /** Sets a bucket's versioning state; false if there is no such bucket. */
  boolean setVersioning(BucketName bucket, Versioning versioning) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE buckets SET versioning = ? WHERE name = ?")) {
      ps.setString(1, versioning.name());
      ps.setString(2, bucket.value());
      return ps.executeUpdate() != 0;
    }
  }

  /**
   * Throws NoSuchBucketException unless the bucket exists, and locks its row as {@code lock} says
   * (a {@link Dialect} constant) until the transaction ends.
   */
  void require(BucketName name, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM buckets WHERE name = ?" + dialect.lock(lock))) {
      ps.setString(1, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NoSuchBucketException(name.value());
        }
      }
    }
  }

  List<BucketRecord> all() throws SQLException {
    List<BucketRecord> all = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM buckets ORDER BY name")) {
      while (rs.next()) {
        all.add(row(rs));
      }
    }
    return all;
  }

  List<BucketRecord> ofTenant(String tenant) throws SQLException {
    List<BucketRecord> all = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM buckets WHERE tenant = ? ORDER BY name")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(row(rs));
        }
      }
    }
    return all;
  }

  /**
   * Up to {@code limit} of a tenant's buckets in name order, after {@code after} and starting with
   * {@code prefix} (either may be null): one range search of the index {@code buckets_by_tenant},
   * however many buckets the tenant has.
   */
  List<BucketRecord> page(String tenant, @Nullable String prefix, @Nullable String after, int limit)
      throws SQLException {
    String from = after;
    if (prefix != null && (from == null || prefix.compareTo(from) > 0)) {
      from = prefix; // inclusive: the prefix itself may be a bucket's name
    }
    boolean inclusive = from != null && from.equals(prefix) && !prefix.equals(after);
    String until = prefix == null ? null : BucketRows.pastPrefix(prefix);
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM buckets WHERE tenant = ?");
    if (from != null) {
      sql.append(inclusive ? " AND name >= ?" : " AND name > ?");
    }
    if (until != null) {
      sql.append(" AND name < ?");
    }
    sql.append(" ORDER BY name LIMIT ?");
    List<BucketRecord> page = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, tenant);
      if (from != null) {
        ps.setString(i++, from);
      }
      if (until != null) {
        ps.setString(i++, until);
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          BucketRecord b = row(rs);
          if (prefix == null || b.name().value().startsWith(prefix)) {
            page.add(b);
          }
        }
      }
    }
    return page;
  }

  /**
   * The first string after every string that starts with {@code prefix}, in code point order (the
   * order of both databases' bucket names), or null when there is none to compute.
   */
  static @Nullable String pastPrefix(String prefix) {
    if (prefix.isEmpty()) {
      return null;
    }
    int last = prefix.codePointBefore(prefix.length());
    if (last >= Character.MAX_CODE_POINT || (last >= 0xD7FF && last < 0xE000)) {
      return null; // names are ASCII anyway: the filter on the prefix is enough
    }
    return prefix.substring(0, prefix.length() - Character.charCount(last))
        + Character.toString(last + 1);
  }

  /** Sets a bucket's sensitivity class; false if there is no such bucket. */
  boolean setClass(BucketName bucket, String sensitivityClass) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE buckets SET class = ? WHERE name = ?")) {
      ps.setString(1, sensitivityClass);
      ps.setString(2, bucket.value());
      return ps.executeUpdate() != 0;
    }
  }

  /** Whether the bucket holds at least one object, old version or delete marker. */
  boolean hasObjects(BucketName name) throws SQLException {
    for (String table : new String[] {"objects", "object_versions"}) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM " + table + " WHERE bucket = ? LIMIT 1")) {
        ps.setString(1, name.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  void delete(BucketName name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM buckets WHERE name = ?")) {
      ps.setString(1, name.value());
      ps.executeUpdate();
    }
  }

  private static BucketRecord row(ResultSet rs) throws SQLException {
    return new BucketRecord(
        new BucketName(rs.getString(1)),
        Instant.ofEpochMilli(rs.getLong(2)),
        rs.getString(3),
        rs.getString(4),
        new Quota(IdentityRows.getLong(rs, 5), IdentityRows.getLong(rs, 6)),
        rs.getString(7),
        Versioning.valueOf(rs.getString(8)),
        rs.getInt(9) != 0);
  }
}
