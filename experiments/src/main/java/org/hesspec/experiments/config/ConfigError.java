package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in an experiment file.
 *
 * @param file the experiment file the problem belongs to
 * @param keyPath the dotted key path of the offending value, with {@code [i]} for list items
 *     (for example {@code model.parameters[1].include[0]}); empty for the whole file
 * @param line 1-based line in {@code file}; 0 when the value came from the command line
 *     ({@code --set}) or the file could not be read at all
 * @param message what is wrong, phrased for the user (expected vs found, valid values, ...)
 */
public record ConfigError(Path file, String keyPath, int line, String message) {

  public ConfigError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(keyPath, "keyPath");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line: key.path: message}, the form compilers use, so editors can jump to it. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(file.toString());
    if (line > 0) {
      s.append(':').append(line);
    }
    s.append(": ");
    if (!keyPath.isEmpty()) {
      s.append(keyPath).append(": ");
    }
    return s.append(message).toString();
  }
}
