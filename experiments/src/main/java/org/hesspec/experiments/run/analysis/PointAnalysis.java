package org.hesspec.experiments.run.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Split;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ParameterGroup;
import org.hesspec.experiments.run.ExperimentData;
import org.hesspec.experiments.run.Rows;
import org.hesspec.experiments.run.UnitCache;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.hesspec.spectral.ProgressListener;

/**
 * The analyses of one sweep point: the {@link #declared} analyses run on every split of every parameter
 * group, each unit of work cached in the run folder ({@link UnitCache}) so a resumed run redoes none that
 * finished. Every random choice derives its seed from the experiment's seed and the unit's name. The order
 * is fixed (per group and split: each operator through every analysis, then the analyses of the split), so
 * the tables come out the same on every run.
 */
public final class PointAnalysis {

  private final Point point;
  private final ExperimentData data;

  public PointAnalysis(ExperimentConfig config, ModelDefinition model, ExperimentData data, UnitCache cache, String pointKey,
      Consumer<String> log, ProgressListener progress, Path spillDir) {
    this.point = new Point(config, model, cache, pointKey, log, progress, spillDir);
    this.data = data;
  }

  /**
   * The analyses an experiment declares, in the order they run: one line per analysis. The regime runs
   * always; the deflated Hessian's density comes with the class structure.
   */
  static List<Analysis> declared(ExperimentConfig config) {
    AnalysesConfig a = config.analyses();
    List<Analysis> analyses = new ArrayList<>();
    a.density().map(DensityAnalysis::new).ifPresent(analyses::add);
    a.topEigen().map(TopEigenAnalysis::new).ifPresent(analyses::add);
    a.trace().map(TraceAnalysis::new).ifPresent(analyses::add);
    a.exact().map(ExactAnalysis::new).ifPresent(analyses::add);
    analyses.add(new RegimeAnalysis());
    a.classStructure().map(c -> new ClassStructureAnalysis(c, a.trace())).ifPresent(analyses::add);
    a.classStructure().flatMap(c -> a.density()).filter(d -> config.operators().contains(CurvatureOperator.HESSIAN))
        .map(d -> new DeflatedHessianAnalysis(new DensityAnalysis(d))).ifPresent(analyses::add);
    return analyses;
  }

  /** Runs (or reads back) every unit of this point, in a fixed order. */
  public Rows run() {
    ExperimentConfig config = point.config();
    List<Analysis> analyses = declared(config);
    Rows all = new Rows();
    List<ParameterGroup> groups = config.model().parameters();
    for (ParameterGroup group : groups) {
      ParameterLayout selection = point.model().layout().select(group.include());
      String suffix = groups.size() == 1 ? "" : "[" + group.name() + "]";
      try (Lazy<CurvatureGraph> graph = new Lazy<>(() -> settled(new CurvatureGraph(point.model(), config.loss(), selection,
          SessionSettings.defaults().withProductCacheBytes((long) config.productCacheMb() << 20))))) {
        for (Split split : config.splits()) {
          try (Target t = new Target(point, split.yamlName(), data.split(split.yamlName()), selection, suffix, graph)) {
            for (CurvatureOperator op : config.operators()) {
              for (Analysis a : analyses) {
                a.onOperator(t, op, all);
              }
            }
            for (Analysis a : analyses) {
              a.onSplit(t, all);
            }
          }
        }
      }
    }
    return all;
  }

  /**
   * Returns {@code graph} after a full collection. Loading a model and building its session leave
   * about a gigabyte of short-lived arrays at VGG11 scale (28 M parameters), and G1 keeps the heap
   * it grew to for them (1.5 GiB committed around 0.2 GiB live, measured with {@code -Xlog:gc})
   * through an analysis that then allocates little; a full collection shrinks the heap to
   * {@code MaxHeapFreeRatio} of the live set and returns the rest to the system, once per session.
   */
  private static CurvatureGraph settled(CurvatureGraph graph) {
    System.gc();
    return graph;
  }
}
