package org.hesspec.experiments.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" by edit distance, for unknown keys and enum values. */
final class Suggest {

  private Suggest() {}

  /**
   * The candidate closest to {@code word}, if it is close enough to be a plausible typo: at most
   * 2 edits, or a third of the word's length for long words. Case differences are free, so
   * {@code g} suggests {@code G}.
   */
  static Optional<String> nearest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, word.length() / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** The message tail for a suggestion: {@code "; did you mean 'x'?"} or nothing. */
  static String didYouMean(String word, Collection<String> candidates) {
    return nearest(word, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  /**
   * Optimal string alignment distance: Levenshtein plus transposition of neighbours, since
   * swapped letters ({@code iteratoins}) are the most common typo.
   */
  static int distance(String a, String b) {
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
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
