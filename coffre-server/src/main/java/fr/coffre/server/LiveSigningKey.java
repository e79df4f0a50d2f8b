package fr.coffre.server;

import fr.coffre.audit.AuditLog;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The running server's signing key (audit checkpoints, erasure certificates, residency reports),
 * opened when first asked for and replaceable online ({@code POST /admin/v1/signing-key/rotate}).
 *
 * <p>A rotation does what the offline {@code coffre audit rotate-signing-key} does, in the same
 * order: {@code SigningKeyRotated} (naming the retired public key) is appended to the system chain
 * and checkpointed under the old key, so that the old key's last signature covers the rotation;
 * then the new pair is written ({@link SigningKey#rotate}, the old public key appended to {@code
 * signing-retired.pub}) and every later signature is made with it. Whoever asks for the key gets
 * the current one at each signature (the audit log asks its signer for each checkpoint), so a
 * checkpoint racing the rotation is signed by one key or the other, both published.
 */
final class LiveSigningKey implements Supplier<SigningKey> {
  private final Path keys;
  private final RootKey rootKey;
  private final Clock clock;
  private final Object rotating = new Object();
  private volatile @Nullable SigningKey current;

  LiveSigningKey(Path keys, RootKey rootKey, Clock clock) {
    this.keys = keys;
    this.rootKey = rootKey;
    this.clock = clock;
  }

  @Override
  public SigningKey get() {
    SigningKey k = current;
    if (k != null) {
      return k;
    }
    synchronized (this) {
      k = current;
      if (k == null) {
        try {
          k = SigningKey.openOrCreate(keys, rootKey);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        current = k;
      }
      return k;
    }
  }

  /**
   * Replaces the key now, recorded in {@code audit}'s system chain; the two public keys. One
   * rotation at a time; {@link #get} never waits for one (the checkpoint made here is signed on the
   * audit log's writer thread, which asks for the key).
   */
  Map<String, Object> rotate(AuditLog audit, String by) {
    synchronized (rotating) {
      return rotateNow(audit, by);
    }
  }

  private Map<String, Object> rotateNow(AuditLog audit, String by) {
    SigningKey old = get();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("retiredPublicKey", old.publicKeyBase64());
    d.put("online", true);
    d.put("by", by);
    RootKeyRotation.record(audit, clock, "SigningKeyRotated", d);
    try {
      audit.checkpoint();
      String pem = SigningKey.rotate(keys, rootKey, clock.instant());
      current = SigningKey.openOrCreate(keys, rootKey);

      RootKeyCustody.log(keys, "signing key rotated online by " + by);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("publicKey", pem);
      answer.put("retiredPublicKey", old.publicKeyPem());
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
