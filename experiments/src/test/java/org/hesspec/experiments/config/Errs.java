package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

/** Assertions on the errors of an experiment file that must not load. */
final class Errs {

  private Errs() {}

  static ConfigException load(Path file, List<String> overrides) {
    return assertThrows(ConfigException.class, () -> new ExperimentLoader(Fixture.CHECKER).load(file, overrides),
        "expected the experiment to be rejected");
  }

  /** The error at {@code keyPath}, failing with every error listed when there is none. */
  static ConfigError at(ConfigException e, String keyPath) {
    return e.errors().stream().filter(err -> err.keyPath().equals(keyPath)).findFirst()
        .orElseThrow(() -> new AssertionError("no error at " + keyPath + " in:\n" + e.getMessage()));
  }

  static void contains(String text, String fragment) {
    assertTrue(text.contains(fragment), () -> "expected '" + fragment + "' in:\n" + text);
  }
}
