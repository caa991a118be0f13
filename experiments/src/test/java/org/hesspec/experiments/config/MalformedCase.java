package org.hesspec.experiments.config;

import java.util.List;

/**
 * A mutated experiment file that must be rejected, and what the rejection must say.
 *
 * @param name test name, also the file name
 * @param text the experiment file
 * @param sets {@code --set} overrides
 * @param keyPath the key path some error must name (empty for whole-file errors)
 * @param fragment text that error's message must contain
 * @param line the line that error must give: a line number, {@link #ANY_LINE} for any line of
 *     the file (syntax errors whose exact position is the parser's business), or 0 for a
 *     command-line override
 */
record MalformedCase(String name, String text, List<String> sets, String keyPath, String fragment, int line) {

  static final int ANY_LINE = -1;

  static MalformedCase of(String name, String text, String keyPath, String fragment) {
    return new MalformedCase(name, text, List.of(), keyPath, fragment, ANY_LINE);
  }

  MalformedCase atLine(int n) {
    return new MalformedCase(name, text, sets, keyPath, fragment, n);
  }

  MalformedCase withSet(String assignment) {
    return new MalformedCase(name, text, List.of(assignment), keyPath, fragment, line);
  }

  /** {@code base} with the single occurrence of {@code from} replaced, so a stale edit fails loudly. */
  static String edit(String base, String from, String to) {
    int at = base.indexOf(from);
    if (at < 0 || base.indexOf(from, at + 1) >= 0) {
      throw new IllegalStateException("'" + from + "' must occur exactly once in:\n" + base);
    }
    return base.substring(0, at) + to + base.substring(at + from.length());
  }
}
