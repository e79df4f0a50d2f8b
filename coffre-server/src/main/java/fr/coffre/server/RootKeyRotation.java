package fr.coffre.server;

import fr.coffre.audit.AuditLog;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.RootKeyRing;
import fr.coffre.crypto.SigningKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import fr.coffre.service.AuditService;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a run of {@code coffre root-key rotate} did: the key now current, the keys it retired (still
 * listed in the pin when the pass is not finished), how many rows each kind of value had
 * re-wrapped, and whether the pass finished (the retired keys were then dropped from the pin).
 *
 * <p>Offline, on a stopped server (the data directory is locked): a new key takes the current one's
 * place ({@link RootKeySwitch}), then every value the old key wrapped is wrapped again ({@link
 * RootKeyRewrap}). A run that finds retired keys in the pin does not make another key: it resumes
 * the pass. The audit trail's system chain records the start (or resumption), each batch and the
 * end.
 */
public record RootKeyRotation(
    String keyId,
    List<String> retired,
    boolean newKey,
    Map<String, Integer> rewrapped,
    boolean finished) {

  /**
   * Rotates the root key of {@code data}, or resumes an unfinished rotation.
   *
   * @param passphrase a sealed key's passphrase (the new key is sealed under it); ignored else
   * @param batchSize rows per batch
   * @param maxBatches stop after this many batches (0: no limit); a later run resumes
   * @param progress told one line per batch, for the operator
   * @throws CustodyException saying why the rotation was refused
   */
  public static RootKeyRotation rotate(
      Path data,
      char @Nullable [] passphrase,
      int batchSize,
      int maxBatches,
      Clock clock,
      Consumer<String> progress)
      throws IOException {
    RootKeyCustody.requireDataDirectory(data);
    try (DataDirectory dir = lock(data)) {
      Path keys = dir.path().resolve("keys");
      RootKeyPin pin = RootKeyCustody.knownPin(dir.path(), "a rotation");
      if (pin.mode() == Mode.HSM) {
        throw new CustodyException(
            "the root key is "
                + pin.id()
                + " in a PKCS#11 HSM: its rotation (a new key label) is not done yet; see"
                + " docs/key-custody.md. Nothing was changed.");
      }
      requireSqlite(dir.path());
      RootKeySwitch.finishInterrupted(keys, pin);
      String from = pin.id();
      boolean fresh = pin.retiredIds().isEmpty();
      try {
        if (fresh) {
          pin = RootKeySwitch.switchKey(keys, pin, passphrase);
          RootKeyCustody.log(keys, "rotation from=" + from + " to=" + pin.id());
        }
        RootKeyRing ring = RootKeySwitch.openRing(keys, pin, passphrase);
        try (MetadataStore metadata =
                SqliteMetadataStore.open(dir.path().resolve(MetadataPin.SQLITE_FILE));
            AuditLog audit = openAudit(dir.path(), keys, ring, clock)) {
          // Rows read by the pass carry sealed ETags: the ring opens the sealing key.
          metadata.sealValuesWith(new fr.coffre.service.MetadataSealer(ring, metadata, clock));
          Map<String, Object> start = new LinkedHashMap<>();
          start.put("keyId", pin.id());
          start.put("retired", pin.retiredIds());
          record(audit, clock, fresh ? "RootKeyRotationStarted" : "RootKeyRotationResumed", start);
          RootKeyRewrap pass =
              new RootKeyRewrap(
                  metadata,
                  ring,
                  batchSize,
                  maxBatches,
                  (what, n) -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("keyId", ring.id());
                    d.put("what", what);
                    d.put("rewrapped", n);
                    record(audit, clock, "RootKeyRewrapBatch", d);
                    progress.accept("re-wrapped " + n + " " + what);
                  });
          boolean done = pass.run(keys) && !pass.anyLeft();
          List<String> retired = pin.retiredIds();
          if (done) {
            pin.withoutRetired().write(keys);
            RootKeyCustody.log(keys, "rotation finished key=" + pin.id() + " retired=" + retired);
          }
          Map<String, Object> end = new LinkedHashMap<>();
          end.put("keyId", pin.id());
          end.put("retired", retired);
          end.put("rewrapped", pass.counts());
          end.put("finished", done);
          record(audit, clock, done ? "RootKeyRotationFinished" : "RootKeyRotationPaused", end);
          audit.checkpoint();
          return new RootKeyRotation(pin.id(), retired, fresh, pass.counts(), done);
        }
      } catch (GeneralSecurityException e) {
        throw new CustodyException(
            "the root key could not be opened or rotated: "
                + e.getMessage()
                + (pin.mode() == Mode.SEALED ? " (wrong passphrase?)" : ""),
            e);
      } catch (RootKeyPin.MismatchException e) {
        throw new CustodyException(e.getMessage(), e);
      }
    }
  }

  /** The audit trail, signed by the signing key (opened through the ring), for the system chain. */
  private static AuditLog openAudit(Path data, Path keys, RootKeyRing ring, Clock clock)
      throws IOException {
    return AuditLog.open(
        data.resolve("audit"),
        AuditLog.Options.defaults(),
        () ->
            ServerAudit.signer(
                () -> {
                  try {
                    return SigningKey.openOrCreate(keys, ring);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }),
        clock);
  }

  static void record(AuditLog audit, Clock clock, String operation, Map<String, Object> details) {
    audit.append(
        List.of(AuditService.SYSTEM_CHAIN),
        ServerAudit.serverEvent(clock, operation, ServerAudit.json(details)));
  }

  private static void requireSqlite(Path data) throws IOException {
    try {
      MetadataPin.check(data, null);
    } catch (IllegalStateException e) {
      throw new CustodyException(
          "this data directory's metadata is in PostgreSQL: an offline rotation of its root key is"
              + " done on SQLite directories only for now (docs/key-custody.md). Nothing was"
              + " changed.",
          e);
    }
  }

  static DataDirectory lock(Path data) throws IOException {
    try {
      return DataDirectory.lock(data);
    } catch (IllegalStateException e) {
      throw new CustodyException(
          "data directory "
              + data
              + " is in use by a Coffre process: stop the server first (the rotation is offline)."
              + " Nothing was changed.",
          e);
    }
  }
}
