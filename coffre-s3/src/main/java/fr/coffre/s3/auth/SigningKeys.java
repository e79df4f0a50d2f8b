package fr.coffre.s3.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing keys derived before, by access key, day, region and service: deriving one is four HMACs,
 * a tenth of a small request's authentication. An entry is used only while the access key's secret
 * is the one it was derived from (the secret is looked up on every request, so a deleted or rotated
 * key stops authenticating at once). Thread-safe.
 */
final class SigningKeys {
  private static final int MAX_DAY_KEYS = 10_000;

  private record DayKey(String accessKey, String date, String region, String service) {}

  private static final class DayKeyValue {
    private final String secret;
    private final byte[] signingKey;

    DayKeyValue(String secret, byte[] signingKey) {
      this.secret = secret;
      this.signingKey = signingKey;
    }
  }

  private final Map<DayKey, DayKeyValue> dayKeys = new ConcurrentHashMap<>();

  /** The day's signing key of {@code credential} under {@code secret}; the caller wipes it. */
  byte[] get(SigV4Credential credential, String secret) {
    DayKey day =
        new DayKey(
            credential.accessKey(), credential.date(), credential.region(), credential.service());
    DayKeyValue known = dayKeys.get(day);
    if (known != null && known.secret.equals(secret)) {
      return known.signingKey.clone();
    }
    byte[] key =
        SigV4.signingKey(secret, credential.date(), credential.region(), credential.service());
    if (dayKeys.size() >= MAX_DAY_KEYS) {
      dayKeys.clear(); // a bound, not an eviction policy: refilling costs four HMACs a key
    }
    dayKeys.put(day, new DayKeyValue(secret, key.clone()));
    return key;
  }
}
