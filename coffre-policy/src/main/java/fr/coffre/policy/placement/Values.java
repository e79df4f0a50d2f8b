package fr.coffre.policy.placement;

import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Validation and copying shared by the placement records. */
final class Values {
  private static final Set<String> ISO_COUNTRIES =
      Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2);
  private static final Pattern QUALIFICATION = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private Values() {}

  /** Whether {@code code} is an assigned ISO 3166-1 alpha-2 code, in upper case. */
  static boolean isCountry(@Nullable String code) {
    return code != null && code.length() == 2 && ISO_COUNTRIES.contains(code);
  }

  /** Whether {@code name} is a valid qualification name: lower case letters, digits, . _ -. */
  static boolean isQualification(@Nullable String name) {
    return name != null && QUALIFICATION.matcher(name).matches();
  }

  /** Whether {@code s} is null, empty or only whitespace. */
  static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }

  /** An unmodifiable, sorted copy (stable iteration order for messages); null gives empty. */
  static SortedSet<String> sortedCopy(@Nullable Collection<String> values) {
    if (values == null) {
      return Collections.emptySortedSet();
    }
    for (String v : values) {
      if (v == null) {
        throw new IllegalArgumentException("null element in " + values);
      }
    }
    return Collections.unmodifiableSortedSet(new TreeSet<>(values));
  }

  /** "1 copy", "2 copies": a count with its noun in the right number. */
  static String count(int n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }
}
