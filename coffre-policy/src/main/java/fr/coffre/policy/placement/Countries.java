package fr.coffre.policy.placement;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** The country groups that placement rules name, as ISO 3166-1 alpha-2 codes. */
public final class Countries {
  /** The 27 member states of the European Union (Greece is GR, as in ISO 3166-1). */
  public static final SortedSet<String> EU =
      sorted(
          Set.of(
              "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
              "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"));

  /** The European Economic Area: the 27 EU states plus Iceland, Liechtenstein and Norway. */
  public static final SortedSet<String> EEA = sorted(union(EU, Set.of("IS", "LI", "NO")));

  private Countries() {}

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private static SortedSet<String> sorted(Set<String> codes) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(codes));
  }
}
