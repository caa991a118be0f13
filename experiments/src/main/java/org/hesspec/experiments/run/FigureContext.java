package org.hesspec.experiments.run;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.hesspec.experiments.config.ExperimentConfig;

/**
 * What the figures of a run state next to their numbers (density M and K, seed, precision) and the name of
 * the swept key, taken either from the experiment or from the {@code experiment} map that {@code run.json}
 * records, so that a run's figures can be redrawn from its folder alone.
 *
 * @param iterations the density's M, if a density was measured
 * @param runs the density's K
 * @param seed the experiment's seed
 * @param precision {@code float32} or {@code float64}
 * @param sweepKey the first swept key path, or {@code sweep} without a sweep
 */
record FigureContext(OptionalInt iterations, OptionalInt runs, long seed, String precision, String sweepKey) {

  static FigureContext of(ExperimentConfig c) {
    return new FigureContext(
        c.analyses().density().map(d -> OptionalInt.of(d.iterations())).orElse(OptionalInt.empty()),
        c.analyses().density().map(d -> OptionalInt.of(d.runs())).orElse(OptionalInt.empty()),
        c.seed(), c.precision().yamlName(),
        c.sweep().axes().isEmpty() ? "sweep" : c.sweep().axes().get(0).keyPath());
  }

  /** From run.json's {@code experiment} map (keys as in the experiment file). */
  @SuppressWarnings("unchecked")
  static FigureContext of(Map<String, Object> experiment) {
    Map<String, Object> analyses = (Map<String, Object>) experiment.getOrDefault("analyses", Map.of());
    Map<String, Object> density = (Map<String, Object>) analyses.get("density");
    Object sweep = experiment.get("sweep");
    String key = "sweep";
    if (sweep instanceof Map<?, ?> m && !m.isEmpty()) {
      key = String.valueOf(m.keySet().iterator().next());
    } else if (sweep instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m0 && !m0.isEmpty()) {
      key = String.valueOf(m0.keySet().iterator().next());
    }
    return new FigureContext(
        density == null ? OptionalInt.empty() : OptionalInt.of(((Number) density.get("iterations")).intValue()),
        density == null ? OptionalInt.empty() : OptionalInt.of(((Number) density.get("runs")).intValue()),
        ((Number) experiment.getOrDefault("seed", 0)).longValue(), String.valueOf(experiment.getOrDefault("precision", "float32")), key);
  }
}
