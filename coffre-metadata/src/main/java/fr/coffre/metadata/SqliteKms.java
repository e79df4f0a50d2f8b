package fr.coffre.metadata;

import fr.coffre.core.KeyUsage;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.UploadRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link KmsStore} of {@link SqliteMetadataStore}: KMS keys, versions, and the data keys they wrap. */
final class SqliteKms implements KmsStore {
  private final SqliteDatabase db;
  private final KmsRows kms;
  private final UploadRows uploads;

  SqliteKms(SqliteDatabase db, UploadRows uploads) {
    this.db = db;
    this.kms = new KmsRows(db.connection());
    this.uploads = uploads;
  }

  @Override
  public void createKmsKey(KmsKeyRecord key, KmsKeyVersion first) {
    db.transaction("createKmsKey", () -> {
      kms.insert(key);
      kms.insertVersion(first);
      return null;
    });
  }

  @Override
  public Optional<KmsKeyRecord> kmsKey(String idOrAlias, boolean byAlias) {
    return db.locked("kmsKey", () -> kms.find(byAlias ? "alias" : "id", idOrAlias));
  }

  @Override
  public List<KmsKeyRecord> kmsKeys() {
    return db.locked("kmsKeys", kms::all);
  }

  @Override
  public void updateKmsKey(KmsKeyRecord key) {
    db.locked("updateKmsKey", () -> {
      kms.update(key);
      return null;
    });
  }

  @Override
  public void rotateKmsKey(KmsKeyRecord key, KmsKeyVersion next) {
    db.transaction("rotateKmsKey", () -> {
      kms.insertVersion(next);
      kms.update(key);
      return null;
    });
  }

  @Override
  public List<KmsKeyVersion> kmsKeyVersions(String keyId) {
    return db.locked("kmsKeyVersions", () -> kms.versions(keyId));
  }

  @Override
  public int destroyKmsKey(KmsKeyRecord destroyed) {
    int n = db.transaction("destroyKmsKey", () -> {
      int deleted = kms.deleteVersions(destroyed.id());
      kms.update(destroyed);
      return deleted;
    });
    // The deleted versions are overwritten in the database (secure_delete); empty the log too.
    db.checkpoint();
    return n;
  }

  @Override
  public KeyUsage keyUsage(String keyRefPrefix) {
    return db.locked("keyUsage", () -> {
      long[] u = kms.usage(keyRefPrefix);
      return new KeyUsage(u[0], u[1], u[2]);
    });
  }

  @Override
  public List<ObjectRecord> objectsWithKeyRef(String keyRef, int max) {
    return db.locked("objectsWithKeyRef", () -> kms.objectsWithKeyRef(keyRef, max));
  }

  @Override
  public long countObjectsWithKeyRef(String keyRef) {
    return db.locked("countObjectsWithKeyRef", () -> kms.countObjectsWithKeyRef(keyRef));
  }

  @Override
  public boolean rewrapObject(ObjectRecord current, String keyRef, byte[] wrappedKey) {
    return db.locked("rewrapObject", () -> kms.replaceObjectWrapping(current, keyRef, wrappedKey));
  }

  @Override
  public List<UploadRecord> uploadsWithKeyRef(String keyRef, int max) {
    return db.locked("uploadsWithKeyRef", () -> {
      List<UploadRecord> out = new ArrayList<>();
      for (String id : kms.uploadsWithKeyRef(keyRef, max)) {
        uploads.find(id).ifPresent(out::add);
      }
      return out;
    });
  }

  @Override
  public boolean rewrapUpload(UploadRecord current, String keyRef, byte[] wrappedKey) {
    return db.locked("rewrapUpload",
        () -> kms.replaceUploadWrapping(current.uploadId(), current.keyRef(), current.wrappedKey(), keyRef, wrappedKey));
  }
}
