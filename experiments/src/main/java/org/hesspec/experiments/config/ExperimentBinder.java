package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.data.Split;
import org.hesspec.model.Precision;

/**
 * Binds one experiment tree (one sweep point, overrides applied) to an {@link ExperimentConfig},
 * recording every problem in the {@link Convert}'s errors.
 */
final class ExperimentBinder {

  /** Names become folder names: no separators, nothing a shell would trip over. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path file;
  private final Convert convert;
  private final PathChecks paths;
  private final ModelChecker checker;

  /**
   * @param file the experiment file, absolute (its folder anchors relative paths)
   * @param checker TensorFlow-backed model checks, or null
   */
  ExperimentBinder(Path file, Convert convert, ModelChecker checker) {
    this.file = file;
    this.convert = convert;
    this.paths = new PathChecks(file.getParent(), convert);
    this.checker = checker;
  }

  /** The config, or empty when any error was recorded. */
  Optional<ExperimentConfig> bind(YamlValue root, SweepConfig sweep, String sweepValue) {
    Errors errors = convert.errors();
    int before = errors.size();
    if (!(root instanceof YamlMap)) {
      errors.add(root.origin(), "", "an experiment file must be a mapping of keys (name:, model:, data:, ...), found "
          + root.describe());
      return Optional.empty();
    }
    MapReader r = new MapReader((YamlMap) root, "", convert);
    String name = r.string("name", defaultName());
    if (!NAME.matcher(name).matches()) {
      errors.add(r.map().get("name").map(YamlValue::origin).orElse(r.map().origin()), "name",
          "'" + name + "' cannot be a folder name: use letters, digits, '.', '_' and '-'");
    }
    long seed = r.get("seed").flatMap(v -> convert.integer(v, "seed", 0, Long.MAX_VALUE)).orElse(0L);
    Precision precision = r.enumValue("precision", Precision.class, Precision::yamlName, Precision.FLOAT32);
    Loss loss = r.enumValue("loss", Loss.class, Loss::yamlName, Loss.CROSS_ENTROPY);
    int batchSize = r.integer("batch_size", 1000, 1);
    int productCacheMb = r.integer("product_cache_mb", 1024, 0);
    List<CurvatureOperator> operators = r.enumList("operators", CurvatureOperator.class, CurvatureOperator::yamlName,
        ExperimentConfig.DEFAULT_OPERATORS);
    List<Split> splits = r.enumList("splits", Split.class, Split::yamlName, List.of(Split.TRAIN));
    Optional<ModelConfig> model = r.require("model", "the SavedModel to analyse")
        .flatMap(v -> new ModelBinder(convert, paths, checker).bind(MapReader.of(v, "model", convert)));
    Optional<DataConfig> data = r.require("data", "the data set")
        .flatMap(v -> new DataBinder(convert, paths, loss).bind(MapReader.of(v, "data", convert)));
    if (splits.contains(Split.TEST) && data.isPresent() && data.get().test().isEmpty()) {
      errors.add(r.map().get("splits").get().origin(), "splits", "includes test, but data.test is not given");
    }
    AnalysesConfig analyses = r.child("analyses")
        .map(a -> new AnalysesBinder(convert).bind(a, loss))
        .orElseGet(AnalysesBinder::defaults);
    Optional<ClusterConfig> cluster = r.child("cluster").map(this::cluster);
    r.get("sweep"); // read by SweepPlan before binding; known here so it is not "unknown"
    r.finish();
    if (errors.size() > before || model.isEmpty() || data.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ExperimentConfig(file, name, seed, precision, model.get(), data.get(), loss, batchSize,
        productCacheMb, operators, splits, analyses, cluster, sweep, sweepValue));
  }

  /** The file name without its extension. */
  private String defaultName() {
    String base = file.getFileName().toString();
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }

  private ClusterConfig cluster(MapReader c) {
    boolean hasWorkers = c.has("workers");
    boolean hasDevices = c.has("devices");
    if (hasWorkers && hasDevices) {
      convert.errors().add(c.get("devices").orElseThrow().origin(), c.path("devices"),
          "give workers (other processes) or devices (of this process), not both");
    }
    List<String> devices = List.of();
    if (hasDevices && !hasWorkers) {
      YamlValue v = c.get("devices").orElseThrow();
      if (v instanceof YamlScalar s && s.kind() != YamlScalar.Kind.NULL) {
        devices = convert.name(v, c.path("devices")).map(text -> {
          if (!text.strip().equals(ClusterConfig.ALL_GPUS)) {
            convert.errors().add(v.origin(), c.path("devices"), "expected '" + ClusterConfig.ALL_GPUS
                + "' (every GPU) or a list such as [gpu:0, gpu:1], found '" + text + "'");
            return List.<String>of();
          }
          return List.of(ClusterConfig.ALL_GPUS);
        }).orElse(List.of());
      } else {
        devices = convert.distinctList(v, c.path("devices"), this::device).orElse(List.of());
      }
    }
    List<ClusterConfig.Worker> workers = hasDevices ? List.of() : c.require("workers", "a list of host:port addresses, or devices:")
        .flatMap(v -> convert.distinctList(v, c.path("workers"), this::worker))
        .orElse(List.of());
    c.finish();
    return new ClusterConfig(new ArrayList<>(workers), devices);
  }

  /** One device of this process, {@code gpu:N} or {@code cpu:N}, in canonical form. */
  private Optional<String> device(YamlValue v, String path) {
    return convert.name(v, path).flatMap(text -> {
      try {
        return Optional.of(org.hesspec.distributed.LocalDevice.parse(text).toString());
      } catch (IllegalArgumentException e) {
        convert.errors().add(v.origin(), path, "expected gpu:N or cpu:N, found '" + text + "'");
        return Optional.empty();
      }
    });
  }

  private Optional<ClusterConfig.Worker> worker(YamlValue v, String path) {
    Optional<String> text = convert.name(v, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String s = text.get().strip();
    int colon = s.lastIndexOf(':');
    String host = colon < 0 ? "" : s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = colon < 0 ? "" : s.substring(colon + 1);
    if (host.isBlank() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      convert.errors().add(v.origin(), path, "expected host:port with a port from 1 to 65535, found '" + s + "'");
      return Optional.empty();
    }
    return Optional.of(new ClusterConfig.Worker(host, Integer.parseInt(port)));
  }
}
