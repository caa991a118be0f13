package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * Where a value came from, so that an error about it can point there: a line of the experiment
 * file, or a {@code --set} override (line 0), or a sweep key.
 *
 * @param file the experiment file
 * @param line 1-based line, 0 when not from the file
 * @param via null for a plain value of the file; otherwise what put the value there
 *     ({@code --set a.b=1}, {@code sweep}), appended to error messages
 */
record Origin(Path file, int line, String via) {

  static Origin of(Path file, Optional<Mark> mark) {
    // snakeyaml-engine counts lines from 0; editors and users count from 1.
    return new Origin(file, mark.map(m -> m.getLine() + 1).orElse(0), null);
  }

  static Origin override(Path file, String assignment) {
    return new Origin(file, 0, "--set " + assignment);
  }

  /** The same place, marked as set by {@code via}. */
  Origin via(String how) {
    return new Origin(file, line, how);
  }

  /** Appended to an error message: empty for plain file values. */
  String suffix() {
    return via == null ? "" : " (from " + via + ")";
  }
}
