package fr.coffre.policy;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Did-you-mean hints for names a person typed: the closest known name, if it is close. */
public final class Spelling {
  private Spelling() {}

  /**
   * The name of {@code known} closest to {@code typed} (case ignored) if at most {@code max} edits
   * away and not equal to it; null otherwise. Ties go to the first in alphabetical order.
   */
  public static @Nullable String closest(String typed, Collection<String> known, int max) {
    String t = typed.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = max + 1;
    for (String k : new TreeSet<>(known)) {
      int d = distance(t, k.toLowerCase(Locale.ROOT));
      if (d > 0 && d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /**
   * Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbours as
   * one (optimal string alignment).
   */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
