package org.hesspec.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureGraph.Product;
import org.hesspec.curvature.HessianOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.model.ModelDefinition;
import org.hesspec.spectral.DensityConfig;
import org.hesspec.spectral.DensityEstimate;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.SpectralDensity;

/**
 * Measures one workload in this process: one gradient, {@code Hess v}, {@code G v}, {@code H v}
 * (each over all examples, forward pass included, as the peer's {@code *_full} metrics), their
 * dense flop counts, one SLQ density run on the Hessian and peak memory. Rows use the metric
 * names of CONTRACT.md; the extra rows are {@code params} (p), {@code <metric>_gflop} (GFLOP per
 * product), {@code matmul_gflops} (the dense matmul rate measured right after the products, in
 * GFLOP/s), {@code density_step} and {@code lanczos_overhead} (seconds per Lanczos step).
 */
public final class Benchmark {

  /** Lanczos steps of the density run (the peer's SLQ iterations). */
  public static final int DENSITY_STEPS = 80;

  /** The products timed, as CONTRACT.md metric and CurvatureGraph product. */
  static final String[][] PRODUCTS = {{"gradient", "GRADIENT"}, {"hessian_vp", "HESSIAN"}, {"G_vp", "GAUSS_NEWTON"},
      {"H_vp", "RESIDUAL_HESSIAN"}};

  private Benchmark() {}

  public static List<BenchRow> run(BenchWorkload w, SessionSettings settings, int warmup, int runs, Consumer<String> log) {
    return run(w, settings, warmup, runs, DENSITY_STEPS, log);
  }

  /** As {@link #run(BenchWorkload, SessionSettings, int, int, Consumer)}; {@code densitySteps} 0 skips the density run. */
  public static List<BenchRow> run(BenchWorkload w, SessionSettings settings, int warmup, int runs, int densitySteps,
      Consumer<String> log) {
    List<BenchRow> rows = new ArrayList<>();
    ModelDefinition model = w.model();
    int threads = settings.intraOpThreads();
    try (CurvatureGraph g = new CurvatureGraph(model, Loss.CROSS_ENTROPY, model.layout(), settings);
        BatchedData data = BatchedData.of(w.data(), w.examples(), model.precision())) {
      rows.add(BenchRow.of(w.name(), "hesspec", "params", Timing.single(g.dimension()), threads));
      double[] v = new Random(BenchWorkload.SEED + 3).doubles(g.dimension(), -1, 1).toArray();
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
      for (String[] m : PRODUCTS) {
        Product product = Product.valueOf(m[1]);
        Timing t = Timing.of(() -> g.apply(product, v, data), warmup, runs);
        rows.add(BenchRow.of(w.name(), "hesspec", m[0], t, threads));
        FlopCount.Count c = FlopCount.of(g, product, w.examples());
        if (!c.unresolved().isEmpty()) {
          log.accept("  [" + w.name() + "] " + m[0] + ": shapes unknown, not counted: " + c.unresolved());
        }
        rows.add(BenchRow.of(w.name(), "hesspec", m[0] + "_gflop", Timing.single(c.flops() / 1e9), threads));
        log.accept(String.format("  [%s] %-12s median %.4f s  min %.4f  max %.4f  (%.3f GFLOP, %d dense ops)", w.name(), m[0],
            t.median(), t.min(), t.max(), c.flops() / 1e9, c.ops()));
      }
      // The ceiling for these products' rates, measured in the same process right after them.
      Timing mm = MatmulRate.gflops(settings, 10);
      rows.add(BenchRow.of(w.name(), "hesspec", "matmul_gflops", mm, threads));
      log.accept(String.format("  [%s] dense matmul 2048^2: %.1f GFLOP/s (median of 10)", w.name(), mm.median()));
      if (densitySteps > 0) {
        rows.addAll(densityRun(w, new HessianOperator(g, data), densitySteps, threads, log));
      }
    }
    rows.add(BenchRow.of(w.name(), "hesspec", "peak_rss_mib", Timing.single(PeakMemory.mib()), threads));
    return rows;
  }

  /**
   * One SLQ density run as a user starts it ({@link SpectralDensity#estimate}, K = 1, the default
   * plain recurrence): {@code density_run} is its wall time, bounds run included. The operator is
   * wrapped to time every product: over the last {@code steps} products (the density run proper),
   * {@code density_step} is the mean time per Lanczos step and {@code lanczos_overhead} the mean
   * time per step spent outside the product (vector updates, the affine shift, bookkeeping).
   */
  static List<BenchRow> densityRun(BenchWorkload w, LinearOperator hessian, int steps, int threads, Consumer<String> log) {
    TimedOperator op = new TimedOperator(hessian);
    long t0 = System.nanoTime();
    DensityEstimate est = SpectralDensity.estimate(k -> op, DensityConfig.of(steps, 1, BenchWorkload.SEED + 7), RunOptions.sequential());
    double total = (System.nanoTime() - t0) / 1e9;
    int taken = est.quadrature().get(0).steps();
    Lanczos per = op.lastSteps(taken);
    double[] nodes = est.quadrature().get(0).nodes();
    log.accept(String.format("  [%s] density_run  %.3f s (%d products: bounds %d + density %d steps); step %.4f s, "
        + "outside the product %.5f s; Ritz values %.4g .. %.4g", w.name(), total, op.calls(), op.calls() - taken, taken,
        per.step(), per.overhead(), nodes[0], nodes[nodes.length - 1]));
    return List.of(BenchRow.of(w.name(), "hesspec", "density_run", Timing.single(total), threads),
        new BenchRow(w.name(), "hesspec", "density_step", per.step(), per.step(), per.step(), taken, threads),
        new BenchRow(w.name(), "hesspec", "lanczos_overhead", per.overhead(), per.overhead(), per.overhead(), taken, threads));
  }

  /** Mean seconds per Lanczos step, and the part of it outside the operator product. */
  record Lanczos(double step, double overhead) {}

  /** Records when each product starts and ends. */
  static final class TimedOperator implements LinearOperator {
    private final LinearOperator a;
    private final List<long[]> calls = new ArrayList<>();

    TimedOperator(LinearOperator a) {
      this.a = a;
    }

    @Override
    public int dimension() {
      return a.dimension();
    }

    @Override
    public void apply(double[] v, double[] out) {
      long start = System.nanoTime();
      a.apply(v, out);
      calls.add(new long[] {start, System.nanoTime()});
    }

    int calls() {
      return calls.size();
    }

    /**
     * Over the last {@code n} products: step = (start of the last - start of the first) / (n - 1),
     * overhead = step minus the mean product time of the first n - 1 (each product with the gap to
     * the next is one step).
     */
    Lanczos lastSteps(int n) {
      List<long[]> c = calls.subList(calls.size() - n, calls.size());
      if (n < 2) {
        return new Lanczos(Double.NaN, Double.NaN);
      }
      double step = (c.get(n - 1)[0] - c.get(0)[0]) / 1e9 / (n - 1);
      double inside = 0;
      for (int i = 0; i < n - 1; i++) {
        inside += (c.get(i)[1] - c.get(i)[0]) / 1e9;
      }
      return new Lanczos(step, step - inside / (n - 1));
    }
  }
}
