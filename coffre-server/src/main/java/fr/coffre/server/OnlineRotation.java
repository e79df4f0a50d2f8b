package fr.coffre.server;

import fr.coffre.admin.RootKeyRotationControl;
import fr.coffre.audit.AuditLog;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.RootKeyRing;
import fr.coffre.metadata.MetadataStore;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root key rotation of a running server ({@code POST /admin/v1/root-key/rotate}): the same
 * steps as {@link RootKeyRotation}, in the process that holds the data directory. The new key is
 * put in place and the pin committed as offline; then the server's {@link
 * fr.coffre.crypto.SwitchableRootKey} switches to the ring of both keys, so every request from then
 * on wraps under the new key while the old one still unwraps; a background job runs the re-wrap
 * pass while reads and writes go on.
 *
 * <p>Why it waits before dropping the old key: a PUT that began before the switch holds a data key
 * wrapped under the old key and commits its row when its body has arrived, maybe after the pass has
 * listed everything. So once nothing is left, the job waits {@code settleSeconds}, passes again,
 * and drops the old key from the pin (and from the server's ring) only after a pass that found
 * nothing more.
 *
 * <p>Refused: on a node of a cluster (every node would need the new key at once), and for a
 * passphrase-sealed key (rotated offline, where the passphrase is given).
 */
final class OnlineRotation implements RootKeyRotationControl {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineRotation.class);
  private static final int MAX_SETTLES = 10;

  private final RootKeys keys;
  private final ServerConfig.@Nullable Hsm hsm;
  private final boolean cluster;
  private final MetadataStore metadata;
  private final AuditLog audit;
  private final Clock clock;
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final Map<String, Object> state = new LinkedHashMap<>();
  private @Nullable Thread job;

  /**
   * Counted down when the server stops: the job stops after its batch, never interrupted (an
   * interrupt would close the file channels of the audit log or the metadata under it).
   */
  private final CountDownLatch stopping = new CountDownLatch(1);

  /** Thrown from a batch's report when the server stops; the pass resumes at the next start. */
  private static final class Stopping extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopping() {
      super("the server stops; start the rotation again to resume it", null, false, false);
    }
  }

  OnlineRotation(
      RootKeys keys,
      ServerConfig.@Nullable Hsm hsm,
      boolean cluster,
      MetadataStore metadata,
      AuditLog audit,
      Clock clock) {
    this.keys = keys;
    this.hsm = hsm;
    this.cluster = cluster;
    this.metadata = metadata;
    this.audit = audit;
    this.clock = clock;
    state.put("state", "idle");
  }

  @Override
  public synchronized Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>(state);
    out.put("rewrapped", Map.copyOf(counts));
    out.put("keyId", keys.pin().id());
    out.put("retired", keys.pin().retiredIds());
    return out;
  }

  @Override
  public synchronized Map<String, Object> start(
      @Nullable String newLabel, int batchSize, int settleSeconds, String by) {
    if (stopping.getCount() == 0) {
      throw new Refused("the server is stopping");
    }
    if (job != null && job.isAlive()) {
      throw new Refused(
          "a root key rotation is running already: follow it with GET /admin/v1/root-key/rotation"
              + " (coffre admin root-key status)");
    }
    if (cluster) {
      throw new Refused(
          "this server is a node of a cluster: every node would need the new root key at once,"
              + " which an online rotation does not do yet (docs/key-custody.md). Nothing was"
              + " changed.");
    }
    RootKeyPin pin = keys.pin();
    if (!pin.knowsKey()) {
      throw new Refused("no root key is recorded yet: there is nothing to rotate");
    }
    if (keys.mode() == Mode.SEALED) {
      throw new Refused(
          "a passphrase-sealed root key is rotated offline, where its passphrase is given: stop the"
              + " server, run `coffre root-key rotate --data DIR --passphrase-file FILE`, start it"
              + " and unseal it. Nothing was changed.");
    }
    Path keysDir = keys.keysDir();
    boolean fresh = pin.retiredIds().isEmpty();
    RootKeyRing ring;
    RootKeyPin now;
    try {
      if (keys.mode() == Mode.HSM) {
        if (hsm == null) {
          throw new Refused("this server has no HSM settings");
        }
        HsmRotation.Opened opened = HsmRotation.open(keysDir, pin, hsm, newLabel, clock);
        now = opened.pin();
        ring = opened.ring();
      } else {
        if (newLabel != null) {
          throw new Refused("newLabel is for a root key in an HSM; this one is " + pin.id());
        }
        now = fresh ? RootKeySwitch.switchKey(keysDir, pin, null) : pin;
        ring = RootKeySwitch.openRing(keysDir, now, null);
      }
    } catch (CustodyException | IllegalStateException e) {
      throw new Refused(String.valueOf(e.getMessage()));
    } catch (IOException | GeneralSecurityException e) {
      throw new Refused("the new root key could not be made: " + e.getMessage());
    }
    keys.pinned(now);
    keys.key().switchTo(ring);
    counts.clear();
    state.clear();
    state.put("state", "running");
    state.put("by", by);
    state.put("startedAt", clock.instant().toString());
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("keyId", now.id());
    start.put("retired", now.retiredIds());
    start.put("online", true);
    start.put("by", by);
    RootKeyRotation.record(
        audit, clock, fresh ? "RootKeyRotationStarted" : "RootKeyRotationResumed", start);
    try {
      RootKeyCustody.log(
          keysDir,
          (fresh ? "online rotation from=" + pin.id() + " to=" : "online rotation resumed key=")
              + now.id()
              + " by="
              + by);
    } catch (IOException e) {
      LOG.warn("could not write the custody log: {}", e.getMessage());
    }
    LOG.info("root key rotation to {} started by {}; old keys {}", now.id(), by, now.retiredIds());
    RootKeyPin committed = now;
    job =
        Thread.ofVirtual()
            .name("root-key-rotation")
            .uncaughtExceptionHandler(
                (t, e) -> LOG.error("root key rotation failed unexpectedly", e))
            .start(() -> run(committed, ring, batchSize, settleSeconds));
    return status();
  }

  private void run(RootKeyPin pin, RootKeyRing ring, int batchSize, int settleSeconds) {
    Path keysDir = keys.keysDir();
    try {
      pass(keysDir, ring, batchSize);
      for (int settles = 0; ; settles++) {
        setState("settling");
        if (stopping.await(settleSeconds, TimeUnit.SECONDS)) {
          throw new Stopping();
        }
        setState("running");
        int before = total();
        pass(keysDir, ring, batchSize);
        if (total() == before) {
          break; // nothing came in under the old key while it settled
        }
        if (settles >= MAX_SETTLES) {
          throw new IllegalStateException(
              "rows under the old key keep arriving after "
                  + MAX_SETTLES
                  + " waits; start the rotation again to resume it");
        }
      }
      RootKeyPin done = pin.withoutRetired();
      done.write(keysDir);
      keys.pinned(done);
      keys.key().switchTo(ring.current());
      RootKeyCustody.log(
          keysDir, "online rotation finished key=" + pin.id() + " retired=" + pin.retiredIds());
      Map<String, Object> end = new LinkedHashMap<>();
      end.put("keyId", pin.id());
      end.put("retired", pin.retiredIds());
      end.put("rewrapped", snapshot());
      end.put("finished", true);
      end.put("online", true);
      RootKeyRotation.record(audit, clock, "RootKeyRotationFinished", end);
      finish("finished", null);
      LOG.info("root key rotation to {} finished: {}", pin.id(), snapshot());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      paused(pin, "interrupted; start the rotation again to resume it");
    } catch (Stopping e) {
      LOG.info("root key rotation to {} paused: the server stops", pin.id());
      paused(pin, String.valueOf(e.getMessage()));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.error("root key rotation to {} stopped", pin.id(), e);
      paused(pin, String.valueOf(e.getMessage()));
    }
  }

  private void pass(Path keysDir, RootKeyRing ring, int batchSize)
      throws IOException, GeneralSecurityException {
    RootKeyRewrap rewrap =
        new RootKeyRewrap(
            metadata,
            ring,
            keys.key(),
            true,
            batchSize,
            0,
            (what, n) -> {
              if (stopping.getCount() == 0) {
                throw new Stopping();
              }
              synchronized (this) {
                counts.merge(what, n, Integer::sum);
              }
              Map<String, Object> d = new LinkedHashMap<>();
              d.put("keyId", ring.id());
              d.put("what", what);
              d.put("rewrapped", n);
              RootKeyRotation.record(audit, clock, "RootKeyRewrapBatch", d);
            });
    rewrap.run(keysDir);
    if (rewrap.anyLeft()) {
      rewrap.run(keysDir);
    }
  }

  private void paused(RootKeyPin pin, String error) {
    Map<String, Object> end = new LinkedHashMap<>();
    end.put("keyId", pin.id());
    end.put("retired", pin.retiredIds());
    end.put("rewrapped", snapshot());
    end.put("finished", false);
    end.put("online", true);
    end.put("error", error);
    try {
      RootKeyRotation.record(audit, clock, "RootKeyRotationPaused", end);
    } catch (RuntimeException e) {
      LOG.warn("could not record the rotation's pause: {}", e.getMessage());
    }
    finish("paused", error);
  }

  private synchronized void setState(String s) {
    state.put("state", s);
  }

  private synchronized void finish(String s, @Nullable String error) {
    state.put("state", s);
    state.put("endedAt", clock.instant().toString());
    if (error != null) {
      state.put("error", error);
    }
  }

  private synchronized int total() {
    return counts.entrySet().stream()
        .filter(e -> List.of("objects", "uploads", "kmsKeyVersions").contains(e.getKey()))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  private synchronized Map<String, Integer> snapshot() {
    return Map.copyOf(counts);
  }

  /**
   * Stops the job after its current batch and waits for it (the server stops); a later start
   * resumes the pass from the pin.
   */
  void close() throws InterruptedException {
    stopping.countDown();
    Thread running;
    synchronized (this) {
      running = job;
    }
    if (running != null) {
      running.join(java.time.Duration.ofSeconds(30));
    }
  }
}
