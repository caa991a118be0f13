package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Applies {@code --set key.path=value} overrides to the parsed file before validation. The
 * value is read as YAML ({@code 3}, {@code [10, 51]}, {@code {k: 20}}); keys that do not exist
 * surface later as unknown-key errors marked with the override.
 */
final class Overrides {

  private Overrides() {}

  static YamlValue apply(YamlValue root, List<String> assignments, Path file, Errors errors) {
    YamlValue tree = root;
    for (String assignment : assignments) {
      Origin origin = Origin.override(file, assignment);
      int eq = assignment.indexOf('=');
      if (eq < 0) {
        errors.add(origin, "", "expected key.path=value");
        continue;
      }
      String path = assignment.substring(0, eq).strip();
      Optional<List<String>> segments = KeyPaths.split(path);
      if (segments.isEmpty()) {
        errors.add(origin, path, "not a key path: use dotted keys such as analyses.density.runs");
        continue;
      }
      Optional<YamlValue> value = YamlReader.readValue(assignment.substring(eq + 1), origin, path, errors);
      if (value.isEmpty() || !(tree instanceof YamlMap map)) {
        // A non-mapping file is reported once by the binder; nothing to set into.
        continue;
      }
      Optional<YamlMap> updated = KeyPaths.set(map, segments.get(), value.get(), origin, errors);
      if (updated.isPresent()) {
        tree = updated.get();
      }
    }
    return tree;
  }
}
