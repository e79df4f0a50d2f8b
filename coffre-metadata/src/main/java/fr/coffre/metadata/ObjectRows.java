package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * SQL for the {@code objects} table, and the mapping of object records to and from its rows (also
 * used by the lister and the KMS queries), run in the caller's {@link Session}.
 */
final class ObjectRows {
  static final String COLUMNS =
      "key, size, etag, last_modified_ms, key_ref, wrapped_key, blobs, attributes";

  private final Connection c;
  private final Dialect dialect;

  ObjectRows(Connection c, Dialect dialect) {
    this.c = c;
    this.dialect = dialect;
  }

  Optional<ObjectRecord> find(BucketName bucket, ObjectKey key) throws SQLException {
    return find(bucket, key, "");
  }

  /**
   * The key's row, locked as {@code lock} says (a {@link Dialect} constant) until the transaction
   * ends.
   */
  Optional<ObjectRecord> find(BucketName bucket, ObjectKey key, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM objects WHERE bucket = ? AND key = ?"
                + dialect.lock(lock))) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(object(bucket, rs)) : Optional.empty();
      }
    }
  }

  /** Writes {@code record} as the row of its key unless the key has one (then false). */
  boolean insertIfAbsent(ObjectRecord record) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO objects (bucket, "
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bucket, key) DO NOTHING")) {
      ps.setString(1, record.bucket().value());
      bind(ps, 2, record);
      return ps.executeUpdate() == 1;
    }
  }

  /** Replaces the row of {@code record}'s key, which exists, with {@code record}. */
  void update(ObjectRecord record) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE objects SET size = ?, etag = ?, last_modified_ms = ?,"
                + " key_ref = ?, wrapped_key = ?, blobs = ?, attributes = ? WHERE bucket = ? AND key = ?")) {
      ps.setLong(1, record.size());
      ps.setString(2, record.etag().value());
      ps.setLong(3, record.lastModified().toEpochMilli());
      ps.setString(4, record.keyRef());
      ps.setBytes(5, record.wrappedKey());
      ps.setString(6, blobs(record.blobs()));
      ps.setBytes(7, record.sealedAttributes());
      ps.setString(8, record.bucket().value());
      ps.setBytes(9, record.key().utf8());
      ps.executeUpdate();
    }
  }

  /**
   * Replaces the attributes of the row if it still has {@code current}'s blobs; false otherwise.
   */
  boolean replaceAttributes(ObjectRecord current, byte[] sealedAttributes) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE objects SET attributes = ? WHERE bucket = ? AND key = ? AND blobs = ?")) {
      ps.setBytes(1, sealedAttributes);
      ps.setString(2, current.bucket().value());
      ps.setBytes(3, current.key().utf8());
      ps.setString(4, blobs(current.blobs()));
      return ps.executeUpdate() == 1;
    }
  }

  void delete(BucketName bucket, ObjectKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM objects WHERE bucket = ? AND key = ?")) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      ps.executeUpdate();
    }
  }

  /** Calls {@code visitor} with every blob of every object. */
  void forEachBlob(Consumer<BlobId> visitor) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setFetchSize(
          1000); // PostgreSQL streams (inside a transaction) instead of loading every row
      try (ResultSet rs = s.executeQuery("SELECT blobs FROM objects")) {
        while (rs.next()) {
          for (BlobSlice slice : blobs(rs.getString(1))) {
            visitor.accept(slice.blob());
          }
        }
      }
    }
  }

  static ObjectRecord object(BucketName bucket, ResultSet rs) throws SQLException {
    return new ObjectRecord(
        bucket,
        new ObjectKey(new String(rs.getBytes(1), StandardCharsets.UTF_8)),
        rs.getLong(2),
        new ETag(rs.getString(3)),
        Instant.ofEpochMilli(rs.getLong(4)),
        rs.getString(5),
        rs.getBytes(6),
        blobs(rs.getString(7)),
        rs.getBytes(8));
  }

  /** Binds the record's columns, in {@link #COLUMNS} order, from parameter {@code first}. */
  static void bind(PreparedStatement ps, int first, ObjectRecord r) throws SQLException {
    ps.setBytes(first, r.key().utf8());
    ps.setLong(first + 1, r.size());
    ps.setString(first + 2, r.etag().value());
    ps.setLong(first + 3, r.lastModified().toEpochMilli());
    ps.setString(first + 4, r.keyRef());
    ps.setBytes(first + 5, r.wrappedKey());
    ps.setString(first + 6, blobs(r.blobs()));
    ps.setBytes(first + 7, r.sealedAttributes());
  }

  static String blobs(List<BlobSlice> slices) {
    StringBuilder b = new StringBuilder();
    for (BlobSlice s : slices) {
      b.append(b.isEmpty() ? "" : ",").append(s.blob().value()).append(':').append(s.size());
    }
    return b.toString();
  }

  static List<BlobSlice> blobs(String column) {
    List<BlobSlice> slices = new ArrayList<>();
    if (column.isEmpty()) {
      return slices;
    }
    for (String part : column.split(",")) {
      int colon = part.indexOf(':');
      slices.add(
          new BlobSlice(
              new BlobId(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1))));
    }
    return slices;
  }
}
