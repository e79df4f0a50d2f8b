package fr.coffre.service;

import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.PlacementRefusedException;
import fr.coffre.core.PlacementRefusedException.Reason;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.placement.Placement;
import fr.coffre.policy.placement.PlacementException;
import fr.coffre.policy.placement.SensitivityClass;
import fr.coffre.policy.placement.SensitivityClasses;
import fr.coffre.policy.placement.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Places each new blob by its bucket's sensitivity class (docs/placement.md): only on volumes the
 * class allows, as many copies on as many sites as it requires, and only when it accepts the
 * server's root-key mode. Fails closed: a refusal names what is missing, and nothing is written.
 */
public final class PlacementService implements Placer {
  private final MetadataStore metadata;
  private final Topology topology;
  private final SensitivityClasses classes;
  private final String defaultClass;
  private final String keyMode;
  private final Function<String, Long> freeBytes;

  /**
   * @param keyMode the root key's mode: {@code file}, {@code sealed} or {@code hsm}
   * @param freeBytes the bytes a write may still use on a volume (what is left above its free-space
   *     reserve; 0 when it is full or read-only), or null when it is offline
   */
  public PlacementService(
      MetadataStore metadata,
      Topology topology,
      SensitivityClasses classes,
      String defaultClass,
      String keyMode,
      Function<String, Long> freeBytes) {
    this.metadata = metadata;
    this.topology = topology;
    this.classes = classes;
    this.defaultClass = defaultClass;
    this.keyMode = keyMode;
    this.freeBytes = freeBytes;
    sensitivityClass(defaultClass);
  }

  public Topology topology() {
    return topology;
  }

  @Override
  public List<String> classNames() {
    return classes.names();
  }

  public SensitivityClasses classes() {
    return classes;
  }

  public String defaultClass() {
    return defaultClass;
  }

  /** What a sensitivity class requires, for the consoles. */
  public record ClassInfo(
      String name, int minCopies, int minSites, List<String> keyModes, boolean usable) {}

  /**
   * Every class, in order, and whether this server can place data in it (a class whose key modes
   * exclude the root key's mode, or whose rule no declared volume meets, is not usable).
   */
  public List<ClassInfo> classInfos() {
    List<ClassInfo> out = new ArrayList<>();
    for (String name : classes.names()) {
      SensitivityClass c = classes.get(name);
      boolean usable;
      try {
        requireKeyMode(c, null);
        usable = topology.volumes().stream().anyMatch(v -> allows(name, v));
      } catch (RuntimeException e) {
        usable = false;
      }
      out.add(
          new ClassInfo(
              name, c.minCopies(), c.minSites(), List.copyOf(new TreeSet<>(c.keyModes())), usable));
    }
    return out;
  }

  private volatile ServiceObserver observer = ServiceObserver.NONE;

  /** Tells {@code observer} of every placement refusal. */
  public PlacementService observedBy(ServiceObserver observer) {
    this.observer = observer;
    return this;
  }

  private PlacementRefusedException refused(PlacementRefusedException e) {
    observer.placementRefused(e.reason().name());
    return e;
  }

  @Override
  public String classFor(String requested) {
    SensitivityClass c = sensitivityClass(requested == null ? defaultClass : requested);
    requireKeyMode(c, null);
    String never = neverSatisfiable(c);
    if (never != null) {
      throw refused(
          new PlacementRefusedException(
              Reason.NEVER_SATISFIABLE,
              "class '"
                  + c.name()
                  + "' cannot be placed on"
                  + " this server's volumes ("
                  + never
                  + "); the operator must add volumes or sites (docs/placement.md)"));
    }
    return c.name();
  }

  /**
   * Why no placement could ever satisfy {@code c} here, even with every volume empty; null if one
   * can.
   */
  private String neverSatisfiable(SensitivityClass c) {
    Map<String, Long> unlimited = new HashMap<>();
    topology.volumes().forEach(v -> unlimited.put(v, Long.MAX_VALUE));
    try {
      Placement.choose(c, topology, unlimited, 0, "probe");
      return null;
    } catch (PlacementException e) {
      return e.getMessage();
    }
  }

