package org.hesspec.experiments.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts a {@link YamlValue} into plain JSON-compatible Java objects (sweep values). */
final class Plain {

  private Plain() {}

  /** Long, Double, String, Boolean, null, List or (ordered) Map. */
  static Object of(YamlValue v) {
    if (v instanceof YamlScalar s) {
      return switch (s.kind()) {
        case STRING -> s.text();
        case INT -> {
          java.math.BigInteger n = Convert.parseInteger(s.text());
          // Beyond long range nothing in an experiment is meaningful; keep the text.
          yield n.bitLength() < 64 ? (Object) n.longValue() : s.text();
        }
        case FLOAT -> Convert.parseFloat(s.text());
        case BOOL -> Boolean.parseBoolean(s.text().toLowerCase(java.util.Locale.ROOT));
        case NULL -> null;
      };
    }
    if (v instanceof YamlList l) {
      return l.items().stream().map(Plain::of).toList();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    ((YamlMap) v).entries().forEach(e -> m.put(e.key(), of(e.value())));
    return m;
  }

  static List<Object> ofAll(List<YamlValue> values) {
    // Not Stream.toList(): sweep values may be null, which List.copyOf would reject later.
    List<Object> out = new java.util.ArrayList<>();
    values.forEach(v -> out.add(of(v)));
    return out;
  }
}
