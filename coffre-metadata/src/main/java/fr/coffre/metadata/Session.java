package fr.coffre.metadata;

import java.sql.Connection;
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
  private final Lister lister;

  Session(Connection c, Dialect dialect, AtomicInteger listQueries) {
    this.buckets = new BucketRows(c, dialect);
    this.settings = new SettingRows(c);
    this.objects = new ObjectRows(c, dialect);
    this.uploads = new UploadRows(c, dialect);
    this.kms = new KmsRows(c);
    this.identities = new IdentityRows(c, dialect);
    this.shares = new ShareRows(c);
    this.lister = new Lister(c, listQueries);
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

  Lister lister() {
    return lister;
  }
}
