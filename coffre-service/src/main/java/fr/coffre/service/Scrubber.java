package fr.coffre.service;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ObjectRecord;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.placement.PlacementException;
import fr.coffre.policy.placement.SensitivityClass;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks every object's blobs and brings their copies back to what the bucket's class requires: a
 * missing copy (a deleted file, a lost volume) is recreated from a remaining one, only on a volume
 * the class allows. Copies on volumes the class forbids are reported, not moved (moving is a
 * migration the operator asks for). Each repair is recorded in the bucket's tenant's audit chain.
 */
public final class Scrubber {
  private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);

  private final MetadataStore metadata;
  private final BlobStore blobs;
  private final PlacementService placement;
  private final AuditService audit;
  private final Clock clock;
  private final CopyIntegrity integrity;

  /** What one pass found and did. */
  public record Result(long blobs, long repaired, long unrepairable, List<String> problems) {}

  /**
   * @param crypto decrypts each copy to check its integrity (GCM tags); null checks presence only
   */
  public Scrubber(
      MetadataStore metadata,
      BlobStore blobs,
      PlacementService placement,
      AuditService audit,
      Clock clock,
      ObjectCrypto crypto) {
    this.integrity = new CopyIntegrity(blobs, crypto);
    this.metadata = metadata;
    this.blobs = blobs;
    this.placement = placement;
    this.audit = audit;
    this.clock = clock;
  }

  private Supplier<List<String>> awaited = List::of;

  /**
   * In a cluster: the nodes that are registered but not reporting (they may come back with their
   * copies). While any is, copies that are merely missing are reported, not recreated elsewhere;
   * corrupt copies and copies out of class are still handled. A node the operator removes is lost,
   * and its copies are recreated at the next pass.
   */
  public Scrubber awaiting(Supplier<List<String>> downNodes) {
    this.awaited = downNodes;
    return this;
  }

  /** The lock a reclassification shares, so that the two never move a bucket's data at once. */
  public Object lock() {
    return this;
  }

  /** The last pass that ended: when it ran and what it found. */
  public record LastRun(Instant started, Instant finished, Result result) {}

  private volatile LastRun last;
  private volatile Instant runningSince;

  /** The last pass that ended, or null before the first. */
  public LastRun last() {
    return last;
  }

  /** When the pass under way started, or null when none runs. */
  public Instant runningSince() {
    return runningSince;
  }

  /** One pass over every bucket. */
  public synchronized Result scrub() {
    Instant started = clock.instant();
    runningSince = started;
    try {
      Result result = pass();
      last = new LastRun(started, clock.instant(), result);
      return result;
    } finally {
      runningSince = null;
    }
  }

  private Result pass() {
    long checked = 0;
    long repaired = 0;
    long unrepairable = 0;
    List<String> problems = new ArrayList<>();
    for (BucketRecord b : metadata.buckets()) {
      SensitivityClass c;
      try {
        c = placement.classes().get(b.sensitivityClass());
      } catch (IllegalArgumentException e) {
        problems.add(
            "bucket " + b.name().value() + ": class '" + b.sensitivityClass() + "' is not defined");
        continue;
      }
      long[] counts = new long[3];
      try {
        ObjectWalk.each(
            metadata,
            b.name(),
            o -> {
              try (DataKey key = integrity.dataKey(o)) {
                for (BlobSlice slice : o.blobs()) {
                  counts[0]++;
                  switch (repair(b, c, o, slice, key, problems)) {
                    case REPAIRED -> counts[1]++;
                    case UNREPAIRABLE -> counts[2]++;
                    case FINE -> {}
                  }
                }
              }
              return true;
            });
      } catch (IOException e) {
        problems.add("bucket " + b.name().value() + ": listing failed: " + e);
      }
      checked += counts[0];
      repaired += counts[1];
      unrepairable += counts[2];
    }
    if (repaired > 0 || unrepairable > 0) {
      LOG.warn(
          "scrub: {} blobs checked, {} repaired, {} could not be repaired",
          checked,
          repaired,
          unrepairable);
    } else {
      LOG.info("scrub: {} blobs checked, every copy in place", checked);
    }
    return new Result(checked, repaired, unrepairable, problems);
  }

  private enum Outcome {
    FINE,
    REPAIRED,
    UNREPAIRABLE
  }

  private Outcome repair(
      BucketRecord b,
      SensitivityClass c,
      ObjectRecord o,
      BlobSlice slice,
      DataKey key,
      List<String> problems) {
    String what =
        "bucket " + b.name().value() + " key " + o.key().value() + " blob " + slice.blob().value();
    try {
      List<String> copies = new ArrayList<>(blobs.volumesOf(slice.blob()));
      List<String> corrupt = new ArrayList<>();
      if (key != null) {
        for (String v : copies) {
          if (!integrity.intact(key, slice.blob(), v)) {
            corrupt.add(v);
          }
        }
        if (!corrupt.isEmpty() && corrupt.size() == copies.size()) {
          problems.add(what + ": every copy fails the integrity check " + corrupt);
          LOG.error("scrub: {}: every copy fails the integrity check {}", what, corrupt);
          return Outcome.UNREPAIRABLE;
        }
        for (String v : corrupt) {
          // A good copy remains: the corrupt one goes, and is recreated below like a missing one.
          blobs.delete(slice.blob(), v);
          copies.remove(v);
        }
      }
      List<String> wrong = new ArrayList<>(placement.check(c.name(), copies));
      corrupt.forEach(v -> wrong.add(0, "copy on " + v + " fails the integrity check"));
      if (wrong.isEmpty()) {
        return Outcome.FINE;
      }
      if (copies.isEmpty()) {
        problems.add(what + ": no copy left on any volume");
        LOG.error("scrub: {}: no copy left on any volume", what);
        return Outcome.UNREPAIRABLE;
      }
      List<String> down = awaited.get();
      if (!down.isEmpty()
          && corrupt.isEmpty()
          && allowedOnly(c.name(), copies).size() == copies.size()) {
        problems.add(
            what
                + ": "
                + wrong
                + "; not recreated while node(s) "
                + down
                + " may come back with the copies (remove a lost node to have them recreated)");
        LOG.info("scrub: {}: {}; waiting for nodes {}", what, wrong, down);
        return Outcome.UNREPAIRABLE;
      }
      List<String> target = placement.keeping(c, copies, slice.size(), slice.blob());
      // With a key the remaining copies were just verified; without one (SSE-C) only identical
      // copies are trusted.
      String source = key != null ? copies.get(0) : integrity.source(null, slice.blob(), copies);
      if (source == null) {
        problems.add(what + ": its copies differ and cannot be checked without the customer's key");
        return Outcome.UNREPAIRABLE;
      }
      List<String> made = new ArrayList<>();
      for (String v : target) {
        if (!copies.contains(v)) {
          blobs.copy(slice.blob(), source, v);
          made.add(v);
        }
      }
      // Copies where the class forbids (the configuration changed under them): gone once the
      // allowed ones suffice.
      if (placement
          .check(c.name(), allowedOnly(c.name(), blobs.volumesOf(slice.blob())))
          .isEmpty()) {
        for (String v : blobs.volumesOf(slice.blob())) {
          if (!placement.allows(c.name(), v)) {
            blobs.delete(slice.blob(), v);
            made.add("removed from " + v);
          }
        }
      }
      List<String> still = placement.check(c.name(), blobs.volumesOf(slice.blob()));
      LOG.warn("scrub: {}: {}; copied from {} to {}", what, wrong, source, made);
      audit.recordFor(
          b.tenant(),
          new AuditEvent(
              clock.instant(),
              null,
              "server",
              AuditEvent.Actor.server(),
              null,
              false,
              "RepairCopies",
              b.name().value(),
              o.key().value(),
              null,
              200,
              null,
              0,
              0,
              "{\"blob\":\""
                  + slice.blob().value()
                  + "\",\"problems\":"
                  + json(wrong)
                  + ",\"from\":\""
                  + source
                  + "\",\"to\":"
                  + json(made)
                  + "}"));
      if (!still.isEmpty()) {
        problems.add(what + ": " + String.join("; ", still));
        return Outcome.UNREPAIRABLE;
      }
      return Outcome.REPAIRED;
    } catch (PlacementException e) {
      problems.add(what + ": cannot be repaired: " + e.getMessage());
      LOG.error("scrub: {}: cannot be repaired: {}", what, e.getMessage());
      return Outcome.UNREPAIRABLE;
    } catch (IOException | RuntimeException e) {
      problems.add(what + ": " + e);
      LOG.error("scrub: {}: {}", what, e.toString());
      return Outcome.UNREPAIRABLE;
    }
  }

  private List<String> allowedOnly(String sensitivityClass, List<String> volumes) {
    return volumes.stream().filter(v -> placement.allows(sensitivityClass, v)).toList();
  }

  /**
   * Copies that sit where their bucket's class forbids, named (at most {@code limit}); the check
   * made at start when the placement configuration changed.
   */
  public List<String> outOfClass(int limit) {
    List<String> out = new ArrayList<>();
    try {
      for (BucketRecord b : metadata.buckets()) {
        ObjectWalk.each(
            metadata,
            b.name(),
            o -> {
              for (BlobSlice slice : o.blobs()) {
                for (String v : blobs.volumesOf(slice.blob())) {
                  if (!placementAllows(b.sensitivityClass(), v) && out.size() < limit) {
                    out.add(
                        b.name().value()
                            + "/"
                            + o.key().value()
                            + ": copy on volume "
                            + v
                            + " ("
                            + placement
                                .topology()
                                .locationOf(v)
                                .map(l -> "site " + l.site())
                                .orElse("no site")
                            + ") is not allowed by class '"
                            + b.sensitivityClass()
                            + "'");
                  }
                }
              }
              return out.size() < limit;
            });
        if (out.size() >= limit) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private boolean placementAllows(String sensitivityClass, String volume) {
    try {
      return placement.allows(sensitivityClass, volume);
    } catch (RuntimeException e) {
      return false; // a class no longer defined allows nothing
    }
  }

  private static String json(List<String> values) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(values);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
