package org.hesspec.experiments.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.run.analysis.PointAnalysis;
import org.hesspec.json.Json;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.train.TrainingListener;
import org.hesspec.report.HtmlReport;
import org.hesspec.report.RenderedFigure;
import org.hesspec.report.RunDirectory;
import org.hesspec.report.RunId;
import org.hesspec.report.SummaryRow;
import org.hesspec.report.SweepColumns;
import org.hesspec.report.Tables;
import org.tensorflow.TensorFlow;

/**
 * Runs an experiment: for each sweep point, trains the model if asked and missing, loads model
 * and data, runs the analyses, then writes the tables of docs/output-contract.md, the figures and the report
 * into {@code <out>/<name>/<run-id>/}. Results are written into a hidden partial folder whose
 * {@code run.json} says {@code incomplete}, and moved into place when complete; a killed run is
 * continued with {@link #resume}.
 */
public final class ExperimentRunner {

  private final Consumer<String> log;

  public ExperimentRunner(Consumer<String> log) {
    this.log = log;
  }

  /**
   * Starts a new run of the sweep points {@code points} under {@code outRoot}; returns the
   * finished run folder. The data and the model are checked against each other first
   * ({@link InputCheck}): a {@link RunInputException} then leaves nothing behind. A failure
   * during the run is a {@link RunFailedException} naming the partial run folder.
   */
  public Path run(List<ExperimentConfig> points, Path outRoot) {
    ExperimentConfig first = points.get(0);
    // devices that are not there are an input error before anything is written
    first.cluster().filter(c -> !c.devices().isEmpty()).ifPresent(c -> ClusterOperators.devices(c, first));
    InputCheck.check(points);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("experiment", first.toMap());
    info.put(DECLARED, first.declaredMap());
    info.put("sweep_values", points.stream().map(ExperimentConfig::sweepValue).toList());
    info.put("seed", first.seed());
    info.put("versions", versions());
    info.put("machine", machine());
    // Two runs of one experiment started within the same second would get the same id: take the next second.
    Path parent = outRoot.resolve(first.name());
    Instant start = Instant.now();
    while (RunDirectory.exists(parent, RunId.forSeed(start, first.seed()))) {
      start = start.plusSeconds(1);
    }
    RunDirectory run = RunDirectory.create(parent, RunId.forSeed(start, first.seed()), info);
    log.accept("run folder (partial until complete): " + run.root());
    return execute(run, points);
  }

  /** Continues an incomplete run; the experiment must be the one the run was started with. */
  public Path resume(List<ExperimentConfig> points, Path runFolder) {
    // Bad data or a bad model are reported before the run's run.json is touched.
    InputCheck.check(points);
    RunDirectory run;
    try {
      run = RunDirectory.resume(runFolder);
    } catch (RuntimeException e) {
      throw new RunInputException("cannot resume " + runFolder + ": " + e.getMessage());
    }
    // The experiment as declared (defaults included) is compared, not what was read from the
    // model: a run that trains its model records no input/output key, its resume finds them.
    // Runs written before run.json held the declared form are compared as they were.
    boolean hasDeclared = run.info().containsKey(DECLARED);
    Object stored = run.info().get(hasDeclared ? DECLARED : "experiment");
    Object now = Json.write(hasDeclared ? points.get(0).declaredMap() : points.get(0).toMap());
    if (stored == null || !Json.write(stored).equals(now)) {
      throw new RunInputException(runFolder + ": this run was started with another experiment (compare the \"" + DECLARED
          + "\" entry of its run.json with hesspec validate --print); resume it with the same file and --set options");
    }
    log.accept("resuming " + run.root());
    return execute(run, points);
  }

  /** The per-key sweep columns of the experiment's tables (none without a sweep). */
  static SweepColumns sweepColumns(ExperimentConfig c) {
    return new SweepColumns(c.sweep().axes().stream().map(a -> a.keyPath()).toList());
  }

  /** The run.json entry holding {@link ExperimentConfig#declaredMap()}, what a resume compares. */
  static final String DECLARED = "declared_experiment";

