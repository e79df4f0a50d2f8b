package fr.coffre.server;

import fr.coffre.core.BucketRecord;
import fr.coffre.policy.placement.Jurisdiction;
import fr.coffre.policy.placement.Location;
import fr.coffre.policy.placement.LocationRule;
import fr.coffre.policy.placement.Qualifications;
import fr.coffre.policy.placement.SensitivityClass;
import fr.coffre.policy.placement.SensitivityClasses;
import fr.coffre.policy.placement.Topology;
import fr.coffre.service.PlacementService;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.PlacedBlobStore;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code placement} configuration turned into the placement model: the topology (sites and
 * their volumes), the classes in force (defaults plus the operator's), the default class, and the
 * directory of each volume. Without locations, one undeclared site {@code local} with the volume
 * {@code default} in {@code DATA/volume}, as before placement existed.
 */
record Placements(
    Topology topology,
    SensitivityClasses classes,
    String defaultClass,
    Map<String, Path> volumes,
    Duration scrubInterval) {
  static final String DEFAULT_VOLUME = "default";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Placements.class);

  /** Reads the section; IllegalArgumentException names the key at fault ({@code placement.…}). */
  static Placements of(ConfigFile.Placement p, Path dataDir) {
    return of(p, dataDir, null);
  }

  /**
   * Reads the section for node {@code self} of a cluster (null: a single server). In a cluster
   * every volume names its node; {@link #volumes} holds this node's own, and the topology knows
   * each volume's node, so that no two copies share one.
   */
  static Placements of(ConfigFile.Placement p, Path dataDir, @Nullable String self) {
    try {
      return build(p, dataDir, self);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("placement: " + e.getMessage(), e);
    }
  }

  private static Placements build(ConfigFile.Placement p, Path dataDir, @Nullable String self) {
    Qualifications qualifications =
        Qualifications.with(
            p.customQualifications() == null ? List.of() : p.customQualifications());
    Map<String, Path> volumes = new LinkedHashMap<>();
    Map<String, String> nodes = new LinkedHashMap<>();
    List<Location> locations = new ArrayList<>();
    if (self != null && (p.locations() == null || p.locations().isEmpty())) {
      throw new IllegalArgumentException(
          "a node of a cluster needs placement.locations, each volume naming its node"
              + " (docs/cluster.md)");
    }
    if (p.locations() == null || p.locations().isEmpty()) {
      volumes.put(DEFAULT_VOLUME, dataDir.resolve("volume"));
      locations.add(new Location("local", null, null, null, Set.of(), List.of(DEFAULT_VOLUME)));
    } else {
      Set<Path> paths = new HashSet<>();
      for (ConfigFile.Location l : p.locations()) {
        if (l.qualifications() != null) {
          qualifications.require(l.qualifications(), "site '" + l.site() + "'");
        }
        List<String> names = new ArrayList<>();
        if (l.volumes() == null || l.volumes().isEmpty()) {
          throw new IllegalArgumentException("site '" + l.site() + "': needs at least one volume");
        }
        for (ConfigFile.Volume v : l.volumes()) {
          if (v.name() == null || !v.name().matches("[a-z0-9][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException(
                "site '"
                    + l.site()
                    + "': volume name '"
                    + v.name()
                    + "' must be 1 to 32 lower-case letters, digits or '-'");
          }
          if (self == null && v.node() != null) {
            throw new IllegalArgumentException(
                "volume '"
                    + v.name()
                    + "' names node '"
                    + v.node()
                    + "', but this server is not a node of a cluster (--node-name,"
                    + " docs/cluster.md)");
          }
          if (self != null && (v.node() == null || v.node().isBlank())) {
            throw new IllegalArgumentException(
                "volume '" + v.name() + "': in a cluster each volume names its node (node: NAME)");
          }
          if (nodes.containsKey(v.name()) || volumes.containsKey(v.name())) {
            throw new IllegalArgumentException("volume name '" + v.name() + "' is used twice");
          }
          names.add(v.name());
          if (self != null) {
            nodes.put(v.name(), v.node());
            if (!v.node().equals(self)) {
              continue; // another node's volume: it has the path
            }
          }
          if (v.path() == null || v.path().isBlank()) {
            throw new IllegalArgumentException("volume '" + v.name() + "': path is required");
          }
          Path path = dataDir.resolve(v.path()).toAbsolutePath().normalize();
          volumes.put(v.name(), path);
          if (!paths.add(path)) {
            throw new IllegalArgumentException(
                "volume '" + v.name() + "': path " + path + " is used by another volume");
          }
        }
        locations.add(
            new Location(
                l.site(),
                l.country() == null ? null : l.country().strip().toUpperCase(Locale.ROOT),
                jurisdiction(l),
                l.operator(),
                l.qualifications() == null ? Set.of() : lower(l.qualifications()),
                names));
      }
    }
    if (self != null && volumes.isEmpty()) {
      throw new IllegalArgumentException(
          "no volume names node '" + self + "': a node serves at least one volume");
    }
    Topology topology = new Topology(p.operator(), locations, nodes);
    if (self != null) {
      Set<String> sites = new TreeSet<>();
      volumes.keySet().forEach(v -> topology.locationOf(v).ifPresent(l -> sites.add(l.site())));
      if (sites.size() > 1) {
        throw new IllegalArgumentException(
            "node '" + self + "' has volumes on several sites " + sites + "; a node stands in one");
      }
    }
    SensitivityClasses classes = SensitivityClasses.defaults();
    if (p.classes() != null) {
      for (ConfigFile.SensitivityClass c : p.classes()) {
        if (c.qualifications() != null) {
          qualifications.require(c.qualifications(), "class '" + c.name() + "'");
        }
        classes = classes.with(sensitivityClass(c, classes));
      }
    }
    String defaultClass = p.defaultClass() == null ? BucketRecord.DEFAULT_CLASS : p.defaultClass();
    classes.get(defaultClass); // an unknown default class names the known ones
    Duration scrub =
        p.scrubInterval() == null
            ? Duration.ofHours(24)
            : Settings.parseDuration(p.scrubInterval());
    if (scrub.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("scrub-interval: must be at least 1s, not " + scrub);
    }
    return new Placements(topology, classes, defaultClass, volumes, scrub);
  }

  private static Jurisdiction jurisdiction(ConfigFile.Location l) {
    if (l.jurisdiction() == null) {
      return null;
    }
    return switch (l.jurisdiction().strip().toUpperCase(Locale.ROOT).replace('-', '_')) {
      case "EU" -> Jurisdiction.EU;
      case "NON_EU" -> Jurisdiction.NON_EU;
      default ->
          throw new IllegalArgumentException(
              "site '"
                  + l.site()
                  + "': jurisdiction '"
                  + l.jurisdiction()
                  + "' is not EU or non-EU");
    };
  }

  /**
   * An operator's class; without {@code sigv2} (or {@code public-access}) it keeps what the class
   * it replaces said, so that redefining {@code health}'s locations does not silently let Signature
   * Version 2 (or public buckets) in.
   */
  private static SensitivityClass sensitivityClass(
      ConfigFile.SensitivityClass c, SensitivityClasses known) {
    LocationRule rule =
        new LocationRule(
            c.countries() == null
                ? null
                : Set.copyOf(
                    c.countries().stream().map(x -> x.strip().toUpperCase(Locale.ROOT)).toList()),
            Boolean.TRUE.equals(c.eea()),
            Boolean.TRUE.equals(c.euJurisdiction()),
            c.qualifications() == null ? null : lower(c.qualifications()),
            Boolean.TRUE.equals(c.ownSitesOnly()));
    int copies = c.copies() == null ? 1 : c.copies();
    int sites = c.sites() == null ? 1 : c.sites();
    Set<String> keys = c.keyModes() == null ? SensitivityClass.KEY_MODES : Set.copyOf(c.keyModes());
    boolean sigv2 =
        c.sigv2() != null
            ? c.sigv2()
            : !known.names().contains(c.name()) || known.get(c.name()).sigv2();
    boolean publicAccess =
        c.publicAccess() != null
            ? c.publicAccess()
            : !known.names().contains(c.name()) || known.get(c.name()).publicAccess();
    return new SensitivityClass(c.name(), rule, copies, sites, keys, sigv2, publicAccess);
  }

  private static Set<String> lower(List<String> values) {
    Set<String> out = new HashSet<>();
    for (String v : values) {
      out.add(v.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /**
   * One blob store per configured volume. DATA/volume, where blobs lived before placement, must be
   * one of them while it holds blobs: objects are never silently left behind by a configuration.
   */
  PlacedBlobStore blobStore(Path data, Map<String, BlobStore> stores) throws IOException {
    Path legacy = data.resolve("volume").toAbsolutePath().normalize();
    if (!volumes.containsValue(legacy) && Files.isDirectory(legacy.resolve("blobs"))) {
      try (var files = Files.list(legacy.resolve("blobs"))) {
        if (files.findAny().isPresent()) {
          throw new IllegalStateException(
              "placement: "
                  + legacy
                  + " holds blobs but is not a configured volume;"
                  + " declare it (path: volume) in a location, so that its objects stay readable");
        }
      }
    }
    for (Map.Entry<String, Path> v : volumes.entrySet()) {
      LOG.info(
          "volume {} in {} (site {})",
          v.getKey(),
          v.getValue(),
          topology.locationOf(v.getKey()).map(l -> l.site()).orElse("?"));
    }
    return new PlacedBlobStore(stores);
  }

  /**
   * A volume's usable bytes, or null when its directory is gone (a lost volume: offline). The file
   * store is looked up once per volume (the lookup reads the mount table); its space is a statvfs.
   */
  Long freeBytes(String name) {
    Path volume = volumes.get(name);
    try {
      if (volume == null || !Files.isDirectory(volume.resolve("blobs"))) {
        return null;
      }
      FileStore store = STORES.get(volume);
      if (store == null) {
        store = Files.getFileStore(volume);
        STORES.put(volume, store);
      }
      return store.getUsableSpace();
    } catch (IOException e) {
      return null;
    }
  }

  private static final Map<Path, FileStore> STORES = new ConcurrentHashMap<>();

  /**
   * What the operator console shows of the placement ({@code GET /admin/v1/placement}): each
   * location with its volumes, whether each is online, and its capacity; and the classes.
   */
  Map<String, Object> status(List<PlacementService.ClassInfo> classes) {
    List<Map<String, Object>> locations = new ArrayList<>();
    for (Location l : topology.locations()) {
      List<Map<String, Object>> vols = new ArrayList<>();
      for (String v : l.volumes()) {
        Map<String, Object> m = new LinkedHashMap<>();
        Long free = freeBytes(v);
        m.put("name", v);
        m.put("online", free != null);
        m.put("freeBytes", free);
        m.put("totalBytes", free == null ? null : totalBytes(v));
        vols.add(m);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("site", l.site());
      m.put("country", l.country());
      m.put("jurisdiction", l.jurisdiction() == null ? null : l.jurisdiction().toString());
      m.put("operator", l.operator());
      m.put("qualifications", new TreeSet<>(l.qualifications()));
      m.put("volumes", vols);
      locations.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("operator", topology.operator());
    out.put("defaultClass", defaultClass());
    out.put("locations", locations);
    out.put("classes", classes);
    return out;
  }

  private Long totalBytes(String name) {
    FileStore store = STORES.get(volumes.get(name));
    try {
      return store == null ? null : store.getTotalSpace();
    } catch (IOException e) {
      return null;
    }
  }
}
