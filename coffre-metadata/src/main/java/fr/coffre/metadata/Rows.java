package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Maps object records to and from rows of the {@code objects} table. */
final class Rows {
  static final String COLUMNS =
      "key, size, etag, last_modified_ms, key_ref, wrapped_key, blobs, attributes";

  private Rows() {}

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
      slices.add(new BlobSlice(new BlobId(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1))));
    }
    return slices;
  }
}
