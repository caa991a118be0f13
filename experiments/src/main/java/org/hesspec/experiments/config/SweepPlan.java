package org.hesspec.experiments.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code sweep} mapping and expands it into one experiment tree per sweep point
 * (the Cartesian product of the axes, first axis slowest). Each point is then validated on its
 * own, so a sweep over a key that does not exist, or a value that is invalid for its key, is
 * reported like any other error, at the sweep's line.
 */
final class SweepPlan {

  /** More points than this is almost certainly a mistake (and a very long run). */
  static final long MAX_POINTS = 10_000;

  /** One sweep point: its label for the {@code sweep} column and its experiment tree. */
  record Point(String label, YamlValue tree) {}

  private record AxisNodes(String keyPath, List<String> segments, Origin keyOrigin, List<YamlValue> values) {}

  private final SweepConfig config;
  private final List<AxisNodes> axes;

  private SweepPlan(SweepConfig config, List<AxisNodes> axes) {
    this.config = config;
    this.axes = axes;
  }

  SweepConfig config() {
    return config;
  }

  /** Reads the sweep of {@code root} (no sweep when root is not a mapping or has none). */
  static SweepPlan read(YamlValue root, Convert convert) {
    Optional<YamlValue> sweep = root instanceof YamlMap m ? m.get("sweep") : Optional.empty();
    if (sweep.isEmpty()) {
      return new SweepPlan(SweepConfig.NONE, List.of());
    }
    Errors errors = convert.errors();
    Optional<YamlMap> map = convert.map(sweep.get(), "sweep");
    if (map.isEmpty()) {
      return new SweepPlan(SweepConfig.NONE, List.of());
    }
    if (map.get().entries().isEmpty()) {
      errors.add(sweep.get().origin(), "sweep", "is empty; give key.path: [values] or remove it");
    }
    List<AxisNodes> axes = new ArrayList<>();
    for (YamlMap.Entry e : map.get().entries()) {
      String path = "sweep." + e.key();
      Optional<List<String>> segments = KeyPaths.split(e.key());
      if (segments.isEmpty()) {
        errors.add(e.keyOrigin(), path, "not a key path: use dotted keys such as data.train.per_class");
        continue;
      }
      String head = segments.get().get(0);
      if (head.equals("sweep") || head.equals("name")) {
        errors.add(e.keyOrigin(), path, head + " cannot be swept: every sweep point belongs to the same run");
        continue;
      }
      Optional<AxisNodes> overlap = axes.stream().filter(a -> overlaps(a.segments(), segments.get())).findFirst();
      if (overlap.isPresent()) {
        errors.add(e.keyOrigin(), path, "overlaps the sweep key " + overlap.get().keyPath() + "; sweep each key once");
        continue;
      }
      Optional<List<YamlValue>> values = convert.nonEmptyList(e.value(), path, (item, p) -> Optional.of(item));
      if (values.isEmpty() || hasDuplicate(values.get(), path, errors)) {
        continue;
      }
      axes.add(new AxisNodes(e.key(), segments.get(), e.keyOrigin().via("sweep"), values.get()));
    }
    SweepConfig config = new SweepConfig(
        axes.stream().map(a -> new SweepConfig.Axis(a.keyPath(), Plain.ofAll(a.values()))).toList());
    long points = axes.stream().mapToLong(a -> a.values().size()).reduce(1, (x, y) -> Math.min(x * y, MAX_POINTS + 1));
    if (points > MAX_POINTS) {
      errors.add(sweep.get().origin(), "sweep", "has more than " + MAX_POINTS + " points; split it into several experiments");
      return new SweepPlan(SweepConfig.NONE, List.of());
    }
    return new SweepPlan(config, axes);
  }

  /**
   * The experiment tree of every point, or the single unchanged tree without a sweep. Errors in
   * setting a value (a path through a list or a scalar) go to {@code errors}.
   */
  List<Point> points(YamlValue root, Errors errors) {
    if (axes.isEmpty() || !(root instanceof YamlMap map)) {
      return List.of(new Point(org.hesspec.report.Tables.NO_SWEEP, root));
    }
    List<Point> points = new ArrayList<>();
    int[] index = new int[axes.size()];
    while (true) {
      YamlMap tree = map;
      List<Object> plain = new ArrayList<>();
      for (int a = 0; a < axes.size(); a++) {
        AxisNodes axis = axes.get(a);
        YamlValue value = axis.values().get(index[a]);
        plain.add(Plain.of(value));
        tree = KeyPaths.set(tree, axis.segments(), value, axis.keyOrigin(), errors).orElse(tree);
      }
      points.add(new Point(config.label(plain), tree));
      // Odometer increment, last axis fastest.
      int a = axes.size() - 1;
      while (a >= 0 && ++index[a] == axes.get(a).values().size()) {
        index[a] = 0;
        a--;
      }
      if (a < 0) {
        return points;
      }
    }
  }

  private static boolean overlaps(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    return a.subList(0, n).equals(b.subList(0, n));
  }

  /** Two equal values would give two points with the same label in every table. */
  private static boolean hasDuplicate(List<YamlValue> values, String path, Errors errors) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String label = SweepConfig.label(Plain.of(values.get(i)));
      if (!seen.add(label)) {
        errors.add(values.get(i).origin(), path + "[" + i + "]", "duplicate sweep value " + label);
        return true;
      }
    }
    return false;
  }
}
