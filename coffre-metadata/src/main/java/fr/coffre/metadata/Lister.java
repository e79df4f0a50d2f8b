package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes one page of a listing with index range scans whose number follows the page, not the
 * bucket.
 *
 * <p>Keys are stored as their UTF-8 bytes, so the primary key orders them as S3 does. A page is
 * built by repeatedly reading a batch of rows from a lower bound: a row whose remainder after the
 * prefix contains the delimiter becomes a common prefix P, and the scan then jumps to the smallest
 * byte string greater than every string that starts with P (its "successor"), one seek instead of
 * reading every key under P. A continuation point that is itself a common prefix, or a key under
 * one, resumes after that whole prefix, since the prefix was already returned.
 */
final class Lister {
  private final Connection connection;
  private final AtomicInteger queries;
  private final Sealing sealing;

  /**
   * A lister that counts its range queries in {@code queries} (tests check it follows the page
   * size).
   */
  Lister(Connection connection, AtomicInteger queries, Sealing sealing) {
    this.connection = connection;
    this.queries = queries;
    this.sealing = sealing;
  }

  ListPage list(BucketName bucket, ListQuery q) throws SQLException {
    if (q.maxKeys() == 0) {
      return new ListPage(List.of(), List.of(), false, null);
    }
    byte[] prefix = utf8(q.prefix());
    byte[] delimiter = q.delimiter() == null ? null : utf8(q.delimiter());
    byte[] upper = prefix.length == 0 ? null : successor(prefix);
    byte[] lower = prefix;
    boolean inclusive = true;
    if (q.after() != null) {
      byte[] after = utf8(q.after());
      byte[] rolled = delimiter == null ? null : commonPrefix(after, prefix, delimiter);
      byte[] resume = rolled != null ? successor(rolled) : after;
      boolean resumeInclusive = rolled != null;
      if (resume == null) {
        return new ListPage(List.of(), List.of(), false, null);
      }
      if (Arrays.compareUnsigned(resume, lower) > 0
          || (Arrays.compareUnsigned(resume, lower) == 0 && !resumeInclusive)) {
        lower = resume;
        inclusive = resumeInclusive;
      }
    }
    List<ObjectRecord> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    int wanted = q.maxKeys();
    while (true) {
      int batch = Math.min(1000, wanted - objects.size() - prefixes.size() + 1);
      boolean jumped = false;
      int rows = 0;
      try (PreparedStatement ps = query(bucket, lower, inclusive, upper, batch);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows++;
          byte[] key = rs.getBytes(1);
          byte[] rolled = delimiter == null ? null : commonPrefix(key, prefix, delimiter);
          if (objects.size() + prefixes.size() == wanted) {
            return new ListPage(objects, prefixes, true, last);
          }
          if (rolled != null) {
            last = new String(rolled, StandardCharsets.UTF_8);
            prefixes.add(last);
            lower = successor(rolled);
            inclusive = true;
            jumped = true;
            break;
          }
          ObjectRecord r = ObjectRows.object(bucket, rs, sealing);
          objects.add(r);
          last = r.key().value();
          lower = key;
          inclusive = false;
        }
      }
      if (jumped) {
        if (lower == null) {
          return new ListPage(objects, prefixes, false, last);
        }
        continue;
      }
      if (rows < batch) {
        return new ListPage(objects, prefixes, false, last);
      }
    }
  }

  private PreparedStatement query(
      BucketName bucket, byte[] lower, boolean inclusive, byte[] upper, int limit)
      throws SQLException {
    queries.incrementAndGet();
    String sql =
        "SELECT "
            + ObjectRows.COLUMNS
            + " FROM objects WHERE bucket = ? AND key "
            + (inclusive ? ">=" : ">")
            + " ?"
            + (upper == null ? "" : " AND key < ?")
            + " ORDER BY key LIMIT ?";
    PreparedStatement ps = connection.prepareStatement(sql);
    int i = 1;
    ps.setString(i++, bucket.value());
    ps.setBytes(i++, lower);
    if (upper != null) {
      ps.setBytes(i++, upper);
    }
    ps.setInt(i, limit);
    return ps;
  }

  /**
   * The common prefix {@code key} rolls up into (prefix, then up to the first delimiter), or null.
   */
  static byte[] commonPrefix(byte[] key, byte[] prefix, byte[] delimiter) {
    if (!startsWith(key, prefix)) {
      return null;
    }
    int at = indexOf(key, delimiter, prefix.length);
    return at < 0 ? null : Arrays.copyOf(key, at + delimiter.length);
  }

  /** The smallest byte string greater than every string starting with {@code b}; null if none. */
  static byte[] successor(byte[] b) {
    int n = b.length;
    while (n > 0 && b[n - 1] == (byte) 0xff) {
      n--;
    }
    if (n == 0) {
      return null;
    }
    byte[] s = Arrays.copyOf(b, n);
    s[n - 1]++;
    return s;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length
        && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static int indexOf(byte[] b, byte[] needle, int from) {
    outer:
    for (int i = from; i <= b.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
