package org.hesspec.experiments.run.analysis;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.data.Dataset;
import org.hesspec.distributed.DistributedCurvature;
import org.hesspec.experiments.run.ClusterOperators;
import org.hesspec.experiments.run.Rows;
import org.hesspec.model.ParameterLayout;

/**
 * One split of one parameter group of a sweep point, what the analyses run on: its data, its mini-batches
 * and its operators (local, or on the cluster for a {@code cluster:} run), each opened on first use, so that
 * a resumed run whose units all finished opens nothing.
 */
final class Target implements AutoCloseable {
  private final Point point;
  private final String split;
  private final Dataset data;
  private final String group;
  private final int dimension;
  private final Lazy<CurvatureGraph> graph;
  private final Lazy<BatchedData> batches;
  private final Lazy<DistributedCurvature> cluster;

  /**
   * @param group the operator columns' suffix of the parameter group: {@code ""} for a single group, else {@code [name]}
   * @param graph the local session of the parameter group, shared by its splits (closed by the caller)
   */
  Target(Point point, String split, Dataset data, ParameterLayout selection, String group, Lazy<CurvatureGraph> graph) {
    this.point = point;
    this.split = split;
    this.data = data;
    this.group = group;
    this.dimension = Math.toIntExact(selection.dimension());
    this.graph = graph;
    // the noise fisher_mc samples its labels with: one seed per point and split, the same for every product
    this.batches = new Lazy<>(() -> BatchedData.of(data, point.config().batchSize(), point.precision(),
        point.seed(split + "/fisher_mc")));
    this.cluster = new Lazy<>(() -> ClusterOperators.open(point.config(), point.config().cluster().orElseThrow(), point.model(),
        point.config().loss(), selection, batches.get(), point.log()));
  }

  Point point() {
    return point;
  }

  Dataset data() {
    return data;
  }

  int dimension() {
    return dimension;
  }

  /** Whether the products run on a cluster ({@code cluster:}): then only the operators are remote. */
  boolean clustered() {
    return point.config().cluster().isPresent();
  }

  /** The unit of this split whose operator column is {@code name} with the parameter group's suffix. */
  Unit unit(String name) {
    return new Unit(point.config().sweepValue(), split, name + group, data.size(), dimension);
  }

  /** The product of {@code op} on this split: on the cluster for a {@code cluster:} run, else in the local session. */
  LinearOperator operator(CurvatureOperator op) {
    return clustered() ? cluster.get().operator(op) : graph.get().operator(op, batches.get());
  }

  /** The local session of the parameter group (the class means and the regime always run in this process). */
  CurvatureGraph graph() {
    return graph.get();
  }

  /** This split's mini-batches, with the noise of {@code fisher_mc}. */
  BatchedData batches() {
    return batches.get();
  }

  /** The rows of {@code analysis} on {@code u}: read back if that unit finished earlier, else computed and kept. */
  Rows cached(Unit u, String analysis, Supplier<Rows> compute) {
    return point.cache().computeIfAbsent(key(u, analysis), compute);
  }

  /** A folder for the unit's own checkpoints (Lanczos state), kept until the run completes. */
  Path scratch(Unit u, String analysis) {
    return point.cache().scratch(key(u, analysis));
  }

  /** The unit's name in the run folder's checkpoints: the point, split, operator column and analysis. */
  private String key(Unit u, String analysis) {
    return (point.key() + "_" + u.split() + "_" + u.operator() + "_" + analysis).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } finally {
      batches.close();
    }
  }
}
