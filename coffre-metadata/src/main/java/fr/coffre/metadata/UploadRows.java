package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.UploadRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for multipart uploads and their parts, run in the caller's {@link Session}. */
final class UploadRows {
  private static final String UPLOAD_COLUMNS =
      "upload_id, bucket, key, initiated_ms, key_ref, wrapped_key, attributes";
  private static final String PART_COLUMNS =
      "upload_id, part_number, blob, size, etag, last_modified_ms, checksum";

  private final Connection c;
  private final Dialect dialect;
  private final Sealing sealing;

  UploadRows(Connection c, Dialect dialect, Sealing sealing) {
    this.c = c;
    this.dialect = dialect;
    this.sealing = sealing;
  }

  void insert(UploadRecord u) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO uploads (" + UPLOAD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, u.uploadId());
      ps.setString(2, u.bucket().value());
      ps.setBytes(3, u.key().utf8());
      ps.setLong(4, u.initiated().toEpochMilli());
      ps.setString(5, u.keyRef());
      ps.setBytes(6, u.wrappedKey());
      ps.setBytes(7, u.sealedAttributes());
      ps.executeUpdate();
    }
  }

  Optional<UploadRecord> find(String uploadId) throws SQLException {
    return find(uploadId, "");
  }

  /**
   * The upload, locked as {@code lock} says (a {@link Dialect} constant) until the transaction
   * ends.
   */
  Optional<UploadRecord> find(String uploadId, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + UPLOAD_COLUMNS
                + " FROM uploads WHERE upload_id = ?"
                + dialect.lock(lock))) {
      ps.setString(1, uploadId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(upload(rs)) : Optional.empty();
      }
    }
  }

  List<UploadRecord> list(
      BucketName bucket, String prefix, String keyMarker, String idMarker, int max)
      throws SQLException {
    byte[] p = prefix == null ? new byte[0] : prefix.getBytes(StandardCharsets.UTF_8);
    byte[] marker = keyMarker == null ? null : keyMarker.getBytes(StandardCharsets.UTF_8);
    StringBuilder sql =
        new StringBuilder(
            "SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE bucket = ? AND key >= ?");
    byte[] upper = Lister.successor(p);
    if (p.length > 0 && upper != null) {
      sql.append(" AND key < ?");
    }
    if (marker != null) {
      sql.append(
          idMarker == null ? " AND key > ?" : " AND (key > ? OR (key = ? AND upload_id > ?))");
    }
    sql.append(" ORDER BY key, initiated_ms, upload_id LIMIT ?");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, bucket.value());
      ps.setBytes(i++, p);
      if (p.length > 0 && upper != null) {
        ps.setBytes(i++, upper);
      }
      if (marker != null) {
        ps.setBytes(i++, marker);
        if (idMarker != null) {
          ps.setBytes(i++, marker);
          ps.setString(i++, idMarker);
        }
      }
      ps.setInt(i, max + 1);
      List<UploadRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(upload(rs));
        }
      }
      return out;
    }
  }

  void delete(String uploadId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM parts WHERE upload_id = ?")) {
      ps.setString(1, uploadId);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM uploads WHERE upload_id = ?")) {
      ps.setString(1, uploadId);
      ps.executeUpdate();
    }
  }

  /** A part, locked against other writers until the transaction ends. */
  Optional<PartRecord> partForUpdate(String uploadId, int number) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + PART_COLUMNS
                + " FROM parts WHERE upload_id = ? AND part_number = ?"
                + dialect.lock(Dialect.FOR_UPDATE))) {
      ps.setString(1, uploadId);
      ps.setInt(2, number);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(part(rs)) : Optional.empty();
      }
    }
  }

  /** Inserts the part unless its number has one (then false). */
  boolean insertPartIfAbsent(PartRecord p) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO parts ("
                + PART_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (upload_id, part_number) DO NOTHING")) {
      ps.setString(1, p.uploadId());
      ps.setInt(2, p.partNumber());
      ps.setString(3, p.blob().blob().value());
      ps.setLong(4, p.blob().size());
      ps.setString(5, sealing.seal(p.etag().value(), partEtag(p)));
      ps.setLong(6, p.lastModified().toEpochMilli());
      ps.setString(7, sealing.sealNullable(p.checksum(), partChecksum(p)));
      return ps.executeUpdate() == 1;
    }
  }

  /** Replaces the part of the same number, which exists. */
  void updatePart(PartRecord p) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE parts SET blob = ?, size = ?, etag = ?, last_modified_ms = ?,"
                + " checksum = ? WHERE upload_id = ? AND part_number = ?")) {
      ps.setString(1, p.blob().blob().value());
      ps.setLong(2, p.blob().size());
      ps.setString(3, sealing.seal(p.etag().value(), partEtag(p)));
      ps.setLong(4, p.lastModified().toEpochMilli());
      ps.setString(5, sealing.sealNullable(p.checksum(), partChecksum(p)));
      ps.setString(6, p.uploadId());
      ps.setInt(7, p.partNumber());
      ps.executeUpdate();
    }
  }

  List<PartRecord> parts(String uploadId, int after, int max) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + PART_COLUMNS
                + " FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?")) {
      ps.setString(1, uploadId);
      ps.setInt(2, after);
      ps.setInt(3, max);
      List<PartRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(part(rs));
        }
      }
      return out;
    }
  }

  List<BlobId> allPartBlobs() throws SQLException {
    List<BlobId> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT blob FROM parts")) {
      ps.setFetchSize(1000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new BlobId(rs.getString(1)));
        }
      }
    }
    return out;
  }

  private static UploadRecord upload(ResultSet rs) throws SQLException {
    return new UploadRecord(
        rs.getString(1),
        new BucketName(rs.getString(2)),
        new ObjectKey(new String(rs.getBytes(3), StandardCharsets.UTF_8)),
        Instant.ofEpochMilli(rs.getLong(4)),
        rs.getString(5),
        rs.getBytes(6),
        rs.getBytes(7));
  }

  private PartRecord part(ResultSet rs) throws SQLException {
    String uploadId = rs.getString(1);
    int number = rs.getInt(2);
    return new PartRecord(
        uploadId,
        number,
        new BlobSlice(new BlobId(rs.getString(3)), rs.getLong(4)),
        new ETag(sealing.open(rs.getString(5), Sealing.part("etag", uploadId, number))),
        Instant.ofEpochMilli(rs.getLong(6)),
        sealing.openNullable(rs.getString(7), Sealing.part("checksum", uploadId, number)));
  }

  private static String partEtag(PartRecord p) {
    return Sealing.part("etag", p.uploadId(), p.partNumber());
  }

  private static String partChecksum(PartRecord p) {
    return Sealing.part("checksum", p.uploadId(), p.partNumber());
  }

  /** Uploads initiated before {@code cutoff}, oldest first, at most {@code max}. */
  List<UploadRecord> initiatedBefore(Instant cutoff, int max) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + UPLOAD_COLUMNS
                + " FROM uploads WHERE initiated_ms < ? ORDER BY initiated_ms LIMIT ?")) {
      ps.setLong(1, cutoff.toEpochMilli());
      ps.setInt(2, max);
      List<UploadRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(upload(rs));
        }
      }
      return out;
    }
  }

  /**
   * The ids of a bucket's uploads, all of them, locked against other writers until the transaction
   * ends.
   */
  List<String> idsInBucketForUpdate(BucketName bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT upload_id FROM uploads WHERE bucket = ?" + dialect.lock(Dialect.FOR_UPDATE))) {
      ps.setString(1, bucket.value());
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  /** Records that an upload became {@code object}, so a retried completion can succeed again. */
  void rememberCompleted(String uploadId, ObjectRecord object) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO completed_uploads (upload_id, bucket, key, etag, completed_ms) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (upload_id) DO UPDATE SET bucket = excluded.bucket, key = excluded.key,"
                + " etag = excluded.etag, completed_ms = excluded.completed_ms")) {
      ps.setString(1, uploadId);
      ps.setString(2, object.bucket().value());
      ps.setBytes(3, object.key().utf8());
      ps.setString(4, sealing.seal(object.etag().value(), Sealing.completed(uploadId)));
      ps.setLong(5, object.lastModified().toEpochMilli());
      ps.executeUpdate();
    }
  }

  Optional<ETag> completed(BucketName bucket, ObjectKey key, String uploadId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT etag FROM completed_uploads WHERE upload_id = ? AND bucket = ? AND key = ?")) {
      ps.setString(1, uploadId);
      ps.setString(2, bucket.value());
      ps.setBytes(3, key.utf8());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new ETag(sealing.open(rs.getString(1), Sealing.completed(uploadId))))
            : Optional.empty();
      }
    }
  }

  int forgetCompleted(Instant cutoff) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM completed_uploads WHERE completed_ms < ?")) {
      ps.setLong(1, cutoff.toEpochMilli());
      return ps.executeUpdate();
    }
  }
}
