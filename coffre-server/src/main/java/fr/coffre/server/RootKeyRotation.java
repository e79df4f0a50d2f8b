package fr.coffre.server;

import fr.coffre.audit.AuditLog;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.RootKeyRing;
import fr.coffre.crypto.SigningKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.service.AuditService;
import fr.coffre.service.MetadataSealer;
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
   * Where a rotation runs: the data directory, and what its server is configured with that the
   * rotation needs (the PostgreSQL metadata, the HSM), read the way {@code coffre server} reads
   * them.
   *
   * @param metadata the PostgreSQL metadata database, or null for the directory's SQLite file
   * @param hsm the PKCS#11 token of an HSM directory (its library, slot and PIN), or null
   * @param newLabel an HSM rotation's new key label, or null for the old label and a time stamp
   */
  public record Target(
      Path data,
      ServerConfig.@Nullable Metadata metadata,
      ServerConfig.@Nullable Hsm hsm,
      @Nullable String newLabel) {
    /** A directory with SQLite metadata, in the file or passphrase mode. */
    public static Target of(Path data) {
      return new Target(data, null, null, null);
    }
  }

  /**
   * Rotates the root key of {@code data} (SQLite metadata, key file or sealed key), or resumes an
   * unfinished rotation.
   */
  public static RootKeyRotation rotate(
      Path data,
      char @Nullable [] passphrase,
      int batchSize,
      int maxBatches,
      Clock clock,
      Consumer<String> progress)
      throws IOException {
    return rotate(Target.of(data), passphrase, batchSize, maxBatches, clock, progress);
  }

  /**
   * Rotates the root key of {@code target}, or resumes an unfinished rotation.
   *
   * @param passphrase a sealed key's passphrase (the new key is sealed under it); ignored else
   * @param batchSize rows per batch
   * @param maxBatches stop after this many batches (0: no limit); a later run resumes
   * @param progress told one line per batch, for the operator
   * @throws CustodyException saying why the rotation was refused
   */
  public static RootKeyRotation rotate(
      Target target,
      char @Nullable [] passphrase,
      int batchSize,
      int maxBatches,
      Clock clock,
      Consumer<String> progress)
      throws IOException {
    Path data = target.data();
    RootKeyCustody.requireDataDirectory(data);
    try (DataDirectory dir = lock(data)) {
      Path keys = dir.path().resolve("keys");
      RootKeyPin pin = RootKeyCustody.knownPin(dir.path(), "a rotation");
      if (pin.mode() == Mode.HSM && target.hsm() == null) {
        throw new CustodyException(
            "the root key is "
                + pin.id()
                + " in a PKCS#11 HSM: give the token as the server has it (COFFRE_PKCS11_LIBRARY,"
                + " COFFRE_PKCS11_SLOT, COFFRE_PKCS11_PIN or _PIN_FILE, or --config with"
                + " root-key.pkcs11). Nothing was changed.");
      }
      if (pin.mode() != Mode.HSM) {
        RootKeySwitch.finishInterrupted(keys, pin);
      }
      String from = pin.id();
      boolean fresh = pin.retiredIds().isEmpty();
      // The metadata is opened (and checked) before anything changes: a refusal leaves the old key.
      try (MetadataStore metadata = RotationMetadata.open(dir.path(), target.metadata())) {
        RootKeyRing ring;
        if (pin.mode() == Mode.HSM) {
          HsmRotation.Opened opened =
              HsmRotation.open(keys, pin, target.hsm(), target.newLabel(), clock);
          pin = opened.pin();
          ring = opened.ring();
        } else {
          if (fresh) {
            pin = RootKeySwitch.switchKey(keys, pin, passphrase);
          }
          ring = RootKeySwitch.openRing(keys, pin, passphrase);
        }
        if (fresh) {
          RootKeyCustody.log(keys, "rotation from=" + from + " to=" + pin.id());
        }
        try (AuditLog audit = openAudit(dir.path(), keys, ring, clock)) {
          RootKeyPin current = pin;
          return pass(
              keys, current, ring, metadata, audit, fresh, batchSize, maxBatches, clock, progress);
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

  /** The re-wrap pass under {@code ring}, audited; the pin loses its retired keys at the end. */
  private static RootKeyRotation pass(
      Path keys,
      RootKeyPin pin,
      RootKeyRing ring,
      MetadataStore metadata,
      AuditLog audit,
      boolean fresh,
      int batchSize,
      int maxBatches,
      Clock clock,
      Consumer<String> progress)
      throws IOException, GeneralSecurityException {
    // Rows read by the pass carry sealed ETags: the ring opens the sealing key.
    metadata.sealValuesWith(new MetadataSealer(ring, metadata, clock));
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("keyId", pin.id());
    start.put("retired", pin.retiredIds());
    record(audit, clock, fresh ? "RootKeyRotationStarted" : "RootKeyRotationResumed", start);
    RootKeyRewrap rewrap =
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
    boolean done = rewrap.run(keys) && !rewrap.anyLeft();
    List<String> retired = pin.retiredIds();
    if (done) {
      pin.withoutRetired().write(keys);
      RootKeyCustody.log(keys, "rotation finished key=" + pin.id() + " retired=" + retired);
    }
    Map<String, Object> end = new LinkedHashMap<>();
    end.put("keyId", pin.id());
    end.put("retired", retired);
    end.put("rewrapped", rewrap.counts());
    end.put("finished", done);
    record(audit, clock, done ? "RootKeyRotationFinished" : "RootKeyRotationPaused", end);
    audit.checkpoint();
    return new RootKeyRotation(pin.id(), retired, fresh, rewrap.counts(), done);
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
