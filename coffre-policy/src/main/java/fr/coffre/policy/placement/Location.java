package fr.coffre.policy.placement;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A site declared in configuration, with the volumes (directories on local disks) it holds.
 *
 * @param site the site's name, unique within a {@link Topology}
 * @param country ISO 3166-1 alpha-2 code in upper case ({@code FR}), or null when not declared; an
 *     undeclared country fails every country rule
 * @param jurisdiction the legal order the site answers to, or null when not declared; an undeclared
 *     jurisdiction fails every jurisdiction rule
 * @param operator who operates the site, or null when not declared
 * @param qualifications the site's qualifications in lower case ({@code secnumcloud}, {@code hds},
 *     {@code iso27001}); null means none
 * @param volumes the names of the site's volumes, at least one, without duplicates
 */
public record Location(
    String site,
    @Nullable String country,
    @Nullable Jurisdiction jurisdiction,
    @Nullable String operator,
    Set<String> qualifications,
    List<String> volumes) {

  /** Validates every field; the messages name the site and the field. */
  public Location {
    if (Values.blank(site)) {
      throw new IllegalArgumentException("location: site name is required");
    }
    if (country != null && !Values.isCountry(country)) {
      throw new IllegalArgumentException(
          "site '"
              + site
              + "': country '"
              + country
              + "' is not an ISO 3166-1 alpha-2 code in upper case (e.g. FR, DE; GB, not UK)");
    }
    if (operator != null && operator.isBlank()) {
      throw new IllegalArgumentException(
          "site '" + site + "': operator is blank (omit it when not declared)");
    }
    if (qualifications != null) {
      for (String q : qualifications) {
        if (!Values.isQualification(q)) {
          throw new IllegalArgumentException(
              "site '"
                  + site
                  + "': qualification '"
                  + q
                  + "' must be lower case letters, digits, '.', '_' or '-' (e.g. secnumcloud)");
        }
      }
    }
    qualifications = Values.sortedCopy(qualifications);
    if (volumes == null || volumes.isEmpty()) {
      throw new IllegalArgumentException("site '" + site + "': volumes must list at least one");
    }
    Set<String> seen = new HashSet<>();
    for (String v : volumes) {
      if (Values.blank(v)) {
        throw new IllegalArgumentException("site '" + site + "': volumes: a volume name is blank");
      }
      if (!seen.add(v)) {
        throw new IllegalArgumentException(
            "site '" + site + "': volumes: '" + v + "' is listed twice");
      }
    }
    volumes = List.copyOf(volumes);
  }
}
