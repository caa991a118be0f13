package org.hesspec.experiments.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Dotted key paths ({@code analyses.density.runs}) as used by {@code --set} and {@code sweep},
 * and setting a value at such a path in a {@link YamlMap} tree.
 */
final class KeyPaths {

  private KeyPaths() {}

  /**
   * The segments of a path. Keys under {@code sweep} are themselves dotted paths, so
   * {@code sweep.data.train.per_class} is {@code [sweep, data.train.per_class]}. Empty when a
   * segment is blank.
   */
  static Optional<List<String>> split(String path) {
    List<String> parts = new ArrayList<>(Arrays.asList(path.split("\\.", -1)));
    if (parts.size() > 2 && parts.get(0).equals("sweep")) {
      String rest = String.join(".", parts.subList(1, parts.size()));
      parts = List.of("sweep", rest);
    }
    if (parts.stream().anyMatch(String::isBlank)) {
      return Optional.empty();
    }
    return Optional.of(List.copyOf(parts));
  }

  /**
   * A copy of {@code root} with {@code value} at {@code segments}, creating the mappings on the
   * way (their keys get {@code origin}, so an unknown key created here is reported where it came
   * from). Empty, with an error, when the path runs through a list or a scalar.
   */
  static Optional<YamlMap> set(YamlMap root, List<String> segments, YamlValue value, Origin origin, Errors errors) {
    return set(root, segments, 0, value, origin, errors);
  }

  private static Optional<YamlMap> set(
      YamlMap map, List<String> segments, int i, YamlValue value, Origin origin, Errors errors) {
    String key = segments.get(i);
    if (i == segments.size() - 1) {
      return Optional.of(map.with(key, origin, value));
    }
    Optional<YamlValue> existing = map.get(key);
    YamlMap child;
    if (existing.isEmpty() || existing.get() instanceof YamlScalar s && s.kind() == YamlScalar.Kind.NULL) {
      child = new YamlMap(List.of(), origin);
    } else if (existing.get() instanceof YamlMap m) {
      child = m;
    } else {
      String prefix = String.join(".", segments.subList(0, i + 1));
      errors.add(origin, String.join(".", segments),
          "cannot set it: " + prefix + " is " + existing.get().describe() + ", not a mapping");
      return Optional.empty();
    }
    return set(child, segments, i + 1, value, origin, errors).map(c -> map.with(key, origin, c));
  }
}
