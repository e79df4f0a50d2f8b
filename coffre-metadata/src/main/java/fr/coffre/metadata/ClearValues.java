package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals the values written in clear before sealing existed (or by an offline tool without the root
 * key), a batch at a time. Resumable by construction: each batch asks for the values still without
 * the {@link ValueSealer#PREFIX} marker, and each is replaced by a compare-and-set on its clear
 * value, so a pass interrupted anywhere continues where it stopped and a concurrent write wins.
 */
final class ClearValues {
  private static final String CLEAR = " NOT LIKE '" + ValueSealer.PREFIX + "%'";

  private final Connection c;
  private final Sealing sealing;

  ClearValues(Connection c, Sealing sealing) {
    this.c = c;
    this.sealing = sealing;
  }

  /** One clear value found: the row's key columns, its context, its value. */
  private record Found(List<Object> key, String context, String value) {}

  /** Seals up to {@code max} clear values; how many it sealed (0: none left). */
  int seal(int max) throws SQLException {
    if (!sealing.active()) {
      return 0;
    }
    int n = 0;
    n += versions("objects", "bucket, key", max - n);
    n += versions("object_versions", "bucket, key, seq", max - n);
    n += parts("etag", max - n);
    n += parts("checksum", max - n);
    n += simple("completed_uploads", "upload_id", Sealing::completed, max - n);
    n += simple("share_links", "id", Sealing::share, max - n);
    return n;
  }

  private int versions(String table, String keyColumns, int max) throws SQLException {
    if (max <= 0) {
      return 0;
    }
    List<Found> found = new ArrayList<>();
    // Delete markers keep an empty ETag: nothing to seal.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + keyColumns
                + ", version_id, etag FROM "
                + table
                + " WHERE etag <> '' AND etag"
                + CLEAR
                + " LIMIT ?")) {
      ps.setInt(1, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int k = keyColumns.split(",").length;
          List<Object> key = new ArrayList<>();
          for (int i = 1; i <= k; i++) {
            key.add(rs.getObject(i));
          }
          BucketName bucket = new BucketName(rs.getString(1));
          ObjectKey objectKey = new ObjectKey(new String(rs.getBytes(2), StandardCharsets.UTF_8));
          found.add(
              new Found(
                  key, Sealing.etag(bucket, objectKey, rs.getString(k + 1)), rs.getString(k + 2)));
        }
      }
    }
    return replace(table, "etag", keyColumns, found);
  }

  private int parts(String column, int max) throws SQLException {
    if (max <= 0) {
      return 0;
    }
    List<Found> found = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT upload_id, part_number, "
                + column
                + " FROM parts WHERE "
                + column
                + " IS NOT NULL AND "
                + column
                + CLEAR
                + " LIMIT ?")) {
      ps.setInt(1, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String upload = rs.getString(1);
          int number = rs.getInt(2);
          found.add(
              new Found(
                  List.of(upload, number), Sealing.part(column, upload, number), rs.getString(3)));
        }
      }
    }
    return replace("parts", column, "upload_id, part_number", found);
  }

  private int simple(
      String table, String idColumn, java.util.function.UnaryOperator<String> context, int max)
      throws SQLException {
    if (max <= 0) {
      return 0;
    }
    List<Found> found = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + idColumn + ", etag FROM " + table + " WHERE etag" + CLEAR + " LIMIT ?")) {
      ps.setInt(1, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          found.add(new Found(List.of(id), context.apply(id), rs.getString(2)));
        }
      }
    }
    return replace(table, "etag", idColumn, found);
  }

  private int replace(String table, String column, String keyColumns, List<Found> found)
      throws SQLException {
    if (found.isEmpty()) {
      return 0;
    }
    StringBuilder where = new StringBuilder();
    for (String k : keyColumns.split(",")) {
      where.append(k.strip()).append(" = ? AND ");
    }
    int n = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE " + table + " SET " + column + " = ? WHERE " + where + column + " = ?")) {
      for (Found f : found) {
        ps.setString(1, sealing.seal(f.value(), f.context()));
        int i = 2;
        for (Object k : f.key()) {
          ps.setObject(i++, k);
        }
        ps.setString(i, f.value());
        n += ps.executeUpdate();
      }
    }
    return n;
  }
}
