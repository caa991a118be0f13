package org.hesspec.experiments.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The {@code sweep} of an experiment file: the whole experiment runs once for every combination
 * of the axes' values (the first axis varies slowest).
 *
 * @param axes the swept keys in file order; empty without a sweep
 */
public record SweepConfig(List<Axis> axes) {

  /** No sweep: a single run. */
  public static final SweepConfig NONE = new SweepConfig(List.of());

  public SweepConfig {
    axes = List.copyOf(axes);
  }

  /**
   * One swept key.
   *
   * @param keyPath dotted path of the key, e.g. {@code data.train.per_class}
   * @param values the values, as plain JSON-compatible objects (Long, Double, String, Boolean,
   *     List, Map)
   */
  public record Axis(String keyPath, List<Object> values) {
    public Axis {
      Objects.requireNonNull(keyPath, "keyPath");
      // Not List.copyOf: a null value (an empty YAML value) is legal for some keys.
      values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }
  }

  public boolean isEmpty() {
    return axes.isEmpty();
  }

  /** Number of sweep points: the product of the axes' sizes (1 without a sweep). */
  public long points() {
    return axes.stream().mapToLong(a -> a.values().size()).reduce(1, Math::multiplyExact);
  }

  /**
   * The {@code sweep} column for a point given by one value per axis: the value itself for a
   * single axis ({@code 51}), {@code key=value} pairs joined by {@code ;} for several.
   */
  public String label(List<Object> pointValues) {
    if (axes.size() == 1) {
      return label(pointValues.get(0));
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < axes.size(); i++) {
      if (i > 0) {
        s.append(';');
      }
      s.append(axes.get(i).keyPath()).append('=').append(label(pointValues.get(i)));
    }
    return s.toString();
  }

  /** One value as text: strings bare, numbers as Java prints them, lists as {@code [a, b]}. */
  static String label(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(SweepConfig::label).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .map(e -> e.getKey() + ": " + label(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(value);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    axes.forEach(a -> m.put(a.keyPath(), a.values()));
    return m;
  }
}
