package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.ObjectKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code *Rows} classes over one connection, for the duration of one call of a store: the
 * aggregate classes get one from {@link SqlDatabase#read} or {@link SqlDatabase#transaction} and
 * run their SQL through it, so that an operation spanning aggregates (a multipart completion writes
 * an object) stays one transaction.
 */
final class Session {
  private final BucketRows buckets;
  private final SettingRows settings;
  private final ObjectRows objects;
  private final UploadRows uploads;
  private final KmsRows kms;
  private final IdentityRows identities;
  private final ShareRows shares;
  private final NodeRows nodes;
  private final GovernanceRows governance;
  private final RoleRows roles;
  private final WebSessionRows webSessions;
  private final FailureRows failures;
  private final Lister lister;
  private final VersionRows versions;
  private final VersionLister versionLister;
  private final Connection connection;
  private final Dialect dialect;

  Session(Connection c, Dialect dialect, AtomicInteger listQueries, Sealing sealing) {
    this.buckets = new BucketRows(c, dialect);
    this.settings = new SettingRows(c);
    this.objects = new ObjectRows(c, dialect, sealing);
    this.uploads = new UploadRows(c, dialect, sealing);
    this.kms = new KmsRows(c, sealing);
    this.identities = new IdentityRows(c, dialect);
    this.shares = new ShareRows(c, sealing);
    this.nodes = new NodeRows(c, dialect);
    this.governance = new GovernanceRows(c);
    this.roles = new RoleRows(c);
    this.webSessions = new WebSessionRows(c);
    this.failures = new FailureRows(c, dialect);
    this.lister = new Lister(c, listQueries, sealing);
    this.versions = new VersionRows(c, dialect, sealing);
    this.versionLister = new VersionLister(c, sealing);
    this.connection = c;
    this.dialect = dialect;
  }

  /** The connection the rows run on. */
  Connection connection() {
    return connection;
  }

  VersionRows versions() {
    return versions;
  }

  VersionLister versionLister() {
    return versionLister;
  }

  /**
   * Serializes, until the transaction ends, the writers of one key of a versioned bucket: they read
   * the key's newest sequence number and add after it. SQLite needs nothing (its store runs one
   * call at a time); PostgreSQL takes a transaction-scoped advisory lock on a hash of the bucket
   * and key (two keys sharing a hash only wait for each other).
   */
  void lockKey(BucketName bucket, ObjectKey key) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return;
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha.update(bucket.value().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '/');
    sha.update(key.utf8());
    long hash = ByteBuffer.wrap(sha.digest()).getLong();
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      ps.setLong(1, hash);
      ps.execute();
    }
  }

  /**
   * Serializes, until the transaction ends, the transactions that take the same {@code name}: a
   * transaction-scoped advisory lock on PostgreSQL (two names sharing a hash only wait for each
   * other), nothing on SQLite (its store runs one call at a time).
   */
  void lockName(String name) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return;
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long hash = ByteBuffer.wrap(sha.digest(name.getBytes(StandardCharsets.UTF_8))).getLong();
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      ps.setLong(1, hash);
      ps.execute();
    }
  }

  WebSessionRows webSessions() {
    return webSessions;
  }

  FailureRows failures() {
    return failures;
  }

  BucketRows buckets() {
    return buckets;
  }

  SettingRows settings() {
    return settings;
  }

  ObjectRows objects() {
    return objects;
  }

  UploadRows uploads() {
    return uploads;
  }

  KmsRows kms() {
    return kms;
  }

  IdentityRows identities() {
    return identities;
  }

  ShareRows shares() {
    return shares;
  }

  NodeRows nodes() {
    return nodes;
  }

  GovernanceRows governance() {
    return governance;
  }

  RoleRows roles() {
    return roles;
  }

  Lister lister() {
    return lister;
  }
}
