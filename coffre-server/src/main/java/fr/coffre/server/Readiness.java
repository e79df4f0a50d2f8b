package fr.coffre.server;

import fr.coffre.crypto.DataKey;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/ready}: the metadata store answers, a volume is writable, the root key wraps, the
 * audit trail appends.
 */
final class Readiness implements Supplier<Map<String, Boolean>> {
  private final Services services;
  private final Stores stores;

  Readiness(Services services, Stores stores) {
    this.services = services;
    this.stores = stores;
  }

  @Override
  public Map<String, Boolean> get() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    boolean metadataUp;
    try {
      stores.metadata().buckets();
      metadataUp = true;
    } catch (RuntimeException e) {
      metadataUp = false;
    }
    checks.put("metadata", metadataUp);
    checks.put(
        "volume", stores.placements().volumes().values().stream().anyMatch(Files::isWritable));
    boolean keyUp;
    try (DataKey key = services.crypto().newDataKey();
        DataKey again = services.crypto().unwrap(key.keyRef(), key.wrapped())) {
      keyUp = true; // the root key wraps and unwraps: it is loaded and usable
    } catch (RuntimeException e) {
      keyUp = false;
    }
    checks.put("root-key", keyUp);
    checks.put("audit", services.audit().healthy());
    return checks;
  }
}
