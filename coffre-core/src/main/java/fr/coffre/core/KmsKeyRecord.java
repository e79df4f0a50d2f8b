package fr.coffre.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A KMS key (key-encryption key) as stored: its identity and state, not its material (that lives in
 * its versions, wrapped by the root key).
 *
 * @param id a UUID, the key's permanent name
 * @param alias an operator-chosen name ({@code alias/...} without the prefix), or null
 * @param currentVersion the version that wraps new data keys
 * @param deletionDate when a key pending deletion will be destroyed, else null
 * @param destroyed when the key material was destroyed, else null
 * @param certificate the signed erasure certificate once destroyed, else null
 * @param tenant the tenant that owns the key: only its buckets may encrypt under it
 */
public record KmsKeyRecord(
    String id,
    @Nullable String alias,
    String description,
    KmsKeyState state,
    Instant created,
    int currentVersion,
    @Nullable Instant deletionDate,
    @Nullable Instant destroyed,
    @Nullable String certificate,
    String tenant) {

  public KmsKeyRecord {
    tenant = tenant == null ? TenantRecord.DEFAULT : tenant;
  }

  /** A key of the default tenant. */
  public KmsKeyRecord(
      String id,
      @Nullable String alias,
      String description,
      KmsKeyState state,
      Instant created,
      int currentVersion,
      @Nullable Instant deletionDate,
      @Nullable Instant destroyed,
      @Nullable String certificate) {
    this(
        id,
        alias,
        description,
        state,
        created,
        currentVersion,
        deletionDate,
        destroyed,
        certificate,
        TenantRecord.DEFAULT);
  }

  public KmsKeyRecord withState(KmsKeyState newState, @Nullable Instant newDeletionDate) {
    return new KmsKeyRecord(
        id,
        alias,
        description,
        newState,
        created,
        currentVersion,
        newDeletionDate,
        destroyed,
        certificate,
        tenant);
  }
}