  @Override
  public List<String> place(BucketName bucket, long sizeHint, BlobId id) {
    BucketRecord b =
        metadata.bucket(bucket).orElseThrow(() -> new NoSuchBucketException(bucket.value()));
    SensitivityClass c;
    try {
      c = classes.get(b.sensitivityClass());
    } catch (IllegalArgumentException e) {
      throw refused(
          new PlacementRefusedException(
              Reason.UNSATISFIABLE,
              "bucket "
                  + bucket.value()
                  + " has class '"
                  + b.sensitivityClass()
                  + "', which this server no longer defines; nothing is written"));
    }
    requireKeyMode(c, bucket);
    Map<String, Long> free = new HashMap<>();
    for (String v : topology.volumes()) {
      Long f = freeBytes.apply(v);
      if (f != null) {
        free.put(v, f);
      }
    }
    try {
      // Every blob takes at least a byte (its header): a volume with nothing left above its
      // reserve takes none, even of unknown size.
      return Placement.choose(c, topology, free, Math.max(1, sizeHint), id.value());
    } catch (PlacementException e) {
      // Tell a configuration that never fits from full volumes and from a passing shortage (a
      // volume down).
      if (neverSatisfiable(c) != null) {
        throw refused(
            new PlacementRefusedException(
                Reason.NEVER_SATISFIABLE,
                "bucket " + bucket.value() + ": " + e.getMessage() + "; nothing is written"));
      }
      if (fitsWithSpace(c, free)) {
        throw refused(
            new PlacementRefusedException(
                Reason.FULL,
                "bucket "
                    + bucket.value()
                    + ": the volumes its class allows are full (under their free-space reserve) or"
                    + " read-only; writes are refused until space is freed, reads and deletes are"
                    + " served; nothing is written"));
      }
      throw refused(
          new PlacementRefusedException(
              Reason.UNSATISFIABLE,
              "bucket " + bucket.value() + ": " + e.getMessage() + "; nothing is written"));
    }
  }

  /** Whether the online volumes could place {@code c} if they had room: only space is short. */
  private boolean fitsWithSpace(SensitivityClass c, Map<String, Long> free) {
    Map<String, Long> roomy = new HashMap<>();
    free.keySet().forEach(v -> roomy.put(v, Long.MAX_VALUE));
    try {
      Placement.choose(c, topology, roomy, 0, "probe");
      return true;
    } catch (PlacementException e) {
      return false;
    }
  }

  /**
   * A full placement for an existing blob that keeps the copies already in place (they count as the
   * emptiest volumes), for repairs and migrations; {@link PlacementException} when none exists.
   */
  public List<String> keeping(SensitivityClass c, List<String> copies, long size, BlobId id) {
    Map<String, Long> free = new HashMap<>();
    for (String v : topology.volumes()) {
      Long f = freeBytes.apply(v);
      if (f != null) {
        free.put(v, copies.contains(v) ? Long.MAX_VALUE : f);
      }
    }
    return Placement.choose(c, topology, free, size, id.value());
  }

  /** Whether class {@code sensitivityClass} allows a copy on {@code volume}. */
  public boolean allows(String sensitivityClass, String volume) {
    SensitivityClass c = sensitivityClass(sensitivityClass);
    return topology.locationOf(volume).map(l -> c.whyNot(l, topology) == null).orElse(false);
  }

  /** A class this server does not define accepts nothing weaker than it must: fails closed. */
  @Override
  public boolean acceptsSigV2(String sensitivityClass) {
    return classes.names().contains(sensitivityClass) && classes.get(sensitivityClass).sigv2();
  }

  /** A class this server does not define cannot be made public either: fails closed. */
  @Override
  public boolean acceptsPublicAccess(String sensitivityClass) {
    return classes.names().contains(sensitivityClass)
        && classes.get(sensitivityClass).publicAccess();
  }

  /** What is wrong with a blob's copies for its bucket's class; empty when it complies. */
  public List<String> check(String sensitivityClass, List<String> copies) {
    return Placement.check(sensitivityClass(sensitivityClass), topology, copies);
  }

  private SensitivityClass sensitivityClass(String name) {
    try {
      return classes.get(name);
    } catch (IllegalArgumentException e) {
      throw refused(new PlacementRefusedException(Reason.UNKNOWN_CLASS, e.getMessage()));
    }
  }

  private void requireKeyMode(SensitivityClass c, BucketName bucket) {
    if (!c.acceptsKeyMode(keyMode)) {
      throw refused(
          new PlacementRefusedException(
              Reason.KEY_MODE,
              (bucket == null ? "" : "bucket " + bucket.value() + ": ")
                  + "class '"
                  + c.name()
                  + "' accepts the root-key modes "
                  + c.keyModes()
                  + ", and this server's root key is '"
                  + keyMode
                  + "'"));
    }
  }
}
