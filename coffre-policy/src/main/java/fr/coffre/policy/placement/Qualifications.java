package fr.coffre.policy.placement;

import fr.coffre.policy.Spelling;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The qualification names a location may declare and a class may require. A misspelt one ({@code
 * secnumclou}) would make a class unplaceable, or worse, a site look unqualified, with nothing
 * said: so names outside {@link #KNOWN} are refused at start unless the operator lists them in
 * {@code placement.custom-qualifications} (docs/placement.md).
 */
public final class Qualifications {
  /**
   * The qualifications Coffre knows: the French SecNumCloud (ANSSI) and HDS (health data hosting),
   * ISO/IEC 27001, 27017, 27018 and 27701, the German C5 (BSI) and the Spanish ENS.
   */
  public static final Set<String> KNOWN =
      Set.of("secnumcloud", "hds", "iso27001", "iso27017", "iso27018", "iso27701", "c5", "ens");

  private final Set<String> allowed;

  private Qualifications(Set<String> allowed) {
    this.allowed = allowed;
  }

  /** {@link #KNOWN} and the operator's own names (lower-cased). */
  public static Qualifications with(Collection<String> custom) {
    Set<String> all = new TreeSet<>(KNOWN);
    for (String c : custom) {
      all.add(c.strip().toLowerCase(Locale.ROOT));
    }
    return new Qualifications(Set.copyOf(all));
  }

  /**
   * Refuses, naming {@code where}, a name that is neither known nor custom: the message lists the
   * known ones and, when one is close, suggests it.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public void require(Collection<String> names, String where) {
    for (String name : names) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      if (!allowed.contains(n)) {
        String close = closest(n);
        throw new IllegalArgumentException(
            where
                + ": unknown qualification '"
                + name
                + "'"
                + (close == null ? "" : " (did you mean '" + close + "'?)")
                + "; known: "
                + String.join(", ", new TreeSet<>(allowed))
                + ". A qualification of your own goes in placement.custom-qualifications");
      }
    }
  }

  /** The allowed name at most 2 edits away, if any; else null. */
  private @Nullable String closest(String name) {
    return Spelling.closest(name, allowed, 2);
  }
}
