package fr.coffre.metadata;

import fr.coffre.core.KeyUsage;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.UploadRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link KmsStore} of the SQL stores: KMS keys, versions, and the data keys they wrap. */
final class SqlKms implements KmsStore {
  private final SqlDatabase db;

  SqlKms(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public void createKmsKey(KmsKeyRecord key, KmsKeyVersion first) {
    db.transaction(
        "createKmsKey",
        s -> {
          s.kms().insert(key);
          s.kms().insertVersion(first);
          return null;
        });
  }

  @Override
  public Optional<KmsKeyRecord> kmsKey(String idOrAlias, boolean byAlias) {
    return db.read("kmsKey", s -> s.kms().find(byAlias ? "alias" : "id", idOrAlias));
  }

  @Override
  public List<KmsKeyRecord> kmsKeys() {
    return db.read("kmsKeys", s -> s.kms().all());
  }

  @Override
  public void updateKmsKey(KmsKeyRecord key) {
    db.transaction(
        "updateKmsKey",
        s -> {
          s.kms().update(key);
          return null;
        });
  }

  @Override
  public void rotateKmsKey(KmsKeyRecord key, KmsKeyVersion next) {
    db.transaction(
        "rotateKmsKey",
        s -> {
          s.kms().insertVersion(next);
          s.kms().update(key);
          return null;
        });
  }

  @Override
  public List<KmsKeyVersion> kmsKeyVersionsWrappedBy(String rootKeyId, int max) {
    return db.read("kmsKeyVersionsWrappedBy", s -> s.kms().versionsWrappedBy(rootKeyId, max));
  }

  @Override
  public boolean rewrapKmsKeyVersion(KmsKeyVersion current, KmsKeyVersion rewrapped) {
    if (!current.keyId().equals(rewrapped.keyId()) || current.version() != rewrapped.version()) {
      throw new IllegalArgumentException("a re-wrap keeps the key id and version");
    }
    return db.transaction(
        "rewrapKmsKeyVersion", s -> s.kms().replaceVersionWrapping(current, rewrapped));
  }

  @Override
  public List<fr.coffre.core.ErasureCoverage.Entry> versionsUnderKeyRef(String keyRefPrefix) {
    return db.read("versionsUnderKeyRef", s -> s.kms().versionsUnderKeyRef(keyRefPrefix));
  }

  @Override
  public void saveErasureCoverage(String keyId, byte[] document) {
    db.transaction(
        "saveErasureCoverage",
        s -> {
          s.kms().saveCoverage(keyId, document);
          return null;
        });
  }

  @Override
  public Optional<byte[]> erasureCoverage(String keyId) {
    return db.read("erasureCoverage", s -> s.kms().coverage(keyId));
  }

  @Override
  public Optional<KmsKeyVersion> sealingKey() {
    return db.read("sealingKey", s -> s.kms().sealingKey());
  }

  @Override
  public KmsKeyVersion addSealingKey(KmsKeyVersion candidate) {
    return db.transaction(
        "addSealingKey",
        s -> {
          s.kms().insertSealingKeyIfAbsent(candidate);
          return s.kms().sealingKey().orElseThrow();
        });
  }

  @Override
  public boolean rewrapSealingKey(KmsKeyVersion current, KmsKeyVersion rewrapped) {
    if (!current.keyId().equals(rewrapped.keyId())) {
      throw new IllegalArgumentException("a re-wrap keeps the sealing key's id");
    }
    return db.transaction(
        "rewrapSealingKey", s -> s.kms().replaceSealingKeyWrapping(current, rewrapped));
  }

  @Override
  public List<KmsKeyVersion> kmsKeyVersions(String keyId) {
    return db.read("kmsKeyVersions", s -> s.kms().versions(keyId));
  }

  @Override
  public int destroyKmsKey(KmsKeyRecord destroyed) {
    int n =
        db.transaction(
            "destroyKmsKey",
            s -> {
              int deleted = s.kms().deleteVersions(destroyed.id());
              s.kms().update(destroyed);
              return deleted;
            });
    db.scrubDeleted();
    return n;
  }

  @Override
  public KeyUsage keyUsage(String keyRefPrefix) {
    return db.read(
        "keyUsage",
        s -> {
          long[] u = s.kms().usage(keyRefPrefix);
          return new KeyUsage(u[0], u[1], u[2]);
        });
  }

  @Override
  public List<ObjectRecord> objectsWithKeyRef(String keyRef, int max) {
    return db.read("objectsWithKeyRef", s -> s.kms().objectsWithKeyRef(keyRef, max));
  }

  @Override
  public long countLocked(String keyRefPrefix, Instant now) {
    return db.read(
        "countLocked", s -> s.kms().countLockedWithKeyRefPrefix(keyRefPrefix, now.toEpochMilli()));
  }

  @Override
  public long countObjectsWithKeyRef(String keyRef) {
    return db.read("countObjectsWithKeyRef", s -> s.kms().countObjectsWithKeyRef(keyRef));
  }

  @Override
  public boolean rewrapObject(ObjectRecord current, String keyRef, byte[] wrappedKey) {
    return db.transaction(
        "rewrapObject", s -> s.kms().replaceObjectWrapping(current, keyRef, wrappedKey));
  }

  @Override
  public List<UploadRecord> uploadsWithKeyRef(String keyRef, int max) {
    return db.read(
        "uploadsWithKeyRef",
        s -> {
          List<UploadRecord> out = new ArrayList<>();
          for (String id : s.kms().uploadsWithKeyRef(keyRef, max)) {
            s.uploads().find(id).ifPresent(out::add);
          }
          return out;
        });
  }

  @Override
  public boolean rewrapUpload(UploadRecord current, String keyRef, byte[] wrappedKey) {
    return db.transaction(
        "rewrapUpload",
        s ->
            s.kms()
                .replaceUploadWrapping(
                    current.uploadId(),
                    current.keyRef(),
                    current.wrappedKey(),
                    keyRef,
                    wrappedKey));
  }
}
