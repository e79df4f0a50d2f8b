package fr.coffre.server;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import fr.coffre.policy.placement.Jurisdiction;
import fr.coffre.policy.placement.Location;
import fr.coffre.policy.placement.SensitivityClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where the operator says a backup goes, judged like a storage location: a backup holds every
 * bucket's metadata (object names, sizes, wrapped keys), so it may only go where every bucket's
 * sensitivity class would let that bucket's data go. Either a configured site ({@code --site}: its
 * declared country, jurisdiction, operator and qualifications) or attributes declared for the
 * occasion ({@code --country}, {@code --jurisdiction}, {@code --operator}, {@code
 * --qualification}); an attribute left undeclared fails every rule that needs it, as for a site.
 *
 * @param site the configured site named, or null for declared attributes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupDestination(
    @Nullable String site,
    @Nullable String country,
    @Nullable String jurisdiction,
    @Nullable String operator,
    List<String> qualifications) {

  public BackupDestination {
    qualifications = qualifications == null ? List.of() : List.copyOf(qualifications);
  }

  /** A destination declared by its attributes (no configured site). */
  public static BackupDestination declared(
      @Nullable String country,
      @Nullable String jurisdiction,
      @Nullable String operator,
      List<String> qualifications) {
    return new BackupDestination(null, country, jurisdiction, operator, qualifications);
  }

  /** A configured site, whose attributes are read from the placement configuration. */
  public static BackupDestination site(String site) {
    return new BackupDestination(site, null, null, null, List.of());
  }

  /** Whether nothing was declared: the operator must say where the backup goes. */
  @JsonIgnore
  boolean empty() {
    return site == null && country == null && jurisdiction == null && operator == null;
  }

  /**
   * This destination as a location of {@code placements}' topology, with the configured site's
   * attributes; IllegalArgumentException names what is wrong (an unknown site, both forms given).
   */
  BackupDestination resolve(Placements placements) {
    if (empty()) {
      throw new IllegalArgumentException(
          "say where this backup goes, so that it is checked against the buckets' sensitivity"
              + " classes: --site NAME (a configured site: "
              + siteNames(placements)
              + "), or --country CC and --jurisdiction EU|non-EU (with --operator,"
              + " --qualification as they apply)");
    }
    if (site == null) {
      Location l = location(placements);
      return new BackupDestination(
          null,
          l.country(),
          l.jurisdiction() == null ? null : l.jurisdiction().name(),
          l.operator(),
          List.copyOf(new TreeSet<>(l.qualifications())));
    }
    if (country != null || jurisdiction != null || operator != null || !qualifications.isEmpty()) {
      throw new IllegalArgumentException(
          "give --site, or the destination's attributes (--country, --jurisdiction, ...), not both");
    }
    Location l =
        placements.topology().locations().stream()
            .filter(x -> x.site().equals(site))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--site "
                            + site
                            + ": no such site in the placement configuration (sites: "
                            + siteNames(placements)
                            + ")"));
    return new BackupDestination(
        site,
        l.country(),
        l.jurisdiction() == null ? null : l.jurisdiction().name(),
        l.operator(),
        List.copyOf(new TreeSet<>(l.qualifications())));
  }

  private Location location(Placements placements) {
    if (site != null) {
      return placements.topology().locations().stream()
          .filter(x -> x.site().equals(site))
          .findFirst()
          .orElseThrow();
    }
    Jurisdiction j = null;
    if (jurisdiction != null) {
      j =
          switch (jurisdiction.strip().toUpperCase(Locale.ROOT).replace('-', '_')) {
            case "EU" -> Jurisdiction.EU;
            case "NON_EU" -> Jurisdiction.NON_EU;
            default ->
                throw new IllegalArgumentException(
                    "--jurisdiction " + jurisdiction + ": must be EU or non-EU");
          };
    }
    try {
      return new Location(
          "backup destination",
          country == null ? null : country.strip().toUpperCase(Locale.ROOT),
          j,
          operator,
          Set.copyOf(qualifications.stream().map(q -> q.toLowerCase(Locale.ROOT)).toList()),
          List.of("backup"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "backup destination: " + e.getMessage().replace("site 'backup destination': ", ""), e);
    }
  }

  private static String siteNames(Placements placements) {
    return String.join(
        ", ", placements.topology().locations().stream().map(Location::site).toList());
  }

  /**
   * Refuses this (resolved) destination when a bucket's class forbids it.
   *
   * @param bucketsByClass the buckets' names by their class
   * @throws BackupException naming each class at fault, its rule's reason and its buckets
   */
  void check(Placements placements, Map<String, List<String>> bucketsByClass) {
    Location l = location(placements);
    List<String> refusals = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : bucketsByClass.entrySet()) {
      String buckets = describe(e.getValue());
      SensitivityClass c;
      try {
        c = placements.classes().get(e.getKey());
      } catch (IllegalArgumentException unknown) {
        refusals.add(
            "class '"
                + e.getKey()
                + "' ("
                + buckets
                + ") is not defined by this configuration, so nothing is known to allow it");
        continue;
      }
      String why = c.whyNot(l, placements.topology());
      if (why != null) {
        refusals.add("class '" + e.getKey() + "' (" + buckets + ") forbids it: " + why);
      }
    }
    if (!refusals.isEmpty()) {
      throw new BackupException(
          "backup refused: the destination "
              + this
              + " is not allowed for the data this server holds; "
              + String.join("; ", refusals)
              + ". Choose a destination every class allows (docs/backup.md). Nothing was written.");
    }
  }

  private static String describe(List<String> buckets) {
    String first = String.join(", ", buckets.subList(0, Math.min(3, buckets.size())));
    return (buckets.size() == 1 ? "bucket " : "buckets ")
        + first
        + (buckets.size() > 3 ? " and " + (buckets.size() - 3) + " more" : "");
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (site != null) {
      parts.add("site " + site);
    }
    parts.add("country " + (country == null ? "undeclared" : country));
    parts.add("jurisdiction " + (jurisdiction == null ? "undeclared" : jurisdiction));
    if (operator != null) {
      parts.add("operator " + operator);
    }
    if (!qualifications.isEmpty()) {
      parts.add("qualified " + String.join(", ", qualifications));
    }
    return "(" + String.join(", ", parts) + ")";
  }
}
