package org.hesspec.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureGraph.Product;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.model.ModelDefinition;

/**
 * Measures one workload in this process: one gradient, {@code Hess v}, {@code G v}, {@code H v}
 * (each over all examples, forward pass included, as the peer's {@code *_full} metrics), and peak
 * memory. Rows use the metric names of CONTRACT.md.
 */
public final class Benchmark {

  private Benchmark() {}

  public static List<BenchRow> run(BenchWorkload w, SessionSettings settings, int warmup, int runs, Consumer<String> log) {
    List<BenchRow> rows = new ArrayList<>();
    ModelDefinition model = w.model();
    int threads = settings.intraOpThreads();
    try (CurvatureGraph g = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), settings);
        BatchedData data = BatchedData.of(w.data(), w.examples(), model.precision())) {
      double[] v = new Random(BenchWorkload.SEED + 3).doubles(g.dimension(), -1, 1).toArray();
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
      String[][] metrics = {{"gradient", "GRADIENT"}, {"hessian_vp", "HESSIAN"}, {"G_vp", "GAUSS_NEWTON"}, {"H_vp", "RESIDUAL_HESSIAN"}};
      for (String[] m : metrics) {
        Product product = Product.valueOf(m[1]);
        Timing t = Timing.of(() -> g.apply(product, v, data), warmup, runs);
        rows.add(BenchRow.of(w.name(), "hesspec", m[0], t, threads));
        log.accept(String.format("  [%s] %-12s median %.4f s  min %.4f  max %.4f", w.name(), m[0], t.median(), t.min(), t.max()));
      }
    }
    rows.add(BenchRow.of(w.name(), "hesspec", "peak_rss_mib", Timing.single(PeakMemory.mib()), threads));
    return rows;
  }
}
