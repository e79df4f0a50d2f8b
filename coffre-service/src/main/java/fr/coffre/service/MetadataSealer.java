package fr.coffre.service;

import fr.coffre.core.KmsKeyVersion;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.ValueCipher;
import fr.coffre.metadata.KmsStore;
import fr.coffre.metadata.ValueSealer;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ValueSealer} of a server: ETags and checksums sealed under the store's sealing key
 * ({@link ValueCipher}), which is made and stored wrapped by the root key the first time it is
 * needed and opened once. Opening waits for the root key: while a sealed-mode server is not
 * unsealed, the first use fails as every other use of the root key does, and a later one succeeds.
 */
public final class MetadataSealer implements ValueSealer {
  private final RootKey root;
  private final KmsStore keys;
  private final Clock clock;
  private volatile @Nullable ValueCipher cipher;

  public MetadataSealer(RootKey root, KmsStore keys, Clock clock) {
    this.root = root;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public String seal(String value, String context) {
    return PREFIX + cipher().seal(value, context);
  }

  @Override
  public String open(String sealed, String context) {
    if (!sealed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a sealed value");
    }
    return cipher().open(sealed.substring(PREFIX.length()), context);
  }

  private ValueCipher cipher() {
    ValueCipher c = cipher;
    if (c != null) {
      return c;
    }
    synchronized (this) {
      if (cipher == null) {
        KmsKeyVersion stored =
            keys.sealingKey()
                .orElseGet(() -> keys.addSealingKey(ValueCipher.generate(root, clock.instant())));
        cipher = ValueCipher.open(root, stored);
      }
      return cipher;
    }
  }
}
