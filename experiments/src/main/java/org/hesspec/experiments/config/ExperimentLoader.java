package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads an experiment file: parse, apply {@code --set} overrides, expand the sweep, fill in
 * defaults, resolve paths, validate. The one entry point of this package:
 *
 * <pre>{@code
 * List<ExperimentConfig> runs = new ExperimentLoader(checker).load(file, List.of("analyses.density.runs=3"));
 * }</pre>
 *
 * Either every sweep point is valid and the list holds one config per point (one config without
 * a sweep), or a {@link ConfigException} lists every problem found.
 */
public final class ExperimentLoader {

  private final ModelChecker checker;

  /** A loader that checks SavedModels only on disk (no TensorFlow). */
  public ExperimentLoader() {
    this(null);
  }

  /** @param checker checks signatures and their keys; null to skip those checks */
  public ExperimentLoader(ModelChecker checker) {
    this.checker = checker == null ? null : new CachingModelChecker(checker);
  }

  public List<ExperimentConfig> load(Path file) throws ConfigException {
    return load(file, List.of());
  }

  /**
   * @param file the experiment file; errors name it as given, relative paths in it are resolved
   *     against its folder
   * @param overrides {@code key.path=value} assignments, applied in order before validation
   * @return one validated config per sweep point, in sweep order
   * @throws ConfigException with every problem found
   */
  public List<ExperimentConfig> load(Path file, List<String> overrides) throws ConfigException {
    Errors errors = new Errors();
    Optional<YamlValue> parsed = YamlReader.readFile(file, errors);
    if (parsed.isEmpty()) {
      throw new ConfigException(errors.list());
    }
    YamlValue root = Overrides.apply(parsed.get(), overrides, file, errors);
    SweepPlan sweep = SweepPlan.read(root, new Convert(errors));
    Path absolute = file.toAbsolutePath().normalize();

    List<ExperimentConfig> configs = new ArrayList<>();
    List<SweepPlan.Point> points = sweep.points(root, errors);
    List<List<ConfigError>> pointErrors = new ArrayList<>();
    for (SweepPlan.Point point : points) {
      Errors local = new Errors();
      new ExperimentBinder(absolute, new Convert(local), checker)
          .bind(point.tree(), sweep.config(), point.label())
          .ifPresent(configs::add);
      pointErrors.add(local.list());
    }
    errors.addAll(merge(points, pointErrors));
    if (!errors.isEmpty()) {
      throw new ConfigException(sorted(errors.list()));
    }
    return List.copyOf(configs);
  }

  /**
   * Errors every sweep point shares are reported once; the others say which point they belong
   * to, since the same line (the sweep) may be wrong for one value and fine for another.
   */
  private static List<ConfigError> merge(List<SweepPlan.Point> points, List<List<ConfigError>> pointErrors) {
    Set<ConfigError> merged = new LinkedHashSet<>();
    for (int i = 0; i < points.size(); i++) {
      for (ConfigError e : pointErrors.get(i)) {
        boolean everywhere = pointErrors.stream().allMatch(list -> list.contains(e));
        merged.add(everywhere ? e : new ConfigError(e.file(), e.keyPath(), e.line(),
            e.message() + " [sweep point " + points.get(i).label() + "]"));
      }
    }
    return new ArrayList<>(merged);
  }

  /** Command-line problems first, then in file order (stable within a line). */
  private static List<ConfigError> sorted(List<ConfigError> errors) {
    List<ConfigError> copy = new ArrayList<>(errors);
    copy.sort(Comparator.comparingInt(ConfigError::line));
    return copy;
  }
}
