package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.data.Split;
import org.hesspec.model.Precision;

/**
 * One fully resolved, validated experiment: every default filled in, every path absolute. A
 * file with a {@code sweep} yields one of these per sweep point (see {@link ExperimentLoader}).
 *
 * @param file the experiment file (absolute), kept for messages and {@code run.json}
 * @param name results go to {@code <out>/<name>/<run-id>/} [the file name without extension]
 * @param seed every random choice derives from it [0]
 * @param precision float32 | float64 [float32]
 * @param model the SavedModel and how to read it
 * @param data the data set and its splits
 * @param loss cross_entropy | mse [cross_entropy]
 * @param batchSize examples per evaluation batch, speed and memory only [1000]
 * @param productCacheMb MiB for the v-independent part of repeated products (forward activations,
 *     gradient signals of every batch), computed once per theta; 0 recomputes it every time; speed
 *     and memory only [1024]
 * @param operators curvature operators to analyse, distinct ({@link CurvatureOperator#yamlName}) [hessian, G, H]
 * @param splits data splits to analyse, distinct [train]
 * @param analyses what to compute [density only, with its defaults]
 * @param cluster worker processes for distributed runs; empty runs in this process
 * @param sweep the sweep declaration of the file (empty without one), the same for every point
 * @param sweepValue this point's label for the {@code sweep} column; {@code none} without a sweep
 */
public record ExperimentConfig(
    Path file,
    String name,
    long seed,
    Precision precision,
    ModelConfig model,
    DataConfig data,
    Loss loss,
    int batchSize,
    int productCacheMb,
    List<CurvatureOperator> operators,
    List<Split> splits,
    AnalysesConfig analyses,
    Optional<ClusterConfig> cluster,
    SweepConfig sweep,
    String sweepValue) {

  public ExperimentConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(loss, "loss");
    operators = List.copyOf(operators);
    splits = List.copyOf(splits);
    Objects.requireNonNull(analyses, "analyses");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(sweep, "sweep");
    Objects.requireNonNull(sweepValue, "sweepValue");
  }

  /** The operators of a file that names none: the Hessian and its split into G and H. */
  public static final List<CurvatureOperator> DEFAULT_OPERATORS =
      List.of(CurvatureOperator.HESSIAN, CurvatureOperator.GAUSS_NEWTON, CurvatureOperator.RESIDUAL_HESSIAN);

  /**
   * The experiment as the ordered, JSON-compatible map {@code run.json} records, keyed as in the
   * experiment file. Written with {@link Json#write} and read back as an experiment file it gives
   * the same configs again ({@link #file()} and {@link #sweepValue()} are not part of it; the
   * runner records them beside it).
   */
  public Map<String, Object> toMap() {
    return map(model.toMap());
  }

  /**
   * The experiment as the file declares it, defaults filled in, without what the loader read
   * from the model ({@link ModelConfig#declaredMap()}). This is what {@code --resume} compares:
   * it is the same before and after a run trains the model it analyses.
   */
  public Map<String, Object> declaredMap() {
    return map(model.declaredMap());
  }

  private Map<String, Object> map(Map<String, Object> modelMap) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("seed", seed);
    m.put("precision", precision.yamlName());
    m.put("model", modelMap);
    m.put("data", data.toMap());
    m.put("loss", loss.yamlName());
    m.put("batch_size", batchSize);
    m.put("product_cache_mb", productCacheMb);
    m.put("operators", operators.stream().map(CurvatureOperator::yamlName).toList());
    m.put("splits", splits.stream().map(Split::yamlName).toList());
    m.put("analyses", analyses.toMap());
    cluster.ifPresent(c -> m.put("cluster", c.toMap()));
    if (!sweep.isEmpty()) {
      m.put("sweep", sweep.toMap());
    }
    return m;
  }
}