  private Path execute(RunDirectory run, List<ExperimentConfig> points) {
    ConsoleProgressListener progress = ConsoleProgressListener.stderr();
    UnitCache cache = new UnitCache(run.root());
    Rows all = new Rows();
    int numClasses = 0;
    List<String> sweepValues = new ArrayList<>();
    String stage = "starting";
    try {
      for (int i = 0; i < points.size(); i++) {
        ExperimentConfig c = points.get(i);
        sweepValues.add(c.sweepValue());
        String point = points.size() > 1 ? "sweep point " + (i + 1) + "/" + points.size() + ": " + c.sweepValue() : "experiment " + c.name();
        log.accept(point);
        String at = points.size() > 1 ? " of sweep point " + c.sweepValue() : "";
        Instant t0 = Instant.now();
        stage = "loading the data" + at;
        ExperimentData data = ExperimentData.load(c.data(), c.seed());
        stage = (ModelStep.exists(ModelStep.savedModel(c)) ? "loading the model" : "training and exporting the model") + at;
        Path modelDir = ModelStep.ensure(c, data, TrainingListener.console(), log);
        stage = "loading the model" + at;
        ModelDefinition model = ModelStep.load(c, modelDir);
        log.accept("model " + modelDir + ": p = " + model.layout().dimension() + ", " + model.precision().name().toLowerCase()
            + "; train n = " + data.train().size() + (data.test() == null ? "" : ", test n = " + data.test().size()));
        numClasses = Math.max(numClasses, (int) model.outputWidth());
        Path spill = run.root().resolve("checkpoints").resolve("spill");
        stage = "running the analyses" + at;
        all.addAll(new PointAnalysis(c, model, data, cache, "p" + i, log, progress, spill).run());
        trainedEpochs(modelDir).ifPresent(e -> all.of(Tables.SUMMARY).add(new SummaryRow(c.sweepValue(), "train", "model", "model_epoch", e)));
        run.putTiming(points.size() > 1 ? "point " + c.sweepValue() : "analyses", Duration.between(t0, Instant.now()));
      }
      Instant t1 = Instant.now();
      // The operator products each top_eigen unit spent (iteration and residual products).
      Map<String, Object> topProducts = new LinkedHashMap<>();
      for (SummaryRow s : all.of(Tables.SUMMARY)) {
        if (s.quantity().equals("top_eigen_products")) {
          topProducts.put((s.sweep().isEmpty() ? "" : s.sweep() + "/") + s.split() + "/" + s.operator(), (long) s.value());
        }
      }
      if (!topProducts.isEmpty()) {
        run.put("top_eigen_products", topProducts);
      }
      stage = "writing the tables, figures and report";
      // the derived quantities follow the measured ones in summary.csv
      List<SummaryRow> derived = DerivedSummary.derive(all, numClasses, log);
      all.of(Tables.SUMMARY).addAll(derived);
      // One column per swept key after `sweep` in every table (none without a sweep).
      all.write(run.root(), sweepColumns(points.get(0)));
      List<RenderedFigure> figures = RunFigures.draw(all, FigureContext.of(points.get(0)), sweepValues, numClasses, run.figures());
      List<SummaryRow> keyNumbers = all.of(Tables.SUMMARY).stream().filter(s -> !s.quantity().startsWith("mds_")).toList();
      new HtmlReport("hesspec: " + points.get(0).name(), reportParameters(withFile(points.get(0))), keyNumbers, figures,
          HtmlReport.tablesIn(run.root())).write(run.root());
      run.putTiming("tables, figures and report", Duration.between(t1, Instant.now()));
      cache.clear();
      run.complete();
      log.accept("complete: " + run.finalPath() + " (" + figures.size() + " figures)");
      return run.finalPath();
    } catch (RuntimeException | Error e) {
      throw RunFailedException.of(e, stage, run, points.get(0).file());
    }
  }

  private static Map<String, Object> withFile(ExperimentConfig c) {
    Map<String, Object> m = new LinkedHashMap<>(c.toMap());
    m.put("file", c.file().toString());
    return m;
  }

  /**
   * The epochs the analysed model was trained for ({@code training.epochs_run} of its hesspec-model.json), when
   * hesspec trained it: the x axis of quantities along training (a sweep over model.checkpoint).
   */
  @SuppressWarnings("unchecked")
  static java.util.OptionalDouble trainedEpochs(Path modelDir) {
    Path meta = modelDir.resolve("hesspec-model.json");
    try {
      if (!java.nio.file.Files.isRegularFile(meta)) {
        return java.util.OptionalDouble.empty();
      }
      Object parsed = org.hesspec.json.Json.parse(java.nio.file.Files.readString(meta));
      if (parsed instanceof Map<?, ?> m && m.get("training") instanceof Map<?, ?> t && t.get("epochs_run") instanceof Number n) {
        return java.util.OptionalDouble.of(n.doubleValue());
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      // a model without readable metadata simply has no epoch
    }
    return java.util.OptionalDouble.empty();
  }

  /** The report's parameter block, from the experiment map that run.json records. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> reportParameters(Map<String, Object> experiment) {
    Map<String, Object> p = new LinkedHashMap<>();
    Object file = experiment.get("file");
    if (file != null) {
      p.put("experiment file", file.toString());
    }
    Map<String, Object> model = (Map<String, Object>) experiment.getOrDefault("model", Map.of());
    Map<String, Object> data = (Map<String, Object>) experiment.getOrDefault("data", Map.of());
    p.put("model", String.valueOf(model.get("savedmodel")));
    p.put("data", String.valueOf(data.get("source")));
    p.put("loss", String.valueOf(experiment.get("loss")));
    p.put("precision", String.valueOf(experiment.get("precision")));
    p.put("seed", experiment.get("seed"));
    Map<String, Object> analyses = (Map<String, Object>) experiment.getOrDefault("analyses", Map.of());
    Map<String, Object> d = (Map<String, Object>) analyses.get("density");
    if (d != null) {
      Object kw = d.get("kernel_width");
      p.put("density", "M = " + d.get("iterations") + ", K = " + d.get("runs") + ", grid = " + d.get("grid")
          + ", kernel width = " + (kw == null || "auto".equals(kw) ? "auto (range / M)" : kw + " of the range"));
    }
    p.put("outlier rule", org.hesspec.structure.OutlierDetection.RULE);
    return p;
  }

  private static Map<String, Object> versions() {
    Map<String, Object> v = new LinkedHashMap<>();
    String h = ExperimentRunner.class.getPackage().getImplementationVersion();
    v.put("hesspec", h == null ? "dev" : h);
    v.put("tensorflow", TensorFlow.version());
    v.put("java", System.getProperty("java.version"));
    return v;
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    m.put("onednn_max_cpu_isa", OneDnnCap.fromEnvironment().orElse("none"));
    try {
      m.put("host", java.net.InetAddress.getLocalHost().getHostName());
    } catch (java.io.IOException e) {
      m.put("host", "unknown");
    }
    return m;
  }

}
