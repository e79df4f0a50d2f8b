package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.ShareLinkRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for share links, run in the caller's {@link Session}. */
final class ShareRows {
  private static final String COLUMNS =
      "id, token_hash, tenant, bucket, key, etag, created_by, creator,"
          + " created_ms, expires_ms, password_hash, max_downloads, downloads, revoked_ms";

  private final Connection c;
  private final Sealing sealing;

  ShareRows(Connection c, Sealing sealing) {
    this.c = c;
    this.sealing = sealing;
  }

  void insert(ShareLinkRecord s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO share_links ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, s.id());
      ps.setString(2, s.tokenHash());
      ps.setString(3, s.tenant());
      ps.setString(4, s.bucket().value());
      ps.setString(5, s.key());
      ps.setString(6, sealing.seal(s.etag(), Sealing.share(s.id())));
      ps.setString(7, s.createdBy());
      ps.setString(8, s.creator());
      ps.setLong(9, s.created().toEpochMilli());
      ps.setLong(10, s.expires().toEpochMilli());
      ps.setString(11, s.passwordHash());
      if (s.maxDownloads() == null) {
        ps.setNull(12, Types.INTEGER);
      } else {
        ps.setInt(12, s.maxDownloads());
      }
      ps.setLong(13, s.downloads());
      if (s.revoked() == null) {
        ps.setNull(14, Types.BIGINT);
      } else {
        ps.setLong(14, s.revoked().toEpochMilli());
      }
      ps.executeUpdate();
    }
  }

  Optional<ShareLinkRecord> find(String column, String value) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM share_links WHERE " + column + " = ?")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  List<ShareLinkRecord> ofTenant(String tenant) throws SQLException {
    List<ShareLinkRecord> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM share_links WHERE tenant = ? AND revoked_ms IS NULL ORDER BY created_ms DESC, id")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
    }
    return out;
  }

  boolean revoke(String id, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE share_links SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL")) {
      ps.setLong(1, at.toEpochMilli());
      ps.setString(2, id);
      return ps.executeUpdate() == 1;
    }
  }

  boolean countDownload(String id, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE share_links SET downloads = downloads + 1"
                + " WHERE id = ? AND revoked_ms IS NULL AND expires_ms > ?"
                + " AND (max_downloads IS NULL OR downloads < max_downloads)")) {
      ps.setString(1, id);
      ps.setLong(2, now.toEpochMilli());
      return ps.executeUpdate() == 1;
    }
  }

  int deleteEndedBefore(Instant cutoff) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM share_links WHERE expires_ms < ? OR revoked_ms < ?")) {
      ps.setLong(1, cutoff.toEpochMilli());
      ps.setLong(2, cutoff.toEpochMilli());
      return ps.executeUpdate();
    }
  }

  private ShareLinkRecord row(ResultSet rs) throws SQLException {
    int max = rs.getInt(12);
    Integer maxDownloads = rs.wasNull() ? null : max;
    long revoked = rs.getLong(14);
    Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
    return new ShareLinkRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        new BucketName(rs.getString(4)),
        rs.getString(5),
        sealing.open(rs.getString(6), Sealing.share(rs.getString(1))),
        rs.getString(7),
        rs.getString(8),
        Instant.ofEpochMilli(rs.getLong(9)),
        Instant.ofEpochMilli(rs.getLong(10)),
        rs.getString(11),
        maxDownloads,
        rs.getLong(13),
        revokedAt);
  }
}
