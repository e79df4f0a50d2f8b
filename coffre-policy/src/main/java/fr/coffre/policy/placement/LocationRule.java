package fr.coffre.policy.placement;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which locations a sensitivity class allows, by their attributes. A location is allowed when it
 * passes every test; an attribute the location does not declare fails any test on it.
 *
 * @param countries the allowed countries (ISO 3166-1 alpha-2, upper case), or null for any
 * @param eea whether the country must be in the European Economic Area ({@link Countries#EEA})
 * @param euJurisdiction whether the location must be under {@link Jurisdiction#EU} jurisdiction
 * @param qualifications the qualifications the location must all hold (lower case); null is none
 * @param ownSitesOnly whether the location's operator must be the topology's operator
 */
public record LocationRule(
    @Nullable Set<String> countries,
    boolean eea,
    boolean euJurisdiction,
    Set<String> qualifications,
    boolean ownSitesOnly) {

  /** A rule that allows every location. */
  public static final LocationRule ANYWHERE = new LocationRule(null, false, false, Set.of(), false);

  /** Validates the country codes and qualification names. */
  public LocationRule {
    if (countries != null) {
      if (countries.isEmpty()) {
        throw new IllegalArgumentException(
            "location rule: countries is empty, which allows nowhere (omit it to allow any)");
      }
      for (String c : countries) {
        if (!Values.isCountry(c)) {
          throw new IllegalArgumentException(
              "location rule: country '"
                  + c
                  + "' is not an ISO 3166-1 alpha-2 code in upper case (e.g. FR)");
        }
      }
      countries = Values.sortedCopy(countries);
    }
    if (qualifications != null) {
      for (String q : qualifications) {
        if (!Values.isQualification(q)) {
          throw new IllegalArgumentException(
              "location rule: qualification '"
                  + q
                  + "' must be lower case letters, digits, '.', '_' or '-' (e.g. secnumcloud)");
        }
      }
    }
    qualifications = Values.sortedCopy(qualifications);
  }

  /**
   * Null when {@code location} is allowed, else a short human reason for the first test it fails
   * (tests run in this order: countries, EEA, jurisdiction, qualifications, operator).
   *
   * @param topology supplies the operator's own name for {@link #ownSitesOnly()}
   */
  public @Nullable String whyNot(Location location, Topology topology) {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(topology, "topology");
    String country = location.country();
    if (countries != null) {
      if (country == null) {
        return "country not declared";
      }
      if (!countries.contains(country)) {
        return "country " + country + " is not " + describeCountries(countries);
      }
    }
    if (eea) {
      if (country == null) {
        return "country not declared";
      }
      if (!Countries.EEA.contains(country)) {
        return "country " + country + " is not in the EEA";
      }
    }
    if (euJurisdiction) {
      if (location.jurisdiction() == null) {
        return "jurisdiction not declared";
      }
      if (location.jurisdiction() != Jurisdiction.EU) {
        return "not under EU jurisdiction";
      }
    }
    for (String q : qualifications) {
      if (!location.qualifications().contains(q)) {
        return "not qualified " + q;
      }
    }
    if (ownSitesOnly) {
      return whyNotOwn(location.operator(), topology.operator());
    }
    return null;
  }

  private static String describeCountries(Set<String> countries) {
    if (countries.equals(Countries.EU)) {
      return "in the EU";
    }
    if (countries.equals(Countries.EEA)) {
      return "in the EEA";
    }
    if (countries.size() == 1) {
      return countries.iterator().next();
    }
    return "one of " + String.join(", ", countries);
  }

  private static @Nullable String whyNotOwn(
      @Nullable String siteOperator, @Nullable String ownOperator) {
    if (ownOperator == null) {
      return "the operator's own name is not declared in the topology";
    }
    if (siteOperator == null) {
      return "operator not declared";
    }
    if (!siteOperator.equals(ownOperator)) {
      return "site is operated by " + siteOperator + ", not by the operator (" + ownOperator + ")";
    }
    return null;
  }
}
