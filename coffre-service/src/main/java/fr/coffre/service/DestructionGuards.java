package fr.coffre.service;

import fr.coffre.core.BucketRecord;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.KmsKeyException;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.crypto.KeyRef;
import fr.coffre.metadata.MetadataStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What must hold before a KMS key is scheduled for destruction or destroyed, checked by {@link
 * KeyService} at both steps: no version under Object Lock depends on it, and no bucket's default
 * encryption names it. Each refusal says what to change first. Crypto-shredding is irreversible, so
 * these checks run again at the moment of destruction, not only when it is scheduled.
 */
final class DestructionGuards {
  private final MetadataStore metadata;
  private final Clock clock;
  private final UnaryOperator<String> keyIdOf;

  /**
   * @param keyIdOf the id of the key a reference names (id, alias, ARN); KmsKeyException if none
   */
  DestructionGuards(MetadataStore metadata, Clock clock, UnaryOperator<String> keyIdOf) {
    this.metadata = metadata;
    this.clock = clock;
    this.keyIdOf = keyIdOf;
  }

  /**
   * Refuses to shred a key that protects a version Object Lock keeps (a legal hold, or a retention
   * not yet over): COMPLIANCE outranks "delete my key", and so does a hold. Once the last retention
   * ends, the key can go.
   */
  void requireNoLockedVersion(KmsKeyRecord k) {
    long locked = metadata.countLocked(KeyRef.Kms.prefixOf(k.id()), clock.instant());
    if (locked > 0) {
      throw new InvalidArgumentException(
          "key "
              + k.id()
              + " protects "
              + locked
              + " object version(s) under Object Lock (retention or legal hold); it can be"
              + " destroyed once none is locked any more");
    }
  }

  /**
   * Refuses to schedule or carry out the destruction of a key that a bucket's default encryption
   * names: every later write to that bucket would fail. The message says what to change.
   */
  void requireNoBucketDefault(KmsKeyRecord k) {
    List<String> naming = new ArrayList<>();
    for (BucketRecord b : metadata.buckets()) {
      if (!b.tenant().equals(k.tenant())) {
        continue;
      }
      String named =
          metadata
              .bucketSetting(b.name(), BucketEncryption.SETTING)
              .flatMap(BucketEncryption::kmsKeyNamed)
              .orElse(null);
      if (named == null) {
        continue;
      }
      try {
        if (keyIdOf.apply(named).equals(k.id())) {
          naming.add(b.name().value());
        }
      } catch (KmsKeyException e) {
        // names no key (or another one): not this key's concern
      }
    }
    if (!naming.isEmpty()) {
      throw new InvalidArgumentException(
          "key "
              + k.id()
              + " is the default encryption key of bucket"
              + (naming.size() == 1 ? " " : "s ")
              + String.join(", ", naming.subList(0, Math.min(20, naming.size())))
              + "; change their default encryption first (PutBucketEncryption with another key, or"
              + " DeleteBucketEncryption for SSE-S3), then destroy the key");
    }
  }
}
