package org.hesspec.experiments.run;

import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph.Product;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.distributed.DistributedCurvature;
import org.hesspec.distributed.DistributedSettings;
import org.hesspec.distributed.WorkerAddress;
import org.hesspec.experiments.config.ClusterConfig;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;

/**
 * The curvature operators of an experiment with {@code cluster: {workers: [...]}}: products on the
 * TensorFlow workers ({@code hesspec worker --port N}), one {@link DistributedCurvature} per
 * parameter group and split. The class-structure analysis (weighted VJPs, class means) still runs
 * in this process.
 */
final class ClusterOperators {

  private ClusterOperators() {}

  static DistributedCurvature open(ExperimentConfig config, ClusterConfig cluster, ModelDefinition model, Loss loss,
      ParameterLayout selection, BatchedData data, Consumer<String> log) {
    List<WorkerAddress> workers = cluster.workers().stream().map(w -> new WorkerAddress(w.host(), w.port())).toList();
    EnumSet<Product> products = EnumSet.noneOf(Product.class);
    for (ExperimentConfig.Operator op : config.operators()) {
      products.add(product(op));
    }
    log.accept("cluster: products on " + workers.size() + " TensorFlow worker" + (workers.size() == 1 ? "" : "s") + " " + workers
        + " (task 0 is the master)");
    return new DistributedCurvature(model, loss, selection, data, products, workers, DistributedSettings.defaults());
  }

  static Product product(ExperimentConfig.Operator op) {
    return switch (op) {
      case HESSIAN -> Product.HESSIAN;
      case G -> Product.GAUSS_NEWTON;
      case H -> Product.RESIDUAL_HESSIAN;
    };
  }

  static LinearOperator operator(ExperimentConfig.Operator op, DistributedCurvature d) {
    return d.operator(product(op));
  }
}
