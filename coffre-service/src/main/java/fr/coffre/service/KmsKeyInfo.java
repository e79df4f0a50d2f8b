package fr.coffre.service;

import fr.coffre.core.KeyUsage;
import fr.coffre.core.KmsKeyRecord;
import java.time.Instant;
import java.util.List;

/**
 * A KMS key as the admin API describes it: its record, its ARN, the versions it still holds and
 * what it protects ({@code staleObjects}: objects still under an older version, which a re-wrap
 * moves to the current one).
 */
public record KmsKeyInfo(
    KmsKeyRecord key, String arn, List<Version> versions, KeyUsage usage, long staleObjects) {
  public KmsKeyInfo {
    versions = List.copyOf(versions);
  }

  /** One version of the key material (never the material itself). */
  public record Version(int version, Instant created, String rootKeyId) {}
}
