package org.hesspec.experiments.cli;

import java.nio.file.Path;

/** Default locations: the repository root is where the launcher lives (HESSPEC_HOME), else the working directory. */
final class Paths {
  private Paths() {}

  static Path results() {
    String home = System.getenv("HESSPEC_HOME");
    return (home == null ? Path.of("") : Path.of(home)).resolve("results").toAbsolutePath();
  }
}
