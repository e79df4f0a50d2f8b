package fr.coffre.server;

import fr.coffre.policy.placement.Location;
import fr.coffre.policy.placement.SensitivityClass;
import fr.coffre.service.Scrubber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards against configuration changes that would put existing data out of policy (a site losing a
 * qualification, changing country, a class made stricter): the placement in force is kept in {@code
 * DATA/placement.state}; when it differs at start, every copy is checked against its bucket's
 * class, and copies now forbidden stop the start — unless the operator accepts it ({@code
 * placement.accept-out-of-policy: true}), in which case they are logged, named by the residency
 * report, and moved by the scrubber to allowed volumes.
 */
final class PlacementChanges {
  private static final Logger LOG = LoggerFactory.getLogger(PlacementChanges.class);
  private static final String FILE = "placement.state";

  private PlacementChanges() {}

  static void check(Path data, Placements placements, Scrubber scrubber, boolean accept)
      throws IOException {
    Path file = data.resolve(FILE);
    String now = describe(placements);
    String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    if (before != null && !before.equals(now)) {
      List<String> out = scrubber.outOfClass(20);
      if (!out.isEmpty()) {
        String message =
            "placement: the configuration changed and puts existing data where its class forbids: "
                + String.join("; ", out)
                + (out.size() == 20 ? "; ..." : "");
        if (!accept) {
          throw new IllegalStateException(
              message
                  + ". Revert the change, or move the data first; to start anyway"
                  + " (the scrubber then moves these copies to allowed volumes) set placement.accept-out-of-policy: true");
        }
        LOG.error(
            "{} (accepted by placement.accept-out-of-policy; the scrubber moves them)", message);
      } else {
        LOG.info(
            "placement configuration changed; every copy still complies with its bucket's class");
      }
    }
    if (!now.equals(before)) {
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.writeString(tmp, now, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A stable text of what placement decisions depend on: sites, volumes and classes. */
  static String describe(Placements p) {
    StringBuilder b = new StringBuilder("operator=").append(p.topology().operator()).append('\n');
    for (Location l : p.topology().locations()) {
      b.append("site=")
          .append(l.site())
          .append(" country=")
          .append(l.country())
          .append(" jurisdiction=")
          .append(l.jurisdiction())
          .append(" operator=")
          .append(l.operator())
          .append(" qualifications=")
          .append(new TreeSet<>(l.qualifications()))
          .append(" volumes=")
          .append(l.volumes())
          .append('\n');
    }
    for (String name : p.classes().names()) {
      SensitivityClass c = p.classes().get(name);
      var r = c.rule();
      b.append("class=")
          .append(name)
          .append(" countries=")
          .append(r.countries() == null ? "any" : new TreeSet<>(r.countries()))
          .append(" eea=")
          .append(r.eea())
          .append(" eu=")
          .append(r.euJurisdiction())
          .append(" qualifications=")
          .append(r.qualifications() == null ? "[]" : new TreeSet<>(r.qualifications()))
          .append(" own=")
          .append(r.ownSitesOnly())
          .append(" copies=")
          .append(c.minCopies())
          .append(" sites=")
          .append(c.minSites())
          .append(" keys=")
          .append(new TreeSet<>(c.keyModes()))
          .append('\n');
    }
    return b.toString();
  }
}
